/**
 * Reading an HTTP response body with a size limit (platform-free: fetch's Response and streams),
 * the limit applying to the decoded bytes.
 *
 * Content codings (RFC 9110 §8.4): fetch decodes `Content-Encoding: gzip` itself, in browsers and
 * in Node (undici), and hands over the decoded stream; there is no way to ask it for the encoded
 * bytes. That stream is read chunk by chunk and cut off once the decoded bytes pass the limit, so a
 * gzip bomb (a few KiB that decode to GiBs) is refused after the limit, not buffered; a stream the
 * decoder rejects (garbage labelled gzip) is a precise 'bad-encoding'. fetch's gzip decoding is
 * lenient at the end (undici, like browsers, accepts a stream cut short and yields what it
 * decoded): the caller's strict parsing catches such a short body (see `encoding`).
 */
import { concatBytes } from './bytes.js';

export class BodyReadError extends Error {
  override name = 'BodyReadError';
  constructor(
    readonly reason: 'too-large' | 'broken' | 'bad-encoding',
    message: string,
  ) {
    super(message);
  }
}

/**
 * The `Content-Encoding` of a response, lowercase, when it is anything but identity ("gzip",
 * "gzip, gzip"): what fetch decoded before the body was read.
 */
export function contentEncoding(response: Response): string | undefined {
  const coding = response.headers.get('content-encoding')?.trim().toLowerCase();
  return coding && coding !== 'identity' ? coding : undefined;
}

/** The body's decoded bytes. Throws BodyReadError (its message names no URL: the caller adds it). */
export async function readBodyLimited(response: Response, maxBytes: number): Promise<Uint8Array> {
  const encoding = contentEncoding(response);
  // Content-Length counts the encoded bytes (RFC 9110 §8.6): a bound on what is read only when
  // nothing is decoded; a coded body is bounded by its decoded bytes below.
  const declared = Number(response.headers.get('content-length') ?? 0);
  if (encoding === undefined && declared > maxBytes) {
    await response.body?.cancel().catch(() => undefined);
    throw new BodyReadError('too-large', `response of ${declared} bytes exceeds the ${maxBytes}-byte limit`);
  }
  if (!response.body) return new Uint8Array(await response.arrayBuffer());
  const reader = response.body.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  for (;;) {
    let chunk: Awaited<ReturnType<typeof reader.read>>;
    try {
      chunk = await reader.read();
    } catch (e) {
      throw readFailure(e, encoding);
    }
    if (chunk.done) break;
    total += chunk.value.length;
    if (total > maxBytes) {
      await reader.cancel().catch(() => undefined);
      const decoded = encoding === undefined ? '' : ` once decoded (Content-Encoding: ${encoding})`;
      throw new BodyReadError('too-large', `response exceeds the ${maxBytes}-byte limit${decoded}`);
    }
    chunks.push(chunk.value);
  }
  return concatBytes(...chunks);
}

/**
 * A failed read: a decoder's error (Node's zlib codes, Z_DATA_ERROR "incorrect header check" and
 * the like, as the cause) is the server's bad encoding; anything else is a broken connection.
 */
function readFailure(e: unknown, encoding: string | undefined): BodyReadError {
  const cause = (e as { cause?: { code?: unknown; message?: unknown } } | undefined)?.cause;
  const code = typeof cause?.code === 'string' ? cause.code : '';
  if (encoding !== undefined && /^(Z_|ERR_ZLIB|ERR_BROTLI)/.test(code)) {
    const detail = typeof cause?.message === 'string' ? cause.message : code;
    return new BodyReadError('bad-encoding', `the body does not decode as Content-Encoding: ${encoding} (${detail})`);
  }
  return new BodyReadError('broken', 'the connection broke while reading the response');
}
