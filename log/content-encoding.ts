/**
 * `Content-Encoding: gzip` for the test log's static-ct-api answers. static-ct-api v1.1.0, "Log
 * entries": "Data tiles SHOULD be compressed at the HTTP layer. Clients MUST support
 * Content-Encoding: gzip and logs MAY use it with no negotiation." So data tiles are gzip-encoded
 * always; the checkpoint, hash tiles and issuers only when the request's Accept-Encoding takes
 * gzip (RFC 9110 §12.5.3). The badGzip misbehaviour labels broken streams gzip.
 */
import { randomBytes } from 'node:crypto';
import { gzipSync } from 'node:zlib';
import type { Misbehaviour } from './log.js';

interface EncodeOptions {
  /** A 200 answer (errors are sent as they are). */
  readonly ok: boolean;
  /** A data tile: gzip without negotiation. */
  readonly data: boolean;
  /** serving.gzip. */
  readonly gzip: boolean;
  readonly acceptEncoding: string | undefined;
  readonly badGzip: Misbehaviour['badGzip'];
}

interface Encoded {
  readonly body: Buffer;
  readonly headers: Record<string, string>;
}

/** Decompresses to 64 MiB of zeros: far above any client's response limit. Made once, on first use. */
const BOMB_SIZE = 64 << 20;
let bomb: Buffer | undefined;

/** The body to send and the headers that say how it is encoded. */
export function encodeAnswer(body: Buffer, options: EncodeOptions): Encoded {
  const gzip = { 'content-encoding': 'gzip' };
  if (!options.ok) return { body, headers: {} };
  switch (options.badGzip) {
    case 'truncated': {
      const whole = gzipSync(body);
      return { body: whole.subarray(0, Math.floor(whole.length / 2)), headers: gzip };
    }
    case 'garbage':
      // 't' is no gzip magic number (1f 8b): "incorrect header check".
      return { body: Buffer.concat([Buffer.from('this is not gzip: '), randomBytes(64)]), headers: gzip };
    case 'bomb':
      return { body: (bomb ??= gzipSync(Buffer.alloc(BOMB_SIZE), { level: 9 })), headers: gzip };
    case undefined:
      break;
  }
  if (!options.gzip) return { body, headers: {} };
  if (options.data) return { body: gzipSync(body), headers: gzip };
  const vary = { vary: 'accept-encoding' };
  if (!acceptsGzip(options.acceptEncoding)) return { body, headers: vary };
  return { body: gzipSync(body), headers: { ...gzip, ...vary } };
}

/**
 * RFC 9110 §12.5.3: gzip (or x-gzip) listed with a qvalue above 0, or "*" above 0 with gzip not
 * listed. Without the header the client states no preference: identity is sent.
 */
function acceptsGzip(header: string | undefined): boolean {
  if (header === undefined) return false;
  const weights = new Map<string, number>();
  for (const member of header.split(',')) {
    const [coding, ...params] = member.split(';').map((p) => p.trim().toLowerCase());
    if (!coding) continue;
    const q = params.find((p) => p.startsWith('q='));
    weights.set(coding, q === undefined ? 1 : Number(q.slice(2)) || 0);
  }
  const gzip = weights.get('gzip') ?? weights.get('x-gzip');
  return gzip !== undefined ? gzip > 0 : (weights.get('*') ?? 0) > 0;
}
