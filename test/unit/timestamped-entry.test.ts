/**
 * RFC 6962 §3.4 TimestampedEntry, read by one decoder for get-entries' MerkleTreeLeaf (leaf.ts)
 * and static-ct-api data tiles (data-tile.ts): the real RFC 6962 test certificate and SCT, and
 * both readers naming the same field for every damage.
 */
import { describe, expect, it } from 'vitest';
import { concatBytes, sha256 } from '../../src/bytes.js';
import { decodeDataTile } from '../../src/logclient/data-tile.js';
import { LeafError, parseMerkleTreeLeaf } from '../../src/logclient/leaf.js';
import { readTimestampedEntry } from '../../src/logclient/timestamped-entry.js';
import { leafHash, sctLeafHash } from '../../src/merkle/hash.js';
import { decodeSct } from '../../src/sct/decode.js';
import { leafIndexExtensions } from '../../src/sct/extensions.js';
import { precertEntry, signedData, x509Entry } from '../../src/sct/signed-data.js';
import type { SctV1 } from '../../src/sct/types.js';
import { TlsDecodeError, TlsReader } from '../../src/tls.js';
import { merkleTreeLeaf, tileLeaf } from '../../log/structs.js';
import { pemCert, readFixture } from '../support/fixtures.js';

const cert = pemCert('rfc6962/test-cert.pem');
const ca = pemCert('rfc6962/ca-cert.pem');
const sct = decodeSct(readFixture('rfc6962/test-cert.proof')) as SctV1;

describe('readTimestampedEntry', () => {
  it("reads the MerkleTreeLeaf of the RFC 6962 test certificate, whose leaf hash is the SCT's", () => {
    // For v1, the MerkleTreeLeaf bytes are the SCT's signed data (RFC 6962 §3.2, §3.4).
    const leafInput = signedData(sct, x509Entry(cert));
    const leaf = parseMerkleTreeLeaf(leafInput);
    expect(leaf).toEqual({
      timestamp: sct.timestamp,
      entryType: 'x509_entry',
      signedEntry: x509Entry(cert),
      certificate: cert,
      extensions: new Uint8Array(0),
    });
    const entry = readTimestampedEntry(new TlsReader(leafInput.subarray(2)));
    expect(entry.bytes).toEqual(leafInput.subarray(2));
    expect(leafHash(concatBytes(Uint8Array.of(0, 0), entry.bytes))).toEqual(sctLeafHash(sct, x509Entry(cert)));
  });

  it('a precert_entry: issuer_key_hash and tbs_certificate, as views into the input', () => {
    const tbs = Uint8Array.of(0x30, 0x03, 0x02, 0x01, 0x07);
    const bytes = merkleTreeLeaf(1_700_000_000_000, precertEntry(sha256(ca), tbs), leafIndexExtensions(9)).subarray(2);
    const entry = readTimestampedEntry(new TlsReader(bytes));
    expect(entry).toMatchObject({ type: 'precert_entry', timestamp: 1_700_000_000_000, issuerKeyHash: sha256(ca) });
    expect(entry).toMatchObject({ tbsCertificate: tbs });
    expect(entry.signedEntry).toEqual(precertEntry(sha256(ca), tbs));
    expect(entry.extensions).toEqual(leafIndexExtensions(9));
    if (entry.type === 'precert_entry') expect(entry.tbsCertificate.buffer).toBe(bytes.buffer);
  });

  it('an unknown entry_type and a timestamp beyond 2^53 - 1 are named, with where the caller says', () => {
    const bytes = merkleTreeLeaf(5, x509Entry(cert)).subarray(2);
    const typed = Uint8Array.from(bytes);
    typed[9] = 2;
    const at = (field: string) => `entry 4: ${field}`;
    expect(() => readTimestampedEntry(new TlsReader(typed), at)).toThrow(
      new TlsDecodeError('entry 4: entry_type is 2, neither x509_entry (0) nor precert_entry (1)'),
    );
    const late = Uint8Array.from(bytes);
    late[1] = 0x20;
    const refused = new TlsDecodeError('timestamp does not fit in 53 bits');
    expect(() => readTimestampedEntry(new TlsReader(late))).toThrow(refused);
  });

  it('every truncation: the MerkleTreeLeaf and the data tile readers name the same field', () => {
    for (const [precert, entry] of [
      [false, x509Entry(cert)],
      [true, precertEntry(sha256(ca), cert)],
    ] as const) {
      const leafInput = merkleTreeLeaf(1_600_000_000_000, entry, leafIndexExtensions(0));
      const timestamped = leafInput.length - 2;
      // From 1: an empty tile is refused before any entry is read.
      for (let cut = 1; cut < timestamped; cut++) {
        const field = (message: string) => /^(?:entry 0: )?(.*?)(?: length)?: needs \d+ bytes/.exec(message)?.[1];
        let fromLeaf = '';
        try {
          parseMerkleTreeLeaf(leafInput.subarray(0, 2 + cut));
        } catch (e) {
          expect(e).toBeInstanceOf(LeafError);
          fromLeaf = (e as Error).message;
        }
        const tile = tileLeaf(leafInput, precert, [cert, ca]).subarray(0, cut);
        let fromTile = '';
        try {
          decodeDataTile(tile, 0, 1);
        } catch (e) {
          expect(e).toBeInstanceOf(TlsDecodeError);
          fromTile = (e as Error).message;
        }
        expect(field(fromLeaf), `cut at ${cut}: ${fromLeaf}`).toBeDefined();
        expect(field(fromTile), `cut at ${cut}: ${fromLeaf} / ${fromTile}`).toBe(field(fromLeaf));
      }
    }
  });
});
