/**
 * Google's mimic logs (src/loglist/mimics.ts): known by log id, by key hash and by key point;
 * marked in the registry; their SCTs, signed here with the published private keys, verify (the
 * status is about the signature) and never count for any policy.
 */
import { createPublicKey } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { decide } from '../../src/check.js';
import { sha256, toBase64 } from '../../src/bytes.js';
import { bundledLogLists } from '../../src/loglist/bundled.js';
import { mimicLogsIn, mimicName } from '../../src/loglist/mimics.js';
import { logFromKey, type LogRegistry } from '../../src/loglist/registry.js';
import { decodePem } from '../../src/pem.js';
import type { PolicyName } from '../../src/policy/evaluate.js';
import {
  mimicFixture,
  mimicTestLog,
  PUBLISHED_MIMIC_IDS,
  usableLogsRegistry,
  type MimicName,
} from '../support/mimic-logs.js';
import { createTestCa, createTestLog, issueWithEmbeddedScts, signTlsSct, type TestLog } from '../support/test-pki.js';

const NAMES: readonly PolicyName[] = ['chrome', 'apple', 'firefox'];
const MIMICS: readonly MimicName[] = ['mimic1', 'mimic2'];
const DAY = 86_400_000;
const ISSUED = Date.UTC(2026, 4, 1);
const AT = Date.UTC(2026, 4, 10);
const spkiOf = (pem: string) => decodePem(pem).find((b) => b.label === 'PUBLIC KEY')!.der;
const bundledPem = (name: MimicName) =>
  readFileSync(new URL(`../../src/loglist/data/${name}.pub.pem`, import.meta.url), 'utf8');

describe('the bundled mimic keys', () => {
  it.each(MIMICS)('%s: the bundled key is the published one, its log id the published id', (name) => {
    const bundled = spkiOf(bundledPem(name));
    expect(toBase64(sha256(bundled))).toBe(PUBLISHED_MIMIC_IDS[name]);
    // The published private key's public half is the bundled key.
    expect(toBase64(mimicTestLog(name).spki)).toBe(toBase64(bundled));
    expect(toBase64(spkiOf(mimicFixture(`${name}.pub.pem`)))).toBe(toBase64(bundled));
    expect(mimicName({ logId: PUBLISHED_MIMIC_IDS[name], key: bundled })).toBe(name);
  });
});

/** The SPKI of a P-256 point given as a JWK's x and y, uncompressed (04) or compressed (02|03). */
function p256Spki(x: Buffer, y: Buffer, form: 'uncompressed' | 'compressed'): Uint8Array {
  const header =
    form === 'uncompressed'
      ? '3059301306072a8648ce3d020106082a8648ce3d030107034200'
      : '3039301306072a8648ce3d020106082a8648ce3d030107032200';
  const point = form === 'uncompressed' ? [Buffer.of(4), x, y] : [Buffer.of(2 + (y[31]! & 1)), x];
  return new Uint8Array(Buffer.concat([Buffer.from(header, 'hex'), ...point]));
}

describe('mimicName', () => {
  const other = createTestLog('ordinary');
  const jwk = createPublicKey(mimicFixture('mimic1.pub.pem')).export({ format: 'jwk' });
  const x = Buffer.from(jwk.x!, 'base64url');
  const y = Buffer.from(jwk.y!, 'base64url');
  const P = 2n ** 256n - 2n ** 224n + 2n ** 192n + 2n ** 96n - 1n; // the P-256 field prime
  const negY = Buffer.from((P - BigInt(`0x${y.toString('hex')}`)).toString(16).padStart(64, '0'), 'hex');

  it('by log id, whatever key the entry gives', () => {
    expect(mimicName({ logId: PUBLISHED_MIMIC_IDS.mimic2, key: other.spki })).toBe('mimic2');
  });

  it("by the key (its hash is the mimic's id) under another log id", () => {
    expect(mimicName({ logId: other.logIdBase64, key: mimicTestLog('mimic1').spki })).toBe('mimic1');
  });

  it("by the key's point: compressed, and negated (its private key n − d is as public)", () => {
    for (const key of [p256Spki(x, y, 'compressed'), p256Spki(x, negY, 'uncompressed')]) {
      expect(toBase64(sha256(key))).not.toBe(PUBLISHED_MIMIC_IDS.mimic1);
      expect(mimicName(logFromKey(key, 'test'))).toBe('mimic1');
    }
    expect(toBase64(p256Spki(x, y, 'uncompressed'))).toBe(toBase64(mimicTestLog('mimic1').spki));
  });

  it('none for other logs, bad key bytes, and every log of the bundled Google lists', async () => {
    expect(mimicName(logFromKey(other.spki, 'test'))).toBeUndefined();
    expect(mimicName({ logId: other.logIdBase64, key: new Uint8Array([0x30, 0x03, 0x02, 0x01]) })).toBeUndefined();
    expect(mimicName(logFromKey(createTestLog('rsa', 'rsa').spki, 'test'))).toBeUndefined();
    for (const { list } of await bundledLogLists()) expect(mimicLogsIn(list.logs)).toEqual([]);
  });
});

const registryWith = (logs: Record<string, TestLog[]>, extraKeys: readonly Uint8Array[] = []): LogRegistry =>
  usableLogsRegistry(logs, AT - DAY, extraKeys);

describe('the registry marks mimic logs', () => {
  it('from a list and from a bare key; other logs are not marked', () => {
    const ordinary = createTestLog('ordinary');
    const lists = { 'Op A': [ordinary], 'Op M': [mimicTestLog('mimic1')] };
    const registry = registryWith(lists, [mimicTestLog('mimic2').spki]);
    expect(registry.get(PUBLISHED_MIMIC_IDS.mimic1)?.mimic).toBe(true);
    expect(registry.get(PUBLISHED_MIMIC_IDS.mimic2)?.mimic).toBe(true);
    expect(registry.get(ordinary.logIdBase64)?.mimic).toBeUndefined();
    const found = registry
      .mimics()
      .map((l) => l.logId)
      .sort();
    expect(found).toEqual([PUBLISHED_MIMIC_IDS.mimic2, PUBLISHED_MIMIC_IDS.mimic1].sort());
  });
});

describe('a mimic SCT verifies and never counts', () => {
  const logs = { a: createTestLog('Log A'), b: createTestLog('Log B'), c: createTestLog('Log C') };
  const mimic = mimicTestLog('mimic1', 'Mimic One');
  const registry = registryWith({ 'Op A': [logs.a], 'Op B': [logs.b], 'Op C': [logs.c], 'Op M': [mimic] });
  const ca = createTestCa();

  async function run(embedded: readonly TestLog[], tls: readonly TestLog[] = []) {
    const cert = await issueWithEmbeddedScts(await ca, {
      notBefore: ISSUED,
      notAfter: ISSUED + 90 * DAY,
      logs: embedded.map((log) => ({ log, timestamp: ISSUED })),
    });
    const delivered = tls.map((log) => ({
      source: 'tls-extension' as const,
      bytes: signTlsSct(log, cert.der, ISSUED),
    }));
    return decide({ chain: [cert.der, (await ca).der], delivered, registry, at: AT });
  }

  it('valid, its log marked, and the one SCT short: not compliant, the mimic named', async () => {
    const { verification, policies } = await run([logs.a, mimic]);
    expect(verification.scts.map((s) => s.status)).toEqual(['valid', 'valid']);
    expect(verification.scts[1]!.log?.mimic).toBe(true);
    for (const name of NAMES) {
      const result = policies[name];
      expect(result.verdict, name).toBe('not-compliant');
      const mimicReason = result.details.find((d) => d.code === 'mimic-log');
      expect(mimicReason?.text, name).toContain(`Mimic One (log id ${PUBLISHED_MIMIC_IDS.mimic1})`);
      expect(result.reasons).toEqual(result.details.map((d) => d.text));
    }
  });

  it('delivered by TLS too: not counted', async () => {
    const { verification, policies } = await run([], [logs.a, mimic]);
    expect(verification.scts.map((s) => s.status)).toEqual(['valid', 'valid']);
    for (const name of NAMES) {
      expect(policies[name].verdict, name).toBe('not-compliant');
      expect(
        policies[name].details.map((d) => d.code),
        name,
      ).toContain('mimic-log');
    }
  });

  it('compliant on the other SCTs alone: reasons stay empty, the summary says the mimic did not count', async () => {
    const { policies } = await run([logs.a, logs.b, mimic]);
    for (const name of NAMES) {
      expect(policies[name].verdict, name).toBe('compliant');
      expect(policies[name].reasons).toEqual([]);
      expect(policies[name].summary, name).toMatch(/^2 .*; 1 SCT not counted, from Google's mimic logs.*Mimic One/);
    }
  });
});
