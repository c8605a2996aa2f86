/**
 * Imported first by the worker: the worker's clock reading when its own code starts running,
 * so the cold-start figure can tell the browser's start-up from ctlens's.
 */
export const startedAt = performance.now();
