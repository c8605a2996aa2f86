/**
 * RFC 6962 §4.6 get-entries for the monitor's hot path. Rfc6962Client.getEntries decodes each
 * entry's extra_data and copies the leaf's fields; a monitor reads every entry of a log and needs
 * extra_data only for the few that match (a precertificate's pre_certificate, §4.6), so here
 * leaf_input is decoded strictly (base64, then the MerkleTreeLeaf of §3.4 with the core's
 * TimestampedEntry reader, as views) and extra_data is kept as text, checked to be a string, and
 * decoded when asked (an unreadable one then reads as absent). Measured: a third less time and
 * far less garbage per entry.
 */
import { fromBase64, type Bytes } from '../bytes.js';
import type { LogHttp } from '../logclient/http.js';
import { base64, malformed, object } from '../logclient/json-fields.js';
import { checkEntryRange } from '../logclient/rfc6962.js';
import { readTimestampedEntry } from '../logclient/timestamped-entry.js';
import { leafHash } from '../merkle/hash.js';
import { TlsDecodeError, TlsReader } from '../tls.js';
import type { MonitorEntry } from './entry.js';

/** extra_data of a precert_entry: PrecertChainEntry { ASN.1Cert pre_certificate; ... } (§4.6). */
function preCertificate(extraData: string): Bytes | undefined {
  try {
    return new TlsReader(fromBase64(extraData)).vector(3, 'pre_certificate', 1);
  } catch {
    return undefined;
  }
}

/** Entries start..end (inclusive) of the log at `base` (its URL, ending in '/'); the log may answer fewer. */
export async function getEntries(http: LogHttp, base: string, start: number, end: number): Promise<MonitorEntry[]> {
  checkEntryRange(start, end);
  const url = `${base}ct/v1/get-entries?start=${start}&end=${end}`;
  const body = object(await http.getJson(url), url);
  if (!Array.isArray(body.entries)) throw malformed(url, 'entries is not an array');
  const asked = end - start + 1;
  if (body.entries.length > asked) {
    throw malformed(url, `entries has ${body.entries.length} entries, more than the ${asked} asked for`);
  }
  return body.entries.map((value: unknown, i: number): MonitorEntry => {
    const name = `entries[${i}]`;
    const item = object(value, url, name);
    const leafInput = base64(item.leaf_input, `${name}.leaf_input`, url);
    const extraData = item.extra_data;
    if (typeof extraData !== 'string') throw malformed(url, `${name}.extra_data is not a string`);
    try {
      const r = new TlsReader(leafInput);
      const version = r.u8('version');
      if (version !== 0) throw new TlsDecodeError(`version is ${version}, expected v1 (0)`);
      const leafType = r.u8('leaf_type');
      if (leafType !== 0) throw new TlsDecodeError(`leaf_type is ${leafType}, expected timestamped_entry (0)`);
      const entry = readTimestampedEntry(r);
      r.end('MerkleTreeLeaf');
      const precert = entry.type === 'precert_entry';
      return {
        index: start + i,
        timestamp: entry.timestamp,
        leafHash: leafHash(leafInput),
        type: entry.type,
        body: precert ? entry.tbsCertificate : entry.certificate,
        preCertificate: () => (precert ? preCertificate(extraData) : undefined),
      };
    } catch (e) {
      if (e instanceof TlsDecodeError) throw malformed(url, `${name}.leaf_input: ${e.message}`);
      throw e;
    }
  });
}
