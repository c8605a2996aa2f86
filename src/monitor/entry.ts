/**
 * A log entry as the monitor reads it, from either API: RFC 6962 get-entries (§4.6; the
 * MerkleTreeLeaf's signed_entry, §3.4, and extra_data: rfc6962-entries.ts) or a static-ct-api
 * data tile's TileLeaf.
 * Byte fields are views; nothing is decoded beyond the entry's own framing until it matches.
 */
import type { Bytes } from '../bytes.js';
import { DerError } from '../der/element.js';
import type { StaticCtEntry } from '../logclient/data-tile.js';
import { certificateEntryNames, tbsEntryNames } from './entry-names.js';
import type { Hit, Watchlist } from './patterns.js';

export interface MonitorEntry {
  readonly index: number;
  /** ms. */
  readonly timestamp: number;
  /** SHA-256(0x00 ‖ MerkleTreeLeaf) (RFC 6962 §2.1). */
  readonly leafHash: Bytes;
  readonly type: 'x509_entry' | 'precert_entry';
  /** x509_entry: the certificate DER; precert_entry: the TBSCertificate the log signed (§3.2). */
  readonly body: Bytes;
  /** precert_entry: the submitted precertificate, when the entry carries one that can be read. */
  readonly preCertificate: () => Bytes | undefined;
}

/** From a data tile (data-tile.ts decoded it strictly). */
export function fromStaticCt(entry: StaticCtEntry): MonitorEntry {
  return {
    index: entry.index,
    timestamp: entry.timestamp,
    leafHash: entry.leafHash,
    type: entry.type,
    body: entry.type === 'x509_entry' ? entry.certificate : entry.tbsCertificate,
    preCertificate: () => (entry.type === 'precert_entry' ? entry.preCertificate : undefined),
  };
}

/** The watchlist's verdict on one entry: a hit, none, or why its names could not be read. */
type EntryMatch = { readonly hit: Hit } | { readonly hit?: undefined; readonly unreadable?: string };

export function matchEntry(entry: MonitorEntry, watchlist: Watchlist): EntryMatch {
  try {
    const names = entry.type === 'x509_entry' ? certificateEntryNames(entry.body) : tbsEntryNames(entry.body);
    const hit = watchlist.match(names);
    return hit ? { hit } : {};
  } catch (e) {
    if (e instanceof DerError) return { unreadable: e.message };
    throw e;
  }
}
