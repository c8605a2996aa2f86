/**
 * The built `ctlens` executable as a user runs it: a compliant chain (exit 0), a damaged one
 * (exit 1), unreadable input (exit 2, one line, no stack trace). Certificates come from the test
 * PKI: a CA issues a leaf whose SCTs three test logs of two operators signed.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { build } from 'vite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { toBase64 } from '../../src/bytes.js';
import { encodePem } from '../../src/pem.js';
import { createTestCa, createTestLog, issueWithEmbeddedScts, logListJson } from '../support/test-pki.js';

const DAY = 86_400_000;
const issued = Date.UTC(2026, 4, 1);
const at = Date.UTC(2026, 4, 2);
const dir = mkdtempSync(join(tmpdir(), 'ctlens-bin-'));
const binary = join(dir, 'bin', 'ctlens.cjs');
const configDir = join(dir, 'config');
const files: Record<string, string> = {};

const run = (...args: string[]) =>
  spawnSync(process.execPath, [binary, ...args], {
    encoding: 'utf8',
    env: { ...process.env, CTLENS_CONFIG_DIR: configDir, NO_COLOR: '1' },
  });

beforeAll(async () => {
  await build({
    configFile: 'vite.cli.config.ts',
    logLevel: 'silent',
    build: { outDir: join(dir, 'bin'), emptyOutDir: true },
  });
  const ca = await createTestCa('ctlens CLI Test CA');
  const [a1, a2, b1] = [createTestLog('Alpha 1'), createTestLog('Alpha 2'), createTestLog('Beta 1')] as const;
  const cert = await issueWithEmbeddedScts(ca, {
    notBefore: issued,
    notAfter: issued + 90 * DAY,
    subject: 'compliant.example',
    logs: [a1, a2, b1].map((log, i) => ({ log, timestamp: issued + 1000 * (i + 1) })),
  });
  const pem = (der: Uint8Array) => encodePem('CERTIFICATE', der, toBase64);
  const save = (name: string, content: string | Uint8Array) =>
    (files[name] = join(dir, name)) && writeFileSync(files[name]!, content);
  save('chain.pem', pem(cert.der) + pem(ca.der));
  save(
    'list.json',
    logListJson({
      timestamp: issued,
      operators: [
        {
          name: 'Alpha',
          logs: [a1, a2].map((log) => ({
            log,
            state: 'usable' as const,
            stateSince: Date.UTC(2025, 0, 1),
            type: 'rfc6962' as const,
          })),
        },
        { name: 'Beta', logs: [{ log: b1, state: 'usable', stateSince: Date.UTC(2025, 0, 1), type: 'rfc6962' }] },
      ],
    }),
  );
  // Damage the last SCT's signature (its second-to-last byte).
  const lastSct = cert.scts.at(-1)!;
  const offset = indexOf(cert.der, lastSct);
  const broken = cert.der.slice();
  broken[offset + lastSct.length - 2]! ^= 0x01;
  save('broken.pem', pem(broken) + pem(ca.der));
}, 60_000);

function indexOf(haystack: Uint8Array, needle: Uint8Array): number {
  outer: for (let i = 0; i + needle.length <= haystack.length; i++) {
    for (let k = 0; k < needle.length; k++) if (haystack[i + k] !== needle[k]) continue outer;
    return i;
  }
  throw new Error('needle not found');
}

describe('the built ctlens', () => {
  it('exit 0: every SCT valid and Chrome compliant', () => {
    const r = run('verify', files['chain.pem']!, '--log-list', files['list.json']!, '--at', new Date(at).toISOString());
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/Subject\s+CN=compliant\.example,O=ctlens test/);
    expect(r.stdout.match(/\bembedded\s+valid\b/g)).toHaveLength(3);
    expect(r.stdout).toMatch(/Chrome\s+compliant/);
    expect(r.stdout).toMatch(/Apple\s+compliant/);
    expect(r.stdout).toMatch(/Firefox\s+compliant/);
  });

  it('exit 1: one damaged SCT signature', () => {
    const r = run(
      'verify',
      files['broken.pem']!,
      '--log-list',
      files['list.json']!,
      '--at',
      new Date(at).toISOString(),
      '--json',
    );
    expect(r.status).toBe(1);
    const report = JSON.parse(r.stdout);
    expect(report.scts.map((s: { status: string }) => s.status)).toEqual(['valid', 'valid', 'invalid-signature']);
    // The damaged SCT is Beta's: the two valid ones are both Alpha's, one operator.
    expect(report.policies.chrome).toMatchObject({
      verdict: 'not-compliant',
      reasons: ['embedded SCTs: 1 log operator, 2 needed'],
    });
  });

  it('exit 1: the same chain judged with a stale log list is unknown, not compliant', () => {
    const r = run(
      'verify',
      files['chain.pem']!,
      '--log-list',
      files['list.json']!,
      '--at',
      new Date(issued + 71 * DAY).toISOString(),
      '--json',
    );
    expect(r.status).toBe(1);
    expect(JSON.parse(r.stdout).policies.chrome).toMatchObject({ verdict: 'unknown', wouldBe: 'compliant' });
  });

  it('exit 2: one line on stderr, no stack trace', () => {
    const r = run('verify', join(dir, 'missing.pem'));
    expect(r.status).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toBe(`ctlens: ${join(dir, 'missing.pem')}: cannot read certificate: no such file\n`);
  });

  it('--version and help', () => {
    expect(run('--version').stdout).toMatch(/^ctlens \d+\.\d+\.\d+\n$/);
    expect(run('help').stdout).toContain('ctlens verify <cert>');
  });
});

afterAll(() => rmSync(dir, { recursive: true, force: true }));
