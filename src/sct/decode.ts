/**
 * Decoding SCTs and SCT lists: RFC 6962 §3.2 (the SCT) and §3.3 (SignedCertificateTimestampList),
 * with the static-ct-api `leaf_index` extension (c2sp.org/static-ct-api, "SCT extension").
 */
import type { Bytes } from '../bytes.js';
import { TlsDecodeError, TlsReader } from '../tls.js';
import { readSctExtensions } from './extensions.js';
import type { DecodedSct, SctV1 } from './types.js';

export class SctListError extends Error {
  override name = 'SctListError';
}

/**
 * Splits a SignedCertificateTimestampList (RFC 6962 §3.3):
 *   opaque SerializedSCT<1..2^16-1>;
 *   struct { SerializedSCT sct_list <1..2^16-1>; } SignedCertificateTimestampList;
 * The list is refused as a whole (like Chrome's DecodeSCTList) when a length overruns, bytes
 * trail, or the list or an entry is empty.
 */
export function splitSctList(list: Bytes): Bytes[] {
  try {
    const outer = new TlsReader(list);
    const body = new TlsReader(outer.vector(2, 'SCT list', 1));
    outer.end('SCT list');
    const entries: Bytes[] = [];
    while (body.remaining > 0) entries.push(body.vector(2, `SCT #${entries.length + 1}`, 1));
    return entries;
  } catch (e) {
    if (e instanceof TlsDecodeError) throw new SctListError(e.message);
    throw e;
  }
}

/** Decodes one serialized SCT. Never throws: bad input yields `kind: 'malformed'`. */
export function decodeSct(raw: Bytes): DecodedSct {
  if (raw.length === 0) return { kind: 'malformed', raw, error: 'SCT is empty' };
  const version = raw[0]!;
  // Only v1 (0) is defined by RFC 6962; other versions' bodies are not interpreted.
  if (version !== 0) return { kind: 'unsupported-version', raw, version };
  try {
    return decodeV1(raw);
  } catch (e) {
    if (e instanceof TlsDecodeError) return { kind: 'malformed', raw, error: e.message };
    throw e;
  }
}

function decodeV1(raw: Bytes): SctV1 {
  const r = new TlsReader(raw);
  r.u8('version');
  const logId = r.bytesOf(32, 'log_id');
  const timestampAt = r.position;
  const timestamp = r.u64('timestamp', 'saturate');
  const timestampBytes = r.since(timestampAt);
  const extensions = r.vector(2, 'extensions');
  const hashAlgorithm = r.u8('hash algorithm');
  const signatureAlgorithm = r.u8('signature algorithm');
  const signature = r.vector(2, 'signature');
  r.end('SCT');
  const { leafIndex, note } = readLeafIndex(extensions);
  return {
    kind: 'v1',
    raw,
    version: 0,
    logId,
    timestampBytes,
    timestamp,
    extensions,
    hashAlgorithm,
    signatureAlgorithm,
    signature,
    leafIndex,
    extensionsNote: note,
  };
}

/**
 * The static-ct-api leaf_index (src/sct/extensions.ts). RFC 6962 defines no extensions, so bytes
 * that do not parse are not an error of the SCT (they are signed as they are); they only mean
 * there is no leaf index to read.
 */
function readLeafIndex(extensions: Bytes): { leafIndex: number | undefined; note: string | undefined } {
  try {
    return { leafIndex: readSctExtensions(extensions).leafIndex, note: undefined };
  } catch (e) {
    if (!(e instanceof TlsDecodeError)) throw e;
    return { leafIndex: undefined, note: `extensions are not static-ct-api extensions: ${e.message}` };
  }
}
