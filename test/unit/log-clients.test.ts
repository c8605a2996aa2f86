/**
 * The log clients' submission, get-entries, get-roots / get-anchors and get-all-by-hash, against
 * the local test log over real loopback HTTP (Rfc6962Client on /ct/v1/, Rfc9162Client on
 * /ct/v2/), and their strictness: answers the local log never sends are made by tampering with
 * its real answers, and must be 'malformed' naming the field.
 */
import { createPublicKey, verify as nodeVerify } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { concatBytes, fromBase64, sha256, toBase64 } from '../../src/bytes.js';
import { LogHttp, LogHttpError } from '../../src/logclient/http.js';
import { Rfc6962Client } from '../../src/logclient/rfc6962.js';
import { Rfc9162Client } from '../../src/logclient/rfc9162.js';
import { parseLogList } from '../../src/loglist/schema.js';
import { leafHash, sctLeafHash } from '../../src/merkle/hash.js';
import { verifyConsistency, verifyInclusion } from '../../src/merkle/verify.js';
import { decodeSct } from '../../src/sct/decode.js';
import { precertEntry, x509Entry } from '../../src/sct/signed-data.js';
import type { SctV1 } from '../../src/sct/types.js';
import { encodeUint, encodeVector } from '../../src/tls.js';
import { parseCertificate } from '../../src/x509/certificate.js';
import { precertTbs } from '../../src/x509/precert-tbs.js';
import { LocalCtLog } from '../../log/log.js';
import { logListJson } from '../../log/log-list.js';
import { startLocalLog, type LocalLogServer } from '../../log/server.js';
import { testLogV2Id } from '../../log/v2-structs.js';
import { beginIssuance, createTestCa, issueWithEmbeddedScts, type TestCa } from '../support/test-pki.js';

const NOT_BEFORE = Date.UTC(2025, 0, 1);
const NOT_AFTER = Date.UTC(2025, 11, 1);
const POLICY = { timeoutMs: 2000, retries: 0, backoffMs: 0, maxBytes: 1 << 20 };

let ca: TestCa;
let serial = 0;
const servers: LocalLogServer[] = [];
const plainCert = async (): Promise<Uint8Array> =>
  (
    await issueWithEmbeddedScts(ca, {
      notBefore: NOT_BEFORE,
      notAfter: NOT_AFTER,
      logs: [],
      subject: `clients-${serial++}.test`,
    })
  ).der;
const precert = async (): Promise<Uint8Array> =>
  (await beginIssuance(ca, { notBefore: NOT_BEFORE, notAfter: NOT_AFTER, subject: `clients-pre-${serial++}.test` }))
    .precert;

/** A LogHttp that lets the real answer (or a made-up one) through `change`. */
class TamperHttp extends LogHttp {
  constructor(private readonly change: (url: string, answer: () => Promise<unknown>) => Promise<unknown> | unknown) {
    super(POLICY);
  }
  override getJson(url: string): Promise<unknown> {
    return Promise.resolve(this.change(url, () => super.getJson(url)));
  }
  override postJson(url: string, body: unknown): Promise<unknown> {
    return Promise.resolve(this.change(url, () => super.postJson(url, body)));
  }
}

async function start() {
  const log = new LocalCtLog({ description: `clients log ${serial++}` });
  const server = await startLocalLog(log);
  servers.push(server);
  const v1 = parseLogList(logListJson(log, { url: server.url }), 'v1 list').logs[0]!;
  const v2 = parseLogList(logListJson(log, { url: server.url, api: 'rfc9162' }), 'v2 list').logs[0]!;
  const options = { logIdV2: testLogV2Id(log).logId };
  return {
    log,
    server,
    v1: new Rfc6962Client(v1, new LogHttp(POLICY)),
    v2: new Rfc9162Client(v2, new LogHttp(POLICY), undefined, options),
    /** Clients whose answers pass through `change`. */
    tampered: (change: ConstructorParameters<typeof TamperHttp>[0]) => ({
      v1: new Rfc6962Client(v1, new TamperHttp(change)),
      v2: new Rfc9162Client(v2, new TamperHttp(change), undefined, options),
    }),
  };
}

async function failure(p: Promise<unknown>): Promise<LogHttpError> {
  const e = await p.then(
    () => undefined,
    (err: unknown) => err,
  );
  expect(e).toBeInstanceOf(LogHttpError);
  return e as LogHttpError;
}

/** A JSON answer with `edit` applied to (a copy of) it. */
const edited = (edit: (body: any) => void) => async (_url: string, answer: () => Promise<unknown>) => {
  const body = structuredClone(await answer()) as any;
  edit(body);
  return body;
};

const b64 = (bytes: Uint8Array): string => Buffer.from(bytes).toString('base64');
const u64 = (n: number): Buffer => {
  const b = Buffer.alloc(8);
  b.writeBigUInt64BE(BigInt(n));
  return b;
};

beforeAll(async () => {
  ca = await createTestCa('ctlens clients CA');
});
afterAll(async () => {
  await Promise.all(servers.map((s) => s.close()));
});

describe('Rfc6962Client: add-chain / add-pre-chain (§4.1, §4.2)', () => {
  it('returns the serialized v1 SCT, whose leaf is the one get-entries then serves', async () => {
    const { log, v1 } = await start();
    const leaf = await plainCert();
    const pre = await precert();
    const raws = [await v1.addChain([leaf, ca.der]), await v1.addPreChain([pre, ca.der])];
    const scts = raws.map((raw) => decodeSct(raw) as SctV1);
    expect(scts.map((s) => s.kind)).toEqual(['v1', 'v1']);
    expect(scts[0]!.logId).toEqual(log.logId);
    const entries = await v1.getEntries(0, 1);
    expect(entries[0]!.leafHash).toEqual(sctLeafHash(scts[0]!, x509Entry(leaf)));
    expect(entries[1]!.leafHash).toEqual(
      sctLeafHash(scts[1]!, precertEntry(sha256(parseCertificate(ca.der).spki), precertTbs(parseCertificate(pre)))),
    );
  });

  it('a refused chain is the HTTP 400; a bad answer is malformed naming the field', async () => {
    const { v1, tampered } = await start();
    const refused = await failure(v1.addChain([new Uint8Array([1, 2, 3])]));
    expect([refused.kind, refused.status]).toEqual(['malformed', 400]);
    const cases: [(body: any) => void, RegExp][] = [
      [(b) => (b.sct_version = 1), /sct_version is 1, expected 0/],
      [(b) => (b.id = toBase64(new Uint8Array(32))), /id \S+ is not this log's/],
      [(b) => (b.id = 'AAAA'), /id is 3 bytes, expected 32/],
      [(b) => delete b.signature, /signature is missing/],
      [(b) => (b.timestamp = -1), /timestamp is not a whole number/],
      [(b) => (b.extensions = 'not base64!'), /extensions: /],
      [(b) => (b.signature = toBase64(Uint8Array.of(4, 3, 0, 9, 1))), /the SCT does not decode: .*signature/],
    ];
    const leaf = await plainCert();
    for (const [edit, reason] of cases) {
      const e = await failure(tampered(edited(edit)).v1.addChain([leaf, ca.der]));
      expect(e.kind).toBe('malformed');
      expect(e.message).toMatch(reason);
    }
  });
});

describe('Rfc6962Client: get-entries (§4.6)', () => {
  it('decodes each MerkleTreeLeaf; its hashes are the tree the STH signs', async () => {
    const { log, v1 } = await start();
    const chains = [
      [await plainCert(), ca.der],
      [await precert(), ca.der],
      [await plainCert(), ca.der],
    ];
    log.addChain(chains[0]!);
    log.addPreChain(chains[1]!);
    log.addChain(chains[2]!);
    const head = await v1.getTreeHead();
    const entries = await v1.getEntries(0, 2);
    expect(entries.map((e) => [e.leafIndex, e.entryType])).toEqual([
      [0, 'x509_entry'],
      [1, 'precert_entry'],
      [2, 'x509_entry'],
    ]);
    entries.forEach((e, i) => {
      const served = log.served().entry(i);
      expect(e.leafInput).toEqual(served.leafInput);
      expect(e.extraData).toEqual(served.extraData);
      expect(e.leafHash).toEqual(leafHash(served.leafInput));
      expect(e.timestamp).toBe(served.timestamp);
      expect(e.signedEntry).toEqual(served.entry);
      expect(e.extensions).toEqual(new Uint8Array(0));
    });
    for (const e of entries) {
      const { leafIndex, auditPath } = await v1.getInclusionProof(e.leafHash, head.treeSize);
      expect(leafIndex).toBe(e.leafIndex);
      verifyInclusion(leafIndex, head.treeSize, e.leafHash, auditPath, head.rootHash);
    }
    // Fewer than asked (the log stops at its end) is fine; a start past the end is the log's 400.
    expect((await v1.getEntries(1, 100)).map((e) => e.leafIndex)).toEqual([1, 2]);
    expect((await failure(v1.getEntries(3, 5))).status).toBe(400);
    await expect(v1.getEntries(2, 1)).rejects.toThrow(RangeError);
  });

  it('a bad answer is malformed naming the entry and field', async () => {
    const { log, tampered } = await start();
    log.addChain([await plainCert(), ca.der]);
    log.addPreChain([await precert(), ca.der]);
    const leaf = (edit: (bytes: Uint8Array) => Uint8Array) => (b: any) =>
      (b.entries[1].leaf_input = toBase64(edit(fromBase64(b.entries[1].leaf_input))));
    const cases: [(body: any) => void, RegExp][] = [
      [(b) => b.entries.push(b.entries[0]), /entries has 3 entries, more than the 2 asked for/],
      [(b) => (b.entries = {}), /entries is not an array/],
      [(b) => (b.entries[1] = 'x'), /entries\[1\] is not a JSON object/],
      [(b) => delete b.entries[0].extra_data, /entries\[0\]\.extra_data is missing/],
      [leaf((x) => concatBytes(x, Uint8Array.of(0))), /entries\[1\]\.leaf_input: MerkleTreeLeaf: 1 trailing bytes/],
      [leaf((x) => x.subarray(0, x.length - 1)), /entries\[1\]\.leaf_input: extensions/],
      [
        leaf((x) => concatBytes(Uint8Array.of(1), x.subarray(1))),
        /entries\[1\]\.leaf_input: version is 1, expected v1 \(0\)/,
      ],
      [leaf((x) => concatBytes(Uint8Array.of(0, 1), x.subarray(2))), /leaf_type is 1, expected timestamped_entry/],
      [leaf((x) => concatBytes(x.subarray(0, 10), Uint8Array.of(0, 2), x.subarray(12))), /entry_type is 2, neither/],
      [
        leaf((x) => concatBytes(x.subarray(0, 2), Uint8Array.of(0xff), x.subarray(3))),
        /timestamp does not fit in 53 bits/,
      ],
      [leaf((x) => x.subarray(0, 50)), /entries\[1\]\.leaf_input: precert_entry tbs_certificate/],
    ];
    for (const [edit, reason] of cases) {
      const e = await failure(tampered(edited(edit)).v1.getEntries(0, 1));
      expect(e.kind).toBe('malformed');
      expect(e.message).toMatch(reason);
    }
  });
});

describe('get-roots (§4.7) and get-anchors (RFC 9162 §5.7)', () => {
  it('lists the log roots as DER; an entry that is no certificate is malformed', async () => {
    const { log, v1, v2, tampered } = await start();
    expect(await v1.getRoots()).toEqual([]);
    expect(await v2.getRoots()).toEqual([]);
    log.roots = [ca.der];
    expect(await v1.getRoots()).toEqual([ca.der]);
    expect(await v2.getRoots()).toEqual([ca.der]);
    const bad = tampered(edited((b) => b.certificates.push(toBase64(Uint8Array.of(0x30, 0)))));
    for (const p of [bad.v1.getRoots(), bad.v2.getRoots()])
      expect((await failure(p)).message).toMatch(/certificates\[1\] is not a certificate/);
    expect((await failure(tampered(edited((b) => (b.certificates = 'x'))).v1.getRoots())).message).toMatch(
      /certificates is not an array/,
    );
  });

  it('v2 falls back to get-roots on a 404 from get-anchors, and only then', async () => {
    const { log, tampered } = await start();
    log.roots = [ca.der];
    const asked: string[] = [];
    const answer = (status: number) => (url: string, real: () => Promise<unknown>) => {
      asked.push(url.replace(/^.*\/ct\/v2\//, ''));
      if (url.endsWith('get-anchors'))
        throw new LogHttpError(status === 404 ? 'not-found' : 'unavailable', `${url}: HTTP ${status}`, status);
      return real();
    };
    expect(await tampered(answer(404)).v2.getRoots()).toEqual([ca.der]);
    expect(asked).toEqual(['get-anchors', 'get-roots']);
    asked.length = 0;
    expect((await failure(tampered(answer(503)).v2.getRoots())).kind).toBe('unavailable');
    expect(asked).toEqual(['get-anchors']);
  });
});

describe('Rfc9162Client: submit-entry (§5.1)', () => {
  /** §4.7 TransItem x509_entry_v2 (0x0100) / precert_entry_v2 (0x0101), built here with Node's Buffer. */
  const entryV2 = (type: number, timestamp: number, issuerKeyHash: Uint8Array, tbs: Uint8Array): Buffer => {
    const tbsLength = Buffer.alloc(3);
    tbsLength.writeUIntBE(tbs.length, 0, 3);
    return Buffer.concat([
      Buffer.from([type >> 8, type & 255]),
      u64(timestamp),
      Buffer.of(32),
      issuerKeyHash,
      tbsLength,
      tbs,
      Buffer.of(0, 0),
    ]);
  };

  it('x509 and precert: the SCT verifies over the v2 entry, and the inclusion proof over the tree head', async () => {
    const { log, v2 } = await start();
    const key = createPublicKey({ key: Buffer.from(log.spki), format: 'der', type: 'spki' });
    const issuerKeyHash = sha256(parseCertificate(ca.der).spki);
    const leaf = await plainCert();
    const pre = await precert();
    const leafView = parseCertificate(leaf);
    const cases = [
      {
        type: 'x509' as const,
        submission: leaf,
        sctType: 'x509_sct_v2',
        entryType: 0x0100,
        tbs: leafView.der.subarray(leafView.tbs.start, leafView.tbs.end),
      },
      {
        type: 'precert' as const,
        submission: pre,
        sctType: 'precert_sct_v2',
        entryType: 0x0101,
        tbs: precertTbs(parseCertificate(pre)),
      },
    ];
    for (const [i, c] of cases.entries()) {
      const answer = await v2.submitEntry(c.submission, c.type, [ca.der]);
      expect(answer.sct.type).toBe(c.sctType);
      expect(answer.sct.logId).toEqual(testLogV2Id(log).logId);
      expect(answer.sct.extensions).toEqual(new Uint8Array(0));
      const signed = entryV2(c.entryType, answer.sct.timestamp, issuerKeyHash, c.tbs);
      expect(nodeVerify('sha256', signed, key, answer.sct.signature)).toBe(true);
      expect(nodeVerify('sha256', Buffer.concat([signed, Buffer.of(0)]), key, answer.sct.signature)).toBe(false);
      // The test log's tree holds the RFC 6962 leaf of the same submission (see v2-api.ts).
      const served = log.served().entry(i);
      expect(served.timestamp).toBe(answer.sct.timestamp);
      expect(answer.sth!.treeSize).toBe(i + 1);
      expect(answer.inclusion!.leafIndex).toBe(i);
      verifyInclusion(i, answer.sth!.treeSize, served.leafHash, answer.inclusion!.auditPath, answer.sth!.rootHash);
    }
  });

  it('a pending entry has no sth or inclusion; the log refuses bad submissions with RFC 9162 error codes', async () => {
    const log = new LocalCtLog({ mergeDelayMs: 60_000 });
    const server = await startLocalLog(log);
    servers.push(server);
    const info = parseLogList(logListJson(log, { url: server.url, api: 'rfc9162' }), 'v2 list').logs[0]!;
    const v2 = new Rfc9162Client(info, new LogHttp(POLICY), undefined, { logIdV2: testLogV2Id(log).logId });
    const answer = await v2.submitEntry(await plainCert(), 'x509', [ca.der]);
    expect(answer.sth).toBeUndefined();
    expect(answer.inclusion).toBeUndefined();
    const post = async (body: unknown) => {
      const res = await fetch(new URL('ct/v2/submit-entry', server.url), {
        method: 'POST',
        body: JSON.stringify(body),
      });
      // §5: an RFC 7807 Problem Details object whose type is urn:ietf:params:trans:error:<token>.
      expect(res.headers.get('content-type')).toBe('application/problem+json');
      const problem = (await res.json()) as { type: string; detail: string };
      expect(problem.detail).toEqual(expect.any(String));
      return [res.status, problem.type.replace('urn:ietf:params:trans:error:', '')];
    };
    const leaf = b64(await plainCert());
    // §5.1 Table 2 (and §5 Table 1's malformed).
    expect(await post({ submission: leaf, type: 3, chain: [b64(ca.der)] })).toEqual([400, 'badType']);
    expect(await post({ submission: leaf, type: 1, chain: [] })).toEqual([400, 'unknownAnchor']);
    expect(await post({ submission: '', type: 1, chain: [b64(ca.der)] })).toEqual([400, 'badSubmission']);
    expect(await post({ submission: b64(Uint8Array.of(0x30, 0)), type: 1, chain: [b64(ca.der)] })).toEqual([
      400,
      'badSubmission',
    ]);
    expect(await post({ submission: leaf, type: 1, chain: [b64(Uint8Array.of(0x30, 0))] })).toEqual([
      400,
      'badCertificate',
    ]);
    expect(await post({ submission: leaf, type: 1, chain: [leaf] })).toEqual([400, 'badChain']);
    expect(await post({ submission: leaf, type: 2, chain: [b64(ca.der)] })).toEqual([400, 'badSubmission']);
    expect(await post([])).toEqual([400, 'malformed']);
    expect((await fetch(new URL('ct/v2/submit-entry', server.url))).status).toBe(405);
    expect(log.pendingCount).toBe(1);
  });

  it('a bad answer is malformed naming the field', async () => {
    const { tampered } = await start();
    const leaf = await plainCert();
    const sct = (edit: (bytes: Uint8Array) => Uint8Array) => (b: any) => (b.sct = toBase64(edit(fromBase64(b.sct))));
    const cases: [(body: any) => void, RegExp][] = [
      [(b) => delete b.sct, /sct is missing/],
      [(b) => delete b.inclusion, /sth and inclusion must come together/],
      [
        sct((x) => concatBytes(x, Uint8Array.of(0))),
        /sct: x509_sct_v2 or precert_sct_v2 TransItem: .*1 trailing bytes/,
      ],
      [sct((x) => concatBytes(Uint8Array.of(1, 3), x.subarray(2))), /sct is precert_sct_v2, expected x509_sct_v2/],
      [sct((x) => concatBytes(Uint8Array.of(1, 4), x.subarray(2))), /sct: TransItem is signed_tree_head_v2/],
      [
        sct((x) => concatBytes(x.subarray(0, 3), Uint8Array.of(x[3]! ^ 1), x.subarray(4))),
        /sct: log_id \S+ is not this log's/,
      ],
      [(b) => (b.sth = b.inclusion), /sth: TransItem is inclusion_proof_v2/],
    ];
    for (const [edit, reason] of cases) {
      const e = await failure(tampered(edited(edit)).v2.submitEntry(leaf, 'x509', [ca.der]));
      expect(e.kind).toBe('malformed');
      expect(e.message).toMatch(reason);
    }
  });
});

describe('Rfc9162Client: get-entries (§5.6)', () => {
  it('decodes the entries (RFC 6962 leaves on this log, v2 entries too) and the sth they lie in', async () => {
    const { log, v2, tampered } = await start();
    const leaf = await plainCert();
    const pre = await precert();
    log.addChain([leaf, ca.der]);
    log.addPreChain([pre, ca.der]);
    const { entries, sth } = await v2.getEntries(0, 9);
    expect(sth.treeSize).toBe(2);
    expect(
      entries.map((e) => [e.leafIndex, e.decoded.kind, e.decoded.kind === 'rfc6962' && e.decoded.leaf.entryType]),
    ).toEqual([
      [0, 'rfc6962', 'x509_entry'],
      [1, 'rfc6962', 'precert_entry'],
    ]);
    expect(entries.map((e) => e.submission)).toEqual([leaf, pre]);
    expect(entries.map((e) => e.chain)).toEqual([[ca.der], [ca.der]]);
    entries.forEach((e, i) => {
      expect(e.leafHash).toEqual(log.served().entry(i).leafHash);
      expect(e.timestamp).toBe(log.served().entry(i).timestamp);
    });
    expect((await v2.getEntries(5, 9)).entries).toEqual([]);
    // A log whose leaves are v2 TransItems (§4.7).
    const v2Leaf = concatBytes(
      Uint8Array.of(1, 0),
      encodeUint(7, 8),
      encodeVector(new Uint8Array(32).fill(9), 1),
      encodeVector(Uint8Array.of(0x30, 0), 3),
      encodeVector(new Uint8Array(0), 2),
    );
    const got = await tampered(edited((b) => (b.entries[0].log_entry = toBase64(v2Leaf)))).v2.getEntries(0, 1);
    expect(got.entries[0]!.decoded).toEqual({
      kind: 'v2',
      entry: {
        type: 'x509_entry_v2',
        timestamp: 7,
        issuerKeyHash: new Uint8Array(32).fill(9),
        tbsCertificate: Uint8Array.of(0x30, 0),
        extensions: new Uint8Array(0),
      },
    });
    expect(got.entries[0]!.leafHash).toEqual(leafHash(v2Leaf));
  });

  it('a bad answer is malformed naming the entry and field', async () => {
    const { log, tampered } = await start();
    log.addChain([await plainCert(), ca.der]);
    log.addChain([await plainCert(), ca.der]);
    const cases: [(body: any) => void, RegExp][] = [
      [(b) => b.entries.push(b.entries[0]), /entries has 3 entries, more than the 2 asked for/],
      [(b) => (b.entries = []), /entries is empty though the sth's tree has 2 entries/],
      [(b) => delete b.sth, /sth is missing/],
      [
        (b) => (b.entries[0].log_entry = toBase64(Uint8Array.of(1, 4, 0))),
        /entries\[0\]\.log_entry: TransItem is signed_tree_head_v2/,
      ],
      [
        (b) => (b.entries[1].log_entry = toBase64(concatBytes(fromBase64(b.entries[1].log_entry), Uint8Array.of(0)))),
        /entries\[1\]\.log_entry: MerkleTreeLeaf: 1 trailing bytes/,
      ],
      [(b) => delete b.entries[1].submitted_entry, /entries\[1\]\.submitted_entry is not a JSON object/],
      [(b) => (b.entries[1].submitted_entry.submission = ''), /entries\[1\]\.submitted_entry\.submission is empty/],
      [
        (b) => (b.entries[0].submitted_entry.chain = [toBase64(Uint8Array.of(1))]),
        /entries\[0\]\.submitted_entry\.chain\[0\] is not a certificate/,
      ],
      [(b) => (b.entries[0].sct = b.sth), /entries\[0\]\.sct: TransItem is signed_tree_head_v2/],
    ];
    for (const [edit, reason] of cases) {
      const e = await failure(tampered(edited(edit)).v2.getEntries(0, 1));
      expect(e.kind).toBe('malformed');
      expect(e.message).toMatch(reason);
    }
    // Entries past the sth's tree: served by a log that grew after signing the sth it returns.
    const stale = (await tampered((_url, real) => real()).v2.getTreeHead()).transItemV2!;
    log.addChain([await plainCert(), ca.der]);
    const e = await failure(tampered(edited((b) => (b.sth = toBase64(stale)))).v2.getEntries(0, 5));
    expect(e.message).toMatch(/entries runs to index 2, past the sth's tree of size 2/);
  });
});

describe('Rfc9162Client: get-all-by-hash (§5.5)', () => {
  it('inclusion in the latest tree (verified), consistency from the asked size to it', async () => {
    const { log, v2 } = await start();
    const hashes = [];
    for (let i = 0; i < 3; i++) hashes.push(log.addChain([await plainCert(), ca.der]).leafHash);
    const head3 = await v2.getTreeHead();
    // §5.5 Table 5: tree_size is the latest, so only `inclusion` comes back (no sth, no consistency).
    const first = await v2.getAllByHash(hashes[1]!, 3);
    expect([first.sth, first.treeSize, first.leafIndex, first.consistency]).toEqual([undefined, 3, 1, []]);
    verifyInclusion(1, 3, hashes[1]!, first.auditPath, head3.rootHash);
    for (let i = 0; i < 4; i++) log.addChain([await plainCert(), ca.der]);
    const later = await v2.getAllByHash(hashes[1]!, 3);
    expect([later.sth?.treeSize, later.treeSize, later.leafIndex]).toEqual([7, 7, 1]);
    verifyInclusion(1, 7, hashes[1]!, later.auditPath, later.sth!.rootHash);
    verifyConsistency(3, 7, later.consistency, head3.rootHash, later.sth!.rootHash);
    expect((await failure(v2.getAllByHash(new Uint8Array(32), 7))).kind).toBe('not-found');
    expect((await failure(v2.getAllByHash(hashes[0]!, 9))).message).toMatch(/does not know tree size 9 yet/);
  });

  it('a proof that does not verify, or is for other sizes, is malformed', async () => {
    const { log, v2, tampered } = await start();
    const hashes = [];
    for (let i = 0; i < 5; i++) hashes.push(log.addChain([await plainCert(), ca.der]).leafHash);
    log.misbehave = { wrongProofs: true };
    expect((await failure(v2.getAllByHash(hashes[0]!, 3))).message).toMatch(
      /inclusion does not verify against the sth's root/,
    );
    log.misbehave = {};
    const cases: [(body: any) => void, RegExp][] = [
      [(b) => delete b.consistency, /consistency is missing/],
      [(b) => (b.inclusion = b.consistency), /inclusion: TransItem is consistency_proof_v2/],
      [(b) => delete b.sth, /consistency came without an sth/],
      [
        (b) => {
          delete b.sth;
          delete b.consistency;
        },
        /inclusion is for tree size 5, not 3 \(no sth came with it\)/,
      ],
    ];
    for (const [edit, reason] of cases) {
      const e = await failure(tampered(edited(edit)).v2.getAllByHash(hashes[0]!, 3));
      expect(e.kind).toBe('malformed');
      expect(e.message).toMatch(reason);
    }
    // The consistency proof of another request (from 4, not 3).
    const url = new URL(
      `ct/v2/get-all-by-hash?hash=${encodeURIComponent(toBase64(hashes[0]!))}&tree_size=4`,
      servers.at(-1)!.url,
    );
    const fromFour = ((await (await fetch(url)).json()) as { consistency: string }).consistency;
    const e = await failure(tampered(edited((b) => (b.consistency = fromFour))).v2.getAllByHash(hashes[0]!, 3));
    expect(e.message).toMatch(/consistency is for tree sizes 4 → 5, not 3 → 5/);
  });
});
