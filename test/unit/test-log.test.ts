/**
 * The test CT log (log/) against the core, over real loopback HTTP: its SCTs verify
 * (RFC 6962 §3.2), its tree heads are signed (§3.5), its proofs verify (§2.1.1, §2.1.2), its tree
 * matches the RFC's recursive definition, its API refuses bad input (§4), and each misbehaviour
 * switch produces what a monitor must catch.
 */
import { verify as nodeVerify } from 'node:crypto';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { sha256 } from '../../src/bytes.js';
import { decide } from '../../src/check.js';
import { leafHash, sctLeafHash } from '../../src/merkle/hash.js';
import { RootMismatchError, verifyConsistency, verifyInclusion } from '../../src/merkle/verify.js';
import { LogRegistry, logFromKey } from '../../src/loglist/registry.js';
import { parseLogList } from '../../src/loglist/schema.js';
import { decodeSct } from '../../src/sct/decode.js';
import { precertEntry, signedData, x509Entry } from '../../src/sct/signed-data.js';
import type { SctV1 } from '../../src/sct/types.js';
import { parseCertificate } from '../../src/x509/certificate.js';
import { precertTbs } from '../../src/x509/precert-tbs.js';
import { LocalCtLog } from '../../log/log.js';
import { logListJson } from '../../log/log-list.js';
import { startLocalLog, type LocalLogServer } from '../../log/server.js';
import { MerkleTree } from '../../log/tree.js';
import { pemCert } from '../support/fixtures.js';
import { leaves, mth, path, proof } from '../support/naive-merkle.js';
import { beginIssuance, createTestCa, issueWithEmbeddedScts, type TestCa } from '../support/test-pki.js';

// ---------------------------------------------------------------------------------------------
// A client written from RFC 6962 §4, with Node's own encoders

const b64 = (bytes: Uint8Array): string => Buffer.from(bytes).toString('base64');
const unb64 = (text: string): Uint8Array => new Uint8Array(Buffer.from(text, 'base64'));
const u64 = (n: number): Buffer => {
  const b = Buffer.alloc(8);
  b.writeBigUInt64BE(BigInt(n));
  return b;
};
const u16 = (n: number): Buffer => Buffer.from([n >> 8, n & 255]);

interface Sth {
  treeSize: number;
  timestamp: number;
  root: Uint8Array;
  signature: Uint8Array;
}

class Client {
  constructor(readonly server: LocalLogServer) {}

  async raw(endpoint: string, init?: RequestInit): Promise<{ status: number; text: string; ms: number }> {
    const start = performance.now();
    const res = await fetch(new URL(`ct/v1/${endpoint}`, this.server.url), init);
    return { status: res.status, text: await res.text(), ms: performance.now() - start };
  }

  async json(endpoint: string, init?: RequestInit): Promise<{ status: number; body: any }> {
    const { status, text } = await this.raw(endpoint, init);
    return { status, body: JSON.parse(text) };
  }

  async ok(endpoint: string, init?: RequestInit): Promise<any> {
    const { status, body } = await this.json(endpoint, init);
    if (status !== 200) throw new Error(`${endpoint}: ${status} ${JSON.stringify(body)}`);
    return body;
  }

  post = (_endpoint: string, body: unknown) => ({
    method: 'POST',
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });

  /** add-chain / add-pre-chain (§4.1): the SCT, serialized from the JSON fields (§3.2). */
  async submit(endpoint: 'add-chain' | 'add-pre-chain', chain: readonly Uint8Array[]): Promise<Uint8Array> {
    const r = await this.ok(endpoint, this.post(endpoint, { chain: chain.map(b64) }));
    expect(r.sct_version).toBe(0);
    const extensions = unb64(r.extensions);
    return new Uint8Array(
      Buffer.concat([
        Buffer.of(0),
        unb64(r.id),
        u64(r.timestamp),
        u16(extensions.length),
        extensions,
        unb64(r.signature),
      ]),
    );
  }

  async sth(): Promise<Sth> {
    const r = await this.ok('get-sth');
    return {
      treeSize: r.tree_size,
      timestamp: r.timestamp,
      root: unb64(r.sha256_root_hash),
      signature: unb64(r.tree_head_signature),
    };
  }

  async proofByHash(hash: Uint8Array, treeSize: number): Promise<{ index: number; path: Uint8Array[] }> {
    const r = await this.ok(`get-proof-by-hash?hash=${encodeURIComponent(b64(hash))}&tree_size=${treeSize}`);
    return { index: r.leaf_index, path: r.audit_path.map(unb64) };
  }

  async consistency(first: number, second: number): Promise<Uint8Array[]> {
    return (await this.ok(`get-sth-consistency?first=${first}&second=${second}`)).consistency.map(unb64);
  }

  async entries(start: number, end: number): Promise<{ leafInput: Uint8Array; extraData: Uint8Array }[]> {
    const r = await this.ok(`get-entries?start=${start}&end=${end}`);
    return r.entries.map((e: any) => ({ leafInput: unb64(e.leaf_input), extraData: unb64(e.extra_data) }));
  }
}

/** §3.5: TreeHeadSignature, DigitallySigned as SHA-256 (4) / ECDSA (3) / u16-length DER. */
function sthSignatureVerifies(log: LocalCtLog, sth: Sth): boolean {
  const sig = sth.signature;
  if (sig[0] !== 4 || sig[1] !== 3 || ((sig[2]! << 8) | sig[3]!) !== sig.length - 4)
    throw new Error('not a DigitallySigned SHA-256/ECDSA');
  const signed = Buffer.concat([Buffer.of(0, 1), u64(sth.timestamp), u64(sth.treeSize), sth.root]);
  return nodeVerify('sha256', signed, { key: Buffer.from(log.spki), format: 'der', type: 'spki' }, sig.subarray(4));
}

const NOT_BEFORE = Date.UTC(2025, 0, 1);
const NOT_AFTER = Date.UTC(2025, 11, 1);
let serial = 0;
const plainCert = async (ca: TestCa): Promise<Uint8Array> =>
  (
    await issueWithEmbeddedScts(ca, {
      notBefore: NOT_BEFORE,
      notAfter: NOT_AFTER,
      logs: [],
      subject: `leaf${serial++}.test`,
    })
  ).der;
const pending = (ca: TestCa) =>
  beginIssuance(ca, { notBefore: NOT_BEFORE, notAfter: NOT_AFTER, subject: `pre${serial++}.test` });

async function running(options: ConstructorParameters<typeof LocalCtLog>[0] = {}) {
  const log = new LocalCtLog(options);
  const server = await startLocalLog(log);
  return {
    log,
    server,
    client: new Client(server),
    registry: new LogRegistry([], [logFromKey(log.spki, 'local test log')]),
  };
}

let ca: TestCa;
const servers: LocalLogServer[] = [];
beforeAll(async () => {
  ca = await createTestCa();
});
afterAll(async () => {
  await Promise.all(servers.map((s) => s.close()));
});
const start = async (options?: ConstructorParameters<typeof LocalCtLog>[0]) => {
  const r = await running(options);
  servers.push(r.server);
  return r;
};

const sctStatuses = async (input: Omit<Parameters<typeof decide>[0], 'at'>) =>
  (await decide({ ...input, at: Date.now() })).verification.scts.map((s) => [s.source, s.entryType, s.status]);

// ---------------------------------------------------------------------------------------------

describe('the tree (RFC 6962 §2.1)', () => {
  it('roots, audit paths and consistency proofs equal the RFC definitions for every size up to 70', () => {
    const hashes = leaves(70, 7);
    const tree = new MerkleTree();
    for (const [i, h] of hashes.entries()) expect(tree.append(h)).toBe(i);
    const hex = (list: readonly Uint8Array[]) => list.map((h) => Buffer.from(h).toString('hex')).join(' ');
    for (let n = 0; n <= 70; n++) {
      const d = hashes.slice(0, n);
      expect(hex([tree.root(n)]), `root ${n}`).toBe(hex([mth(d)]));
      for (let m = 0; m < n; m++) if (hex(tree.inclusionProof(m, n)) !== hex(path(m, d))) expect.fail(`path ${m} ${n}`);
      for (let m = 1; m <= n; m++)
        if (hex(tree.consistencyProof(m, n)) !== hex(proof(m, d))) expect.fail(`proof ${m} ${n}`);
    }
    expect(tree.indexOf(hashes[41]!)).toBe(41);
    expect(tree.indexOf(new Uint8Array(32))).toBeUndefined();
    expect(() => tree.inclusionProof(5, 71)).toThrow(RangeError);
  });

  it('keeps up with a few thousand leaves', () => {
    const tree = new MerkleTree();
    const hashes = leaves(5000, 9);
    const t0 = performance.now();
    for (const h of hashes) tree.append(h);
    for (let n = 1; n <= 5000; n += 97) {
      const root = tree.root(n);
      verifyInclusion(n - 1, n, hashes[n - 1]!, tree.inclusionProof(n - 1, n), root);
      verifyConsistency(n, 5000, tree.consistencyProof(n, 5000), root, tree.root());
    }
    expect(performance.now() - t0).toBeLessThan(2000);
  });
});

describe('submissions (§4.1, §4.2)', () => {
  it('add-chain: the SCT verifies with the core as an x509_entry, and its leaf is in the tree', async () => {
    const { client, registry } = await start();
    const cert = await plainCert(ca);
    const sct = await client.submit('add-chain', [cert, ca.der]);
    expect(
      await sctStatuses({ chain: [cert, ca.der], delivered: [{ bytes: sct, source: 'tls-extension' }], registry }),
    ).toEqual([['tls-extension', 'x509_entry', 'valid']]);

    const sth = await client.sth();
    const leaf = sctLeafHash(decodeSct(sct) as SctV1, x509Entry(cert));
    const { index, path } = await client.proofByHash(leaf, sth.treeSize);
    verifyInclusion(index, sth.treeSize, leaf, path, sth.root);
    // get-entries: the MerkleTreeLeaf is the SCT's signed data; extra_data the chain after the leaf (§4.6).
    const [entry] = await client.entries(index, index);
    expect(entry!.leafInput).toEqual(signedData(decodeSct(sct) as SctV1, x509Entry(cert)));
    expect(Buffer.from(entry!.extraData)).toEqual(
      Buffer.concat([
        Buffer.of(0, (ca.der.length + 3) >> 8, (ca.der.length + 3) & 255),
        Buffer.of(0, ca.der.length >> 8, ca.der.length & 255),
        ca.der,
      ]),
    );
  });

  it(
    'add-pre-chain: the SCT verifies beside the precertificate and embedded in the final certificate; ' +
      'auditing finds it',
    async () => {
      const { client, registry } = await start();
      const issuance = await pending(ca);
      const sct = await client.submit('add-pre-chain', [issuance.precert, ca.der]);
      const final = await issuance.finish([sct]);
      expect(
        await sctStatuses({
          chain: [issuance.precert, ca.der],
          delivered: [{ bytes: sct, source: 'tls-extension' }],
          registry,
        }),
      ).toEqual([['tls-extension', 'precert_entry', 'valid']]);
      expect(await sctStatuses({ chain: [final.der, ca.der], registry })).toEqual([
        ['embedded', 'precert_entry', 'valid'],
      ]);

      // An auditor rebuilds the leaf from the final certificate alone (§3.4) and asks for its proof.
      const entry = precertEntry(sha256(ca.spki), precertTbs(parseCertificate(final.der)));
      const leaf = sctLeafHash(decodeSct(sct) as SctV1, entry);
      const sth = await client.sth();
      const { index, path } = await client.proofByHash(leaf, sth.treeSize);
      verifyInclusion(index, sth.treeSize, leaf, path, sth.root);
    },
  );

  it('add-pre-chain through a Precertificate Signing Certificate (RFC 6962 test data)', async () => {
    const { client, registry } = await start();
    const chain = ['test-embedded-with-preca-pre-cert.pem', 'ca-pre-cert.pem', 'ca-cert.pem'].map((n) =>
      pemCert(`rfc6962/${n}`),
    );
    const sct = await client.submit('add-pre-chain', chain);
    expect(await sctStatuses({ chain, delivered: [{ bytes: sct, source: 'tls-extension' }], registry })).toEqual([
      ['tls-extension', 'precert_entry', 'valid'],
    ]);
  });

  it('the v3 log list it prints lets the core trust it', async () => {
    const { log, server, client } = await start();
    const list = parseLogList(logListJson(log, { url: server.url }), 'test log list');
    expect(list.skipped).toEqual([]);
    expect(list.logs.map((l) => [l.logId, l.url, l.state?.name])).toEqual([[log.logIdBase64, server.url, 'usable']]);
    const cert = await plainCert(ca);
    const sct = await client.submit('add-chain', [cert]);
    const registry = new LogRegistry([{ list, signed: false }]);
    expect(
      await sctStatuses({ chain: [cert], delivered: [{ bytes: sct, source: 'tls-extension' }], registry }),
    ).toEqual([['tls-extension', 'x509_entry', 'valid']]);
  });

  it('pending: with mergeDelayMs an entry is signed for at once but enters the tree only later', async () => {
    let now = Date.UTC(2026, 0, 1);
    const { log, client } = await start({ mergeDelayMs: 60_000, now: () => now });
    const cert = await plainCert(ca);
    const sct = await client.submit('add-chain', [cert]);
    const leaf = sctLeafHash(decodeSct(sct) as SctV1, x509Entry(cert));
    expect((await client.sth()).treeSize).toBe(0);
    expect(log.pendingCount).toBe(1);
    now += 59_999;
    expect((await client.sth()).treeSize).toBe(0);
    now += 1;
    const sth = await client.sth();
    expect(sth.treeSize).toBe(1);
    const { index, path } = await client.proofByHash(leaf, 1);
    verifyInclusion(index, 1, leaf, path, sth.root);
    expect(sth.timestamp).toBe(now);
  });
});

describe('a growing log: every tree head, inclusion and consistency proof verifies', () => {
  const SIZES = [1, 2, 3, 4, 5, 7, 8, 9, 16, 17, 31, 32, 33, 40];
  let ctx: Awaited<ReturnType<typeof start>>;
  const heads = new Map<number, Sth>();
  let hashes: Uint8Array[];

  beforeAll(async () => {
    ctx = await start();
    for (let i = 0; i < 40; i++) {
      if (i % 3 === 2) await ctx.client.submit('add-pre-chain', [(await pending(ca)).precert, ca.der]);
      else await ctx.client.submit('add-chain', [await plainCert(ca), ca.der]);
      const sth = await ctx.client.sth();
      expect(sth.treeSize).toBe(i + 1);
      heads.set(sth.treeSize, sth);
    }
    hashes = (await ctx.client.entries(0, 1000)).map((e) => leafHash(e.leafInput));
  });

  it('get-entries returns every leaf; each head is signed and its root is MTH of those leaves', () => {
    expect(hashes).toHaveLength(40);
    for (const [size, sth] of heads) {
      expect(sthSignatureVerifies(ctx.log, sth), `sth ${size}`).toBe(true);
      expect(sth.root, `root ${size}`).toEqual(mth(hashes.slice(0, size)));
    }
  });

  it('get-proof-by-hash for every leaf of several past tree sizes', async () => {
    await Promise.all(
      SIZES.flatMap((size) =>
        hashes.slice(0, size).map(async (hash, i) => {
          const { index, path } = await ctx.client.proofByHash(hash, size);
          expect(index).toBe(i);
          verifyInclusion(index, size, hash, path, heads.get(size)!.root);
        }),
      ),
    );
  });

  it('get-sth-consistency between every pair of those sizes', async () => {
    await Promise.all(
      SIZES.flatMap((second) =>
        SIZES.filter((first) => first <= second).map(async (first) => {
          const proof = await ctx.client.consistency(first, second);
          verifyConsistency(first, second, proof, heads.get(first)!.root, heads.get(second)!.root);
        }),
      ),
    );
  });

  it('get-entries cuts a range at the tree end', async () => {
    expect(await ctx.client.entries(38, 45)).toHaveLength(2);
  });
});

describe('strict input (§4)', () => {
  let ctx: Awaited<ReturnType<typeof start>>;
  let cert: Uint8Array;
  let precert: Uint8Array;
  beforeAll(async () => {
    ctx = await start();
    cert = await plainCert(ca);
    precert = (await pending(ca)).precert;
    await ctx.client.submit('add-chain', [cert, ca.der]);
    await ctx.client.submit('add-chain', [await plainCert(ca), ca.der]);
  });

  it.each<[string, string, unknown?]>([
    ['add-chain', 'body is not JSON', '{'],
    ['add-chain', 'body is an array', []],
    ['add-chain', 'no chain', {}],
    ['add-chain', 'an extra key', { chain: ['AAAA'], x: 1 }],
    ['add-chain', 'chain is empty', { chain: [] }],
    ['add-chain', 'not base64', { chain: ['!!!!'] }],
    ['add-chain', 'not a certificate', { chain: ['AAAA'] }],
    ['add-chain', 'a precertificate', 'precert'],
    ['add-chain', 'issuer does not match', 'cert,cert'],
    ['add-pre-chain', 'not a precertificate', 'cert,ca'],
    ['add-pre-chain', 'no issuer', 'precert'],
    ['get-sth-consistency?first=1', 'a missing parameter'],
    ['get-sth-consistency?first=1&second=2&x=3', 'an unknown parameter'],
    ['get-sth-consistency?first=1&first=1&second=2', 'a repeated parameter'],
    ['get-sth-consistency?first=2&second=1', 'first > second'],
    ['get-sth-consistency?first=1&second=3', 'second > tree size'],
    ['get-sth-consistency?first=01&second=2', 'a leading zero'],
    ['get-sth-consistency?first=-1&second=2', 'a sign'],
    ['get-sth-consistency?first=1e0&second=2', 'an exponent'],
    ['get-proof-by-hash?hash=AAAA&tree_size=1', 'a hash that is not 32 bytes'],
    [`get-proof-by-hash?hash=${encodeURIComponent(b64(new Uint8Array(32)))}&tree_size=0`, 'tree_size 0'],
    [`get-proof-by-hash?hash=${encodeURIComponent(b64(new Uint8Array(32)))}&tree_size=3`, 'tree_size > tree size'],
    ['get-entries?start=1&end=0', 'start > end'],
    ['get-entries?start=2&end=5', 'start at the tree end'],
  ])('400 for %s: %s', async (endpoint, _why, body) => {
    const bodies: Record<string, unknown> = {
      precert: { chain: [b64(precert)] },
      'cert,cert': { chain: [b64(cert), b64(cert)] },
      'cert,ca': { chain: [b64(cert), b64(ca.der)] },
    };
    const init = endpoint.startsWith('add-')
      ? ctx.client.post(endpoint, (typeof body === 'string' && bodies[body]) || body)
      : undefined;
    const { status, body: json } = await ctx.client.json(endpoint, init);
    expect(status).toBe(400);
    expect(typeof json.error).toBe('string');
  });

  it('404 with an error for a hash not in that tree, an unknown endpoint; 405 for a wrong method', async () => {
    const absent = await ctx.client.json(
      `get-proof-by-hash?hash=${encodeURIComponent(b64(new Uint8Array(32)))}&tree_size=2`,
    );
    expect(absent.status).toBe(404);
    expect(absent.body.error).toMatch(/no leaf/);
    expect((await ctx.client.json('get-nothing')).status).toBe(404);
    expect((await ctx.client.json('add-chain')).status).toBe(405);
    expect((await ctx.client.json('get-sth', { method: 'POST', body: '{}' })).status).toBe(405);
    expect(await ctx.client.ok('get-roots')).toEqual({ certificates: [] });
  });
});

describe('misbehaviour', () => {
  let ctx: Awaited<ReturnType<typeof start>>;
  const leafHashes: Uint8Array[] = [];
  beforeAll(async () => {
    ctx = await start();
    for (let i = 0; i < 5; i++) {
      const cert = await plainCert(ca);
      leafHashes.push(sctLeafHash(decodeSct(await ctx.client.submit('add-chain', [cert])) as SctV1, x509Entry(cert)));
    }
  });
  afterEach(() => {
    ctx.log.misbehave = {};
  });

  it('fork: a split view, two signed roots for one size; the last SCT is no longer provable', async () => {
    const honest = await ctx.client.sth();
    ctx.log.misbehave = { fork: true };
    const forked = await ctx.client.sth();
    expect(forked.treeSize).toBe(honest.treeSize);
    expect(sthSignatureVerifies(ctx.log, honest) && sthSignatureVerifies(ctx.log, forked)).toBe(true);
    expect(forked.root).not.toEqual(honest.root);
    expect(() => verifyConsistency(5, 5, [], honest.root, forked.root)).toThrow(RootMismatchError);
    expect(
      (await ctx.client.json(`get-proof-by-hash?hash=${encodeURIComponent(b64(leafHashes[4]!))}&tree_size=5`)).status,
    ).toBe(404);

    // The fork grows consistently with itself, never with the honest head.
    await ctx.client.submit('add-chain', [await plainCert(ca)]);
    const forked6 = await ctx.client.sth();
    const proof = await ctx.client.consistency(5, 6);
    verifyConsistency(5, 6, proof, forked.root, forked6.root);
    expect(() => verifyConsistency(5, 6, proof, honest.root, forked6.root)).toThrow(RootMismatchError);

    ctx.log.misbehave = {};
    const honest6 = await ctx.client.sth();
    expect(honest6.root).not.toEqual(forked6.root);
    verifyConsistency(5, 6, await ctx.client.consistency(5, 6), honest.root, honest6.root);
  });

  it('wrongProofs: audit paths and consistency proofs lead to other roots', async () => {
    const old = await ctx.client.sth();
    await ctx.client.submit('add-chain', [await plainCert(ca)]);
    const sth = await ctx.client.sth();
    ctx.log.misbehave = { wrongProofs: true };
    const { index, path } = await ctx.client.proofByHash(leafHashes[2]!, sth.treeSize);
    expect(() => verifyInclusion(index, sth.treeSize, leafHashes[2]!, path, sth.root)).toThrow(RootMismatchError);
    const proof = await ctx.client.consistency(old.treeSize, sth.treeSize);
    expect(() => verifyConsistency(old.treeSize, sth.treeSize, proof, old.root, sth.root)).toThrow(RootMismatchError);
  });

  it('badSthSignature: the tree head signature fails', async () => {
    ctx.log.misbehave = { badSthSignature: true };
    const sth = await ctx.client.sth();
    expect(sthSignatureVerifies(ctx.log, sth)).toBe(false);
    ctx.log.misbehave = {};
    expect(sthSignatureVerifies(ctx.log, await ctx.client.sth())).toBe(true);
  });

  it.each([true, 'not-json'] as const)('garbage %s: the body does not parse as JSON', async (garbage) => {
    ctx.log.misbehave = { garbage };
    for (const endpoint of ['get-sth', 'get-sth-consistency?first=1&second=5', 'get-nothing']) {
      const { text } = await ctx.client.raw(endpoint);
      expect(() => JSON.parse(text), endpoint).toThrow(SyntaxError);
    }
  });

  it('slowMs: every response takes at least that long', async () => {
    ctx.log.misbehave = { slowMs: 150 };
    const [a, b] = await Promise.all([ctx.client.raw('get-sth'), ctx.client.raw('get-roots')]);
    expect(a.status).toBe(200);
    expect(Math.min(a.ms, b.ms)).toBeGreaterThanOrEqual(150);
  });
});
