/**
 * CtExtensions (RFC 6962 §3.2, opaque there) as static-ct-api defines them (c2sp.org/static-ct-api,
 * "SCT Extension"):
 *   enum { leaf_index(0), (255) } ExtensionType;
 *   struct { ExtensionType extension_type; opaque extension_data<0..2^16-1>; } Extension;
 *   Extension CtExtensions<0..2^16-1>;   uint8 uint40[5]; uint40 LeafIndex;
 * One reader for SCTs (src/sct/decode.ts) and static-ct-api data tiles, one writer for the local log.
 */
import { concatBytes, type Bytes } from '../bytes.js';
import { TlsDecodeError, TlsReader, encodeUint, encodeVector } from '../tls.js';

const LEAF_INDEX = 0;
/** uint40. */
const LEAF_INDEX_SIZE = 5;

interface SctExtensions {
  /** The leaf_index extension, when there is one. */
  readonly leafIndex: number | undefined;
}

/**
 * Reads the contents of CtExtensions (without its length prefix). Extension types static-ct-api
 * does not define are skipped; a truncated extension, a type that appears twice, or a leaf_index
 * that is not a uint40 throws TlsDecodeError naming it.
 */
export function readSctExtensions(extensions: Bytes): SctExtensions {
  const r = new TlsReader(extensions);
  const seen = new Set<number>();
  let leafIndex: number | undefined;
  while (r.remaining > 0) {
    const type = r.u8('extension_type');
    const data = r.vector(2, `extension ${type} data`);
    if (seen.has(type)) throw new TlsDecodeError(`extension ${type} appears twice`);
    seen.add(type);
    if (type === LEAF_INDEX) {
      if (data.length !== LEAF_INDEX_SIZE) {
        throw new TlsDecodeError(`leaf_index is ${data.length} bytes, expected ${LEAF_INDEX_SIZE} (uint40)`);
      }
      leafIndex = new TlsReader(data).uint(LEAF_INDEX_SIZE, 'leaf_index');
    }
  }
  return { leafIndex };
}

/**
 * The contents of CtExtensions holding only the leaf_index extension (8 bytes), as a tiled log
 * writes them into its SCTs and leaves. Precondition: 0 ≤ leafIndex < 2^40.
 */
export const leafIndexExtensions = (leafIndex: number): Bytes =>
  concatBytes(Uint8Array.of(LEAF_INDEX), encodeVector(encodeUint(leafIndex, LEAF_INDEX_SIZE), 2));
