/**
 * Decoding SCTs and SCT lists: RFC 6962 §3.2 (the SCT) and §3.3 (SignedCertificateTimestampList),
 * with the static-ct-api `leaf_index` extension (c2sp.org/static-ct-api, "SCT extension").
 */
import type { Bytes } from '../bytes.js';
import { TlsDecodeError, TlsReader } from '../tls.js';
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
  const timestampBytes = raw.subarray(timestampAt, r.position);
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

/** static-ct-api: `enum { leaf_index(0), (255) } ExtensionType;` and `uint8 uint40[5]`. */
const LEAF_INDEX = 0;

/**
 * Reads the SCT extensions as the static-ct-api's
 *   struct { ExtensionType extension_type; opaque extension_data<0..2^16-1>; } Extension;
 * list. RFC 6962 defines no extensions, so bytes that do not parse are not an error of the SCT
 * (they are signed as they are); they only mean there is no leaf index to read.
 */
function readLeafIndex(extensions: Bytes): { leafIndex: number | undefined; note: string | undefined } {
  if (extensions.length === 0) return { leafIndex: undefined, note: undefined };
  try {
    const r = new TlsReader(extensions);
    let leafIndex: number | undefined;
    const seen = new Set<number>();
    while (r.remaining > 0) {
      const type = r.u8('extension_type');
      const data = r.vector(2, `extension ${type} data`);
      if (seen.has(type)) throw new TlsDecodeError(`extension ${type} appears twice`);
      seen.add(type);
      if (type === LEAF_INDEX) {
        if (data.length !== 5) throw new TlsDecodeError(`leaf_index is ${data.length} bytes, expected 5 (uint40)`);
        leafIndex = new TlsReader(data).uint(5, 'leaf_index');
      }
    }
    return { leafIndex, note: undefined };
  } catch (e) {
    if (e instanceof TlsDecodeError) return { leafIndex: undefined, note: `extensions are not static-ct-api extensions: ${e.message}` };
    throw e;
  }
}
