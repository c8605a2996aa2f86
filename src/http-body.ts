/**
 * Reading an HTTP response body with a size limit (platform-free: fetch's Response and streams).
 * The declared Content-Length is checked first, then the bytes as they arrive, so an oversized
 * or endless answer is cut off rather than buffered.
 */
import { concatBytes } from './bytes.js';

export class BodyReadError extends Error {
  override name = 'BodyReadError';
  constructor(readonly reason: 'too-large' | 'broken', message: string) {
    super(message);
  }
}

/** The body's bytes. Throws BodyReadError (its message names no URL: the caller adds it). */
export async function readBodyLimited(response: Response, maxBytes: number): Promise<Uint8Array> {
  const declared = Number(response.headers.get('content-length') ?? 0);
  if (declared > maxBytes) {
    await response.body?.cancel().catch(() => undefined);
    throw new BodyReadError('too-large', `response of ${declared} bytes exceeds the ${maxBytes}-byte limit`);
  }
  if (!response.body) return new Uint8Array(await response.arrayBuffer());
  const reader = response.body.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  for (;;) {
    let chunk;
    try {
      chunk = await reader.read();
    } catch {
      throw new BodyReadError('broken', 'the connection broke while reading the response');
    }
    if (chunk.done) break;
    total += chunk.value.length;
    if (total > maxBytes) {
      await reader.cancel().catch(() => undefined);
      throw new BodyReadError('too-large', `response exceeds the ${maxBytes}-byte limit`);
    }
    chunks.push(chunk.value);
  }
  return concatBytes(...chunks);
}
