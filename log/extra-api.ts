/** The other APIs the test log serves beside /ct/v1/, each in its own module, over the same tree. */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { LocalCtLog } from './log.js';
import { handleTiles } from './tiles-api.js';
import { handleV2 } from './v2-api.js';

/**
 * Serves the request and returns true when it belongs to this API; returns false to let the
 * next one (and finally /ct/v1/) have it.
 */
export type ApiHandler = (log: LocalCtLog, req: IncomingMessage, res: ServerResponse) => Promise<boolean>;

export const EXTRA_APIS: readonly ApiHandler[] = [handleTiles, handleV2];
