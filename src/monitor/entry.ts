/**
 * A log entry as the monitor reads it, from either API: RFC 6962 get-entries (§4.6; the
 * MerkleTreeLeaf's signed_entry, §3.4, and extra_data) or a static-ct-api data tile's TileLeaf.
 * Byte fields are views; nothing is decoded beyond the entry's own framing until it matches.
 */
import type { Bytes } from '../bytes.js';
import { DerError } from '../der/element.js';
import type { StaticCtEntry } from '../logclient/data-tile.js';
import type { LogEntry } from '../logclient/rfc6962.js';
import { TlsDecodeError, TlsReader } from '../tls.js';
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

/** Where in signed_entry the certificate (x509_entry) or the TBS (precert_entry) is (RFC 6962 §3.4). */
function signedBody(signedEntry: Bytes): Bytes {
  const r = new TlsReader(signedEntry);
  const type = r.u16('entry_type');
  if (type === 1) r.bytesOf(32, 'issuer_key_hash');
  const body = r.vector(3, type === 1 ? 'tbs_certificate' : 'ASN.1Cert');
  r.end('signed_entry');
  return body;
}

/** From get-entries. The leaf was decoded strictly by the client (leaf.ts). */
export function fromRfc6962(entry: LogEntry): MonitorEntry {
  const precert = entry.entryType === 'precert_entry';
  return {
    index: entry.leafIndex,
    timestamp: entry.timestamp,
    leafHash: entry.leafHash,
    type: entry.entryType,
    body: signedBody(entry.signedEntry.bytes),
    // extra_data of a precert_entry: PrecertChainEntry { ASN.1Cert pre_certificate; ... } (§4.6).
    preCertificate: () => {
      if (!precert) return undefined;
      try {
        return new TlsReader(entry.extraData).vector(3, 'pre_certificate', 1);
      } catch (e) {
        if (e instanceof TlsDecodeError) return undefined;
        throw e;
      }
    },
  };
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
export type EntryMatch = { readonly hit: Hit } | { readonly hit?: undefined; readonly unreadable?: string };

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
