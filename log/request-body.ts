/**
 * A request's body for the local log's APIs, bounded: the bytes, or undefined when over `maxBytes`
 * (the rest is drained).
 */
import type { IncomingMessage } from 'node:http';

export function readBody(req: IncomingMessage, maxBytes: number): Promise<Uint8Array | undefined> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size <= maxBytes) chunks.push(chunk);
    });
    req.on('end', () => resolve(size > maxBytes ? undefined : new Uint8Array(Buffer.concat(chunks))));
    req.on('error', reject);
  });
}
