/**
 * Decoding static-ct-api data tiles (c2sp.org/static-ct-api, "Log entries"): a tile is `width`
 * TileLeaf entries back to back,
 *   struct { TimestampedEntry timestamped_entry;
 *            select (entry_type) { case x509_entry: Empty; case precert_entry: ASN.1Cert pre_certificate; };
 *            Fingerprint certificate_chain<0..2^16-1>; } TileLeaf;
 * with TimestampedEntry as in RFC 6962 §3.4 (timestamped-entry.ts) and Fingerprint a SHA-256 hash.
 */
import { concatBytes, type Bytes } from '../bytes.js';
import { leafHash } from '../merkle/hash.js';
import { readSctExtensions } from '../sct/extensions.js';
import { TlsDecodeError, TlsReader } from '../tls.js';
import { readTimestampedEntry, type TimestampedEntry } from './timestamped-entry.js';

/** SHA-256 fingerprints are 32 bytes (static-ct-api, "Issuers"). */
const FINGERPRINT_SIZE = 32;

/** What a data tile adds to an entry's TimestampedEntry. Byte fields are views into the tile. */
interface TileExtras {
  /** The leaf index: the entry's position in the log, also its leaf_index extension. */
  readonly index: number;
  /** The TimestampedEntry bytes: the MerkleTreeLeaf after its version and leaf_type. */
  readonly timestampedEntry: Bytes;
  /** SHA-256(0x00 ‖ 0x00 0x00 ‖ TimestampedEntry), equal to the level-0 hash at `index`. */
  readonly leafHash: Bytes;
  /** SHA-256 fingerprints (32 bytes each) of the submitted chain after the leaf, for getIssuer. */
  readonly chain: readonly Bytes[];
}

/** The TimestampedEntry's fields of one entry type (its `bytes` are `timestampedEntry` here). */
type Entry<T extends TimestampedEntry['type']> = Omit<Extract<TimestampedEntry, { readonly type: T }>, 'bytes'>;

/** One log entry from a data tile. */
export type StaticCtEntry =
  | (TileExtras & Entry<'x509_entry'>)
  | (TileExtras &
      Entry<'precert_entry'> & {
        /** The submitted precertificate. */
        readonly preCertificate: Bytes;
      });

/**
 * `width` TileLeaf entries, the first at leaf index `first`, with nothing after them. Each must
 * carry the leaf_index of its position. Throws TlsDecodeError naming the entry and the field.
 */
export function decodeDataTile(tile: Bytes, first: number, width: number): StaticCtEntry[] {
  const r = new TlsReader(tile);
  const entries: StaticCtEntry[] = [];
  for (let i = 0; i < width; i++) {
    if (r.remaining === 0) throw new TlsDecodeError(`the tile ends after ${i} entries, expected ${width}`);
    entries.push(readTileLeaf(r, first + i));
  }
  r.end(`the tile of ${width} entries`);
  return entries;
}

function readTileLeaf(r: TlsReader, index: number): StaticCtEntry {
  const what = (field: string) => `entry ${index}: ${field}`;
  const entry = readTimestampedEntry(r, what);
  const leafIndex = readLeafIndex(entry.extensions, what('extensions'));
  if (leafIndex !== index) {
    throw new TlsDecodeError(what(`the leaf_index extension says ${leafIndex}, not the entry's position ${index}`));
  }
  const preCertificate = entry.type === 'precert_entry' ? r.vector(3, what('pre_certificate'), 1) : undefined;
  const chainBytes = r.vector(2, what('certificate_chain'));
  if (chainBytes.length % FINGERPRINT_SIZE !== 0) {
    const problem = `is ${chainBytes.length} bytes, not a whole number of ${FINGERPRINT_SIZE}-byte fingerprints`;
    throw new TlsDecodeError(what(`certificate_chain ${problem}`));
  }
  const chain = Array.from({ length: chainBytes.length / FINGERPRINT_SIZE }, (_, k) =>
    chainBytes.subarray(k * FINGERPRINT_SIZE, (k + 1) * FINGERPRINT_SIZE),
  );
  const common = {
    index,
    timestamp: entry.timestamp,
    signedEntry: entry.signedEntry,
    extensions: entry.extensions,
    timestampedEntry: entry.bytes,
    // The MerkleTreeLeaf is version v1 (0) ‖ leaf_type timestamped_entry (0) ‖ TimestampedEntry.
    leafHash: leafHash(concatBytes(Uint8Array.of(0, 0), entry.bytes)),
    chain,
  };
  return entry.type === 'x509_entry'
    ? { ...common, type: entry.type, certificate: entry.certificate }
    : {
        ...common,
        type: entry.type,
        issuerKeyHash: entry.issuerKeyHash,
        tbsCertificate: entry.tbsCertificate,
        preCertificate: preCertificate!,
      };
}

/** The leaf_index every static-ct-api entry carries (static-ct-api, "SCT Extension"). */
function readLeafIndex(extensions: Bytes, what: string): number {
  let leafIndex: number | undefined;
  try {
    leafIndex = readSctExtensions(extensions).leafIndex;
  } catch (e) {
    if (e instanceof TlsDecodeError) throw new TlsDecodeError(`${what}: ${e.message}`);
    throw e;
  }
  if (leafIndex === undefined) {
    throw new TlsDecodeError(`${what}: no leaf_index extension (static-ct-api, "SCT Extension")`);
  }
  return leafIndex;
}
