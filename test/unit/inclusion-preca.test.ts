/**
 * The signed entry carried forward (issue 8): verification puts the entry each SCT's signature was
 * checked over, and its RFC 6962 §3.4 leaf hash, on the SCT result, and the inclusion proof asks
 * the log for exactly that leaf. The case that used to disagree: a precertificate issued by a
 * Precertificate Signing Certificate (RFC 6962 §3.1), submitted to the project's local CT log with
 * add-pre-chain, then `ctlens audit` of the final certificate and of the precertificate itself.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { toBase64, toHex } from '../../src/bytes.js';
import { check, decide } from '../../src/check.js';
import { proveInclusion } from '../../src/inclusion/prove-inclusion.js';
import { MemoryHeadStore } from '../../src/inclusion/tree-heads.js';
import { LogHttp } from '../../src/logclient/http.js';
import { LogRegistry } from '../../src/loglist/registry.js';
import { parseLogList } from '../../src/loglist/schema.js';
import { encodePem } from '../../src/pem.js';
import { LocalCtLog, type IssuedSct } from '../../log/log.js';
import { logListJson } from '../../log/log-list.js';
import { startLocalLog, type LocalLogServer } from '../../log/server.js';
import { runCli } from '../support/cli.js';
import { beginPrecaIssuance, createPrecertSigningCa, type PrecertSigningCa } from '../support/precert-signing-ca.js';
import { createTestCa, type TestCa } from '../support/test-pki.js';

const DAY = 86_400_000;
const now = Math.floor(Date.now() / 1000) * 1000;
const dir = mkdtempSync(join(tmpdir(), 'ctlens-preca-'));
let ca: TestCa;
let preCa: PrecertSigningCa;
let log: LocalCtLog;
let server: LocalLogServer;
let precert: Uint8Array;
let final: Uint8Array;
let sct: IssuedSct;
let listPath: string;
let registry: LogRegistry;

const pemFile = (name: string, ders: readonly Uint8Array[]): string => {
  const path = join(dir, name);
  writeFileSync(path, ders.map((der) => encodePem('CERTIFICATE', der, toBase64)).join(''));
  return path;
};

beforeAll(async () => {
  ca = await createTestCa('ctlens PreCA test CA');
  preCa = await createPrecertSigningCa(ca);
  log = new LocalCtLog({ description: 'PreCA Test Log' });
  server = await startLocalLog(log);
  const pending = await beginPrecaIssuance(ca, preCa, {
    notBefore: now - DAY,
    notAfter: now + 60 * DAY,
    subject: 'preca.example',
  });
  precert = pending.precert;
  sct = log.addPreChain([precert, preCa.der, ca.der]);
  final = await pending.finish([sct.bytes]);
  const json = logListJson(log, { url: server.url, at: now - 30 * DAY });
  listPath = join(dir, 'list.json');
  writeFileSync(listPath, json);
  registry = new LogRegistry([{ list: parseLogList(json, 'PreCA test list'), signed: false }]);
});
afterAll(async () => {
  await server?.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('the SCT result carries the signed entry and its leaf hash', () => {
  it('the final certificate: the leaf hash is the one the log put in its tree', async () => {
    const { verification } = await decide({ chain: [final, ca.der], registry, at: Date.now() });
    const [result] = verification.scts;
    expect(result).toMatchObject({ status: 'valid', entryType: 'precert_entry' });
    expect(toHex(result!.leaf!.leafHash)).toBe(toHex(sct.leafHash));
  });

  it('the precertificate from the PreCA, its SCT delivered beside it: the same leaf', async () => {
    const delivered = [{ bytes: sct.bytes, source: 'tls-extension' as const }];
    const { verification } = await decide({ chain: [precert, preCa.der, ca.der], delivered, registry, at: Date.now() });
    const [result] = verification.scts;
    expect(result).toMatchObject({ status: 'valid', entryType: 'precert_entry' });
    expect(toHex(result!.leaf!.entry.bytes)).toBe(toHex(log.entries(0, 0)[0]!.entry.bytes)); // the log's only entry
    expect(toHex(result!.leaf!.leafHash)).toBe(toHex(sct.leafHash));
  });

  it('an SCT whose signature did not verify carries no leaf: nothing was promised', async () => {
    const tampered = sct.bytes.slice();
    tampered[tampered.length - 1]! ^= 1;
    const delivered = [{ bytes: tampered, source: 'tls-extension' as const }];
    const { verification } = await decide({ chain: [precert, preCa.der, ca.der], delivered, registry, at: Date.now() });
    expect(verification.scts[0]).toMatchObject({ status: 'invalid-signature' });
    expect(verification.scts[0]!.leaf).toBeUndefined();
  });

  it('the report people and the extension keep holds neither the entry nor the leaf hash', async () => {
    const report = await check({ chain: [final, ca.der], registry, at: Date.now() });
    expect(Object.keys(report.scts[0]!).sort()).toEqual([
      'entryType',
      'extensions',
      'hashAlgorithm',
      'leafIndex',
      'log',
      'logId',
      'position',
      'raw',
      'signatureAlgorithm',
      'source',
      'status',
      'timestamp',
      'version',
    ]);
    expect(JSON.stringify(report)).not.toMatch(/leafHash|"entry"/);
  });
});

describe('ctlens audit of a certificate whose precertificate a PreCA signed', () => {
  const audit = async (args: string[]) => {
    const out = await runCli(['audit', ...args, '--log-list', listPath, '--state-dir', join(dir, 'state'), '--json']);
    expect(out.stderr).toBe('');
    return { report: JSON.parse(out.stdout) };
  };

  it('the final certificate with its chain: included', async () => {
    const { report } = await audit([pemFile('final.pem', [final, ca.der])]);
    expect(report.scts.map((s: { status: string }) => s.status)).toEqual(['valid']);
    expect(report.scts[0].inclusion).toMatchObject({ status: 'included', leafIndex: 0 });
  });
});

describe('proveInclusion asks for the leaf verification checked', () => {
  it('the precertificate from the PreCA, its SCT delivered beside it: included (it was "not audited")', async () => {
    const at = Date.now();
    const delivered = [{ bytes: sct.bytes, source: 'tls-extension' as const }];
    const { verification } = await decide({ chain: [precert, preCa.der, ca.der], delivered, registry, at });
    const http = new LogHttp({ timeoutMs: 2000, retries: 0, backoffMs: 0, maxBytes: 1 << 20 });
    const proofs = await proveInclusion(verification, { store: new MemoryHeadStore(), at, http });
    expect(proofs.inclusion).toEqual([expect.objectContaining({ status: 'included', leafIndex: 0 })]);
  });
});
