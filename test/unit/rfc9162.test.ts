/**
 * RFC 9162 (CT v2): the test log's /ct/v2/ API (log/v2-api.ts) read by Rfc9162Client over real
 * loopback HTTP. Tree heads verify as §4.10 says and any changed byte is refused; inclusion
 * (§5.4) and consistency (§5.3) proofs verify over the tree /ct/v1/ serves; bad TransItems are
 * 'malformed' saying why; and the audit reads a log through it when the list says "ctlens_api".
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { proveInclusion } from '../../src/inclusion/prove-inclusion.js';
import { proveSctInclusion } from '../../src/inclusion/prove-sct.js';
import { MemoryHeadStore } from '../../src/inclusion/tree-heads.js';
import { concatBytes, fromBase64, toBase64, type Bytes } from '../../src/bytes.js';
import { decide } from '../../src/check.js';
import { LogHttp, LogHttpError } from '../../src/logclient/http.js';
import { Rfc9162Client } from '../../src/logclient/rfc9162.js';
import {
  parseConsistencyProofV2,
  parseInclusionProofV2,
  parseSignedTreeHeadV2,
} from '../../src/logclient/trans-item.js';
import { LogRegistry } from '../../src/loglist/registry.js';
import { parseLogList, type LogInfo } from '../../src/loglist/schema.js';
import { leafHash, sctLeafHash } from '../../src/merkle/hash.js';
import { verifyConsistency, verifyInclusion } from '../../src/merkle/verify.js';
import { decodeSct } from '../../src/sct/decode.js';
import { x509Entry } from '../../src/sct/signed-data.js';
import type { SctV1 } from '../../src/sct/types.js';
import { encodeUint, encodeVector } from '../../src/tls.js';
import { LocalCtLog } from '../../log/log.js';
import { logListJson } from '../../log/log-list.js';
import { startLocalLog, type LocalLogServer } from '../../log/server.js';
import { inclusionProofV2, testLogV2Id, transItem } from '../../log/v2-structs.js';
import { beginIssuance, createTestCa, issueWithEmbeddedScts, type TestCa } from '../support/test-pki.js';

const DAY = 86_400_000;
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
      subject: `v2-${serial++}.test`,
    })
  ).der;

/** A test log serving /ct/v2/, its list entry (with "ctlens_api": "rfc9162") and a client. */
async function start() {
  const log = new LocalCtLog({ description: `v2 log ${serial++}` });
  const server = await startLocalLog(log);
  servers.push(server);
  const json = logListJson(log, { url: server.url, api: 'rfc9162', at: Date.now() - 30 * DAY });
  const info = parseLogList(json, 'v2 test list').logs[0]!;
  const client = new Rfc9162Client(info, new LogHttp(POLICY), undefined, { logIdV2: testLogV2Id(log).logId });
  return { log, server, info, json, client };
}

/** What a LogHttp would return, without a network: for bytes the local log never sends. */
class FixedHttp extends LogHttp {
  constructor(private readonly answer: (url: string) => unknown) {
    super(POLICY);
  }
  override getJson(url: string): Promise<unknown> {
    return Promise.resolve(this.answer(url));
  }
}

async function failure(p: Promise<unknown>): Promise<LogHttpError> {
  const e = await p.then(
    () => undefined,
    (err: unknown) => err,
  );
  expect(e).toBeInstanceOf(LogHttpError);
  return e as LogHttpError;
}

beforeAll(async () => {
  ca = await createTestCa('ctlens v2 CA');
});
afterAll(async () => {
  await Promise.all(servers.map((s) => s.close()));
});

describe('the log list selects the API', () => {
  it('"ctlens_api": "rfc9162" gives LogInfo.api; absent leaves it unset; another value skips the entry', async () => {
    const { info, json } = await start();
    expect(info.api).toBe('rfc9162');
    const plain = JSON.parse(json);
    delete plain.operators[0].logs[0].ctlens_api;
    expect(parseLogList(JSON.stringify(plain), 'x').logs[0]!.api).toBeUndefined();
    plain.operators[0].logs[0].ctlens_api = 'v2';
    const list = parseLogList(JSON.stringify(plain), 'x');
    expect(list.logs).toEqual([]);
    expect(list.skipped[0]).toMatch(/ctlens_api: expected "rfc6962" or "rfc9162"/);
  });
});

describe('get-sth (§5.2, §4.10)', () => {
  it('verifies with the log key, carries the log OID, and is the tree /ct/v1/ serves', async () => {
    const { log, client } = await start();
    log.addChain([await plainCert(), ca.der]);
    const head = await client.getTreeHead();
    const v1 = log.sth();
    expect(head.treeSize).toBe(1);
    expect(head.rootHash).toEqual(v1.rootHash);
    expect(client.logIdV2).toBe(testLogV2Id(log).oid);
    expect(client.logIdV2).toMatch(/^2\.999\.6962\.9162\.\d+$/);
    expect(parseSignedTreeHeadV2(head.transItemV2!).signature).toEqual(head.signature);
  });

  it('a changed byte anywhere in the signed tree head is refused as malformed', async () => {
    const { log, info, client } = await start();
    log.addChain([await plainCert(), ca.der]);
    const raw = (await client.getTreeHead()).transItemV2!;
    const reasons = new Set<string>();
    for (let i = 0; i < raw.length; i++) {
      const bad = raw.slice();
      bad[i]! ^= 0x01;
      const fake = new Rfc9162Client(info, new FixedHttp(() => ({ sth: toBase64(bad) })), undefined, {
        logIdV2: testLogV2Id(log).logId,
      });
      const e = await failure(fake.getTreeHead());
      expect(e.kind, `byte ${i}`).toBe('malformed');
      reasons.add(e.message.replace(/^.*get-sth: /, '').replace(/[\d(].*$/, ''));
    }
    expect([...reasons].some((r) => r.includes('tree head signature does not verify'))).toBe(true);
  });

  it('badSthSignature: the audit sees an unverifiable head', async () => {
    const { log, client } = await start();
    log.addChain([await plainCert(), ca.der]);
    log.misbehave = { badSthSignature: true };
    const e = await failure(client.getTreeHead());
    expect(e.kind).toBe('malformed');
    expect(e.message).toMatch(/sth: tree head signature does not verify/);
    log.misbehave = {};
    await client.getTreeHead();
  });
});

describe('misbehaviour on /ct/v2/', () => {
  it('fork: two verified v2 heads for one size, and the replaced entry has no proof; slowMs delays', async () => {
    const { log, client } = await start();
    const leaves = [];
    for (let i = 0; i < 3; i++) leaves.push(log.addChain([await plainCert(), ca.der]).leafHash);
    const honest = await client.getTreeHead();
    log.misbehave = { fork: true };
    const forked = await client.getTreeHead();
    expect(forked.treeSize).toBe(honest.treeSize);
    expect(forked.rootHash).not.toEqual(honest.rootHash);
    expect((await failure(client.getInclusionProof(leaves[2]!, 3))).kind).toBe('not-found');
    log.misbehave = { slowMs: 120 };
    const t0 = performance.now();
    await client.getTreeHead();
    expect(performance.now() - t0).toBeGreaterThanOrEqual(120);
    log.misbehave = {};
  });
});

describe('a growing log: v2 inclusion and consistency proofs verify', () => {
  const SIZES = [1, 2, 3, 4, 5, 7, 8, 9, 16, 17, 24];
  let ctx: Awaited<ReturnType<typeof start>>;
  const roots = new Map<number, Bytes>();
  const hashes: Bytes[] = [];

  beforeAll(async () => {
    ctx = await start();
    for (let i = 0; i < 24; i++) {
      if (i % 4 === 3)
        hashes.push(
          ctx.log.addPreChain([
            (await beginIssuance(ca, { notBefore: NOT_BEFORE, notAfter: NOT_AFTER, subject: `pre${i}.test` })).precert,
            ca.der,
          ]).leafHash,
        );
      else hashes.push(ctx.log.addChain([await plainCert(), ca.der]).leafHash);
      const head = await ctx.client.getTreeHead();
      expect(head.treeSize).toBe(i + 1);
      roots.set(head.treeSize, head.rootHash);
    }
  });

  it('get-proof-by-hash (§5.4) for every leaf of several tree sizes', async () => {
    await Promise.all(
      SIZES.flatMap((size) =>
        hashes.slice(0, size).map(async (hash, i) => {
          const { leafIndex, auditPath } = await ctx.client.getInclusionProof(hash, size);
          expect(leafIndex).toBe(i);
          verifyInclusion(leafIndex, size, hash, auditPath, roots.get(size)!);
        }),
      ),
    );
  });

  it('get-sth-consistency (§5.3) between every pair of those sizes', async () => {
    await Promise.all(
      SIZES.flatMap((second) =>
        SIZES.filter((first) => first <= second).map(async (first) => {
          verifyConsistency(
            first,
            second,
            await ctx.client.getConsistency(first, second),
            roots.get(first)!,
            roots.get(second)!,
          );
        }),
      ),
    );
  });

  it('a hash the log does not have is not-found; a tree the log does not have yet is skew (unavailable)', async () => {
    expect((await failure(ctx.client.getInclusionProof(new Uint8Array(32), 24))).kind).toBe('not-found');
    expect((await failure(ctx.client.getInclusionProof(hashes[3]!, 30))).message).toMatch(
      /does not know tree size 30 yet and answered for its tree of size 24/,
    );
    expect((await failure(ctx.client.getConsistency(5, 30))).kind).toBe('unavailable');
    expect((await failure(ctx.client.getConsistency(28, 30))).kind).toBe('unavailable');
  });

  it('get-all-by-hash (§5.5) and get-entries (§5.6) answer over the same leaves', async () => {
    const get = async (path: string) =>
      (await fetch(new URL(`ct/v2/${path}`, ctx.server.url))).json() as Promise<Record<string, any>>;
    const all = await get(`get-all-by-hash?hash=${encodeURIComponent(toBase64(hashes[2]!))}&tree_size=5`);
    const sth = parseSignedTreeHeadV2(fromBase64(all.sth));
    const inclusion = parseInclusionProofV2(fromBase64(all.inclusion));
    const consistency = parseConsistencyProofV2(fromBase64(all.consistency));
    expect([inclusion.treeSize, inclusion.leafIndex, consistency.treeSize1, consistency.treeSize2]).toEqual([
      24, 2, 5, 24,
    ]);
    verifyInclusion(2, 24, hashes[2]!, inclusion.path, sth.treeHead.rootHash);
    verifyConsistency(5, 24, consistency.path, roots.get(5)!, sth.treeHead.rootHash);

    const entries = await get('get-entries?start=20&end=99');
    expect(entries.entries.map((e: any) => leafHash(fromBase64(e.log_entry)))).toEqual(hashes.slice(20));
    expect(entries.entries[0].submitted_entry.chain).toEqual([toBase64(ca.der)]);
    expect(parseSignedTreeHeadV2(fromBase64(entries.sth)).treeHead.treeSize).toBe(24);
    expect((await get('get-entries?start=24&end=30')).entries).toEqual([]);
    expect(await get('get-anchors')).toEqual({ certificates: [] });
    // §5.5 Table 5: for the latest tree_size only `inclusion` is returned.
    expect(
      Object.keys(await get(`get-all-by-hash?hash=${encodeURIComponent(toBase64(hashes[2]!))}&tree_size=24`)),
    ).toEqual(['inclusion']);
  });

  it('errors are RFC 7807 Problem Details with the §5 error types', async () => {
    const problem = async (path: string) => {
      const res = await fetch(new URL(`ct/v2/${path}`, ctx.server.url));
      return [res.status, res.headers.get('content-type'), await res.json()];
    };
    const urn = 'urn:ietf:params:trans:error:';
    expect(await problem('get-entries?start=100&end=99')).toEqual([
      400,
      'application/problem+json',
      { type: `${urn}endBeforeStart`, detail: expect.any(String) },
    ]);
    expect(await problem('get-sth-consistency?first=5&second=3')).toEqual([
      400,
      'application/problem+json',
      { type: `${urn}secondBeforeFirst`, detail: expect.any(String) },
    ]);
    expect(
      await problem(`get-proof-by-hash?hash=${encodeURIComponent(toBase64(new Uint8Array(32)))}&tree_size=5`),
    ).toEqual([404, 'application/problem+json', { type: `${urn}hashUnknown`, detail: expect.any(String) }]);
    expect(await problem('get-sth?x=1')).toEqual([
      400,
      'application/problem+json',
      { type: `${urn}malformed`, detail: expect.any(String) },
    ]);
  });
});

describe('strict parsing: malformed answers say what is wrong', () => {
  let ctx: Awaited<ReturnType<typeof start>>;
  let sth: Bytes;
  beforeAll(async () => {
    ctx = await start();
    ctx.log.addChain([await plainCert(), ca.der]);
    sth = (await ctx.client.getTreeHead()).transItemV2!;
  });
  const fake = (answer: unknown) =>
    new Rfc9162Client(ctx.info, new FixedHttp(() => answer), undefined, { logIdV2: testLogV2Id(ctx.log).logId });
  const sthFailure = async (answer: unknown) => {
    const e = await failure(fake(answer).getTreeHead());
    expect(e.kind).toBe('malformed');
    return e.message;
  };

  it.each<[string, (sth: Bytes) => unknown, RegExp]>([
    [
      'truncated',
      (s) => ({ sth: toBase64(s.subarray(0, 40)) }),
      /sth: signed_tree_head_v2 TransItem: tree_head\.root_hash: needs 32 bytes/,
    ],
    [
      'cut inside the signature',
      (s) => ({ sth: toBase64(s.subarray(0, s.length - 1)) }),
      /signature: needs \d+ bytes at offset \d+, only \d+ left/,
    ],
    [
      'a trailing byte',
      (s) => ({ sth: toBase64(concatBytes(s, Uint8Array.of(0))) }),
      /signed_tree_head_v2: 1 trailing bytes/,
    ],
    [
      'another TransItem type',
      (s) => ({ sth: toBase64(concatBytes(Uint8Array.of(1, 6), s.subarray(2))) }),
      /TransItem is inclusion_proof_v2 \(0x0106\), expected signed_tree_head_v2 \(0x0104\)/,
    ],
    [
      'an RFC 6962 type',
      (s) => ({ sth: toBase64(concatBytes(Uint8Array.of(0, 1), s.subarray(2))) }),
      /TransItem is unknown type \(0x0001\)/,
    ],
    [
      'another log',
      (s) => ({ sth: toBase64(concatBytes(s.subarray(0, 4), Uint8Array.of(s[4]! ^ 1), s.subarray(5))) }),
      /log_id 2\.998\.6962\.9162\.\d+ is not this log's \(2\.999\.6962/,
    ],
    [
      'a one-byte log id',
      () => ({ sth: toBase64(transItem(0x0104, concatBytes(Uint8Array.of(1, 42), new Uint8Array(10)))) }),
      /log_id: length 1 is below the minimum 2/,
    ],
    [
      'a 31-byte root hash',
      () => ({
        sth: toBase64(
          transItem(
            0x0104,
            concatBytes(
              encodeVector(testLogV2Id(ctx.log).logId, 1),
              encodeUint(1, 8),
              encodeUint(1, 8),
              encodeVector(new Uint8Array(31), 1),
            ),
          ),
        ),
      }),
      /root_hash: length 31 is below the minimum 32/,
    ],
    // §4.10 `opaque signature<1..2^16-1>`: an empty signature is malformed, not merely invalid.
    [
      'an empty signature',
      () => ({
        sth: toBase64(
          transItem(
            0x0104,
            concatBytes(
              encodeVector(testLogV2Id(ctx.log).logId, 1),
              encodeUint(1, 8),
              encodeUint(1, 8),
              encodeVector(new Uint8Array(32), 1),
              encodeVector(new Uint8Array(0), 2),
              encodeVector(new Uint8Array(0), 2),
            ),
          ),
        ),
      }),
      /signature: length 0 is below the minimum 1/,
    ],
    ['empty', () => ({ sth: '' }), /versioned_type: needs 2 bytes/],
    ['not base64', () => ({ sth: 'AB$=' }), /sth: invalid base64/],
    ['no sth', () => ({}), /sth is missing/],
    ['sth a number', () => ({ sth: 5 }), /sth is not a string/],
    ['an array', () => [], /expected a JSON object/],
  ])('get-sth: %s', async (_why, answer, message) => {
    expect(await sthFailure(answer(sth))).toMatch(message);
  });

  it('inclusion: a proof for another tree size, an index past the tree, and too many hashes', async () => {
    const log = ctx.log;
    const hash = toBase64(new Uint8Array(32));
    const wrongSize = fake({ inclusion: toBase64(inclusionProofV2(log, 2, 0, [])) });
    expect((await failure(wrongSize.getInclusionProof(new Uint8Array(32), 1))).message).toMatch(
      /inclusion is for tree size 2, not 1/,
    );
    const pastEnd = fake({ inclusion: toBase64(inclusionProofV2(log, 1, 1, [])) });
    expect((await failure(pastEnd.getInclusionProof(new Uint8Array(32), 1))).message).toMatch(
      /leaf_index 1 is not below its tree_size 1/,
    );
    const long = fake({
      inclusion: toBase64(
        inclusionProofV2(
          log,
          1,
          0,
          Array.from({ length: 65 }, () => new Uint8Array(32)),
        ),
      ),
    });
    expect((await failure(long.getInclusionProof(new Uint8Array(32), 1))).message).toMatch(
      /inclusion_path has more than 64 hashes/,
    );
    const swapped = fake({ inclusion: hash });
    expect((await failure(swapped.getInclusionProof(new Uint8Array(32), 1))).message).toMatch(
      /inclusion: TransItem is unknown type/,
    );
  });

  it('garbage from the log (truncated JSON, not JSON) is malformed', async () => {
    for (const garbage of [true, 'not-json'] as const) {
      ctx.log.misbehave = { garbage };
      expect((await failure(ctx.client.getTreeHead())).message).toMatch(/response is not JSON/);
    }
    ctx.log.misbehave = {};
  });
});

describe('auditing through the v2 client', () => {
  let ctx: Awaited<ReturnType<typeof start>>;
  let sct: SctV1;
  let cert: Uint8Array;
  beforeAll(async () => {
    ctx = await start();
    cert = await plainCert();
    sct = decodeSct(ctx.log.addChain([cert, ca.der]).bytes) as SctV1;
    ctx.log.addChain([await plainCert(), ca.der]);
    ctx.log.addChain([await plainCert(), ca.der]);
  });
  const auditWith = (info: LogInfo = ctx.info) =>
    proveSctInclusion(sct, sctLeafHash(sct, x509Entry(cert)), info, {
      client: ctx.client,
      at: Date.now(),
      onTreeHead: async () => undefined,
    });

  it('included; not-included with wrongProofs; error with badSthSignature', async () => {
    expect(await auditWith()).toMatchObject({ status: 'included', treeSize: 3, leafIndex: 0 });
    ctx.log.misbehave = { wrongProofs: true };
    expect(await auditWith()).toMatchObject({
      status: 'not-included',
      misbehaved: true,
      detail: expect.stringMatching(/does not verify/),
    });
    ctx.log.misbehave = { badSthSignature: true };
    expect(await auditWith()).toMatchObject({
      status: 'error',
      detail: expect.stringMatching(/tree head signature does not verify/),
    });
    ctx.log.misbehave = {};
  });

  it('proveInclusion reads the log over /ct/v2/ when its list entry says "ctlens_api": "rfc9162"', async () => {
    const now = Math.floor(Date.now() / 1000) * 1000;
    const pending = await beginIssuance(ca, {
      notBefore: now - DAY,
      notAfter: now + 60 * DAY,
      subject: 'v2-audited.example',
    });
    const final = await pending.finish([ctx.log.addPreChain([pending.precert, ca.der]).bytes]);
    const registry = new LogRegistry([{ list: parseLogList(ctx.json, 'v2 list'), signed: false }]);
    const at = Date.now();
    const { verification } = await decide({ chain: [final.der, ca.der], registry, at });
    const store = new MemoryHeadStore();
    const result = await proveInclusion(verification, { store, at, http: new LogHttp(POLICY) });
    expect(result.inclusion.map((r) => r.status)).toEqual(['included']);
    // The kept head's signature is a bare §4.10 ECDSA signature (DER SEQUENCE), not an RFC 6962 DigitallySigned.
    const [kept] = await store.load(ctx.log.logIdBase64);
    expect(fromBase64(kept!.signature)[0]).toBe(0x30);
  });
});
