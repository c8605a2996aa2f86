/** `ctlens verify` and `ctlens loglist`: output, JSON contract, exit codes 0/1/2. */
import { writeFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli } from '../support/cli.js';
import { fixturePath } from '../support/fixtures.js';

const rfc = (name: string) => fixturePath(`rfc6962/${name}`);
const real = (name: string) => fixturePath(`real/${name}`);
const tmp = mkdtempSync(join(tmpdir(), 'ctlens-cli-files-'));
const file = (name: string, content: string | Uint8Array) => {
  const path = join(tmp, name);
  writeFileSync(path, content);
  return path;
};

describe('exit 2: bad usage or unreadable input, one line on stderr', () => {
  it.each([
    [[], /^ctlens: no command given/],
    [['frobnicate'], /^ctlens: unknown command "frobnicate"/],
    [['verify'], /^ctlens: missing the certificate file/],
    [['verify', rfc('test-cert.pem'), '--bogus'], /^ctlens: Unknown option '--bogus'/],
    [['verify', '/no/such/file.pem'], /^ctlens: \/no\/such\/file.pem: cannot read certificate: no such file/],
    [['verify', tmp], /: cannot read certificate: is a directory/],
    [['verify', rfc('test-cert.pem'), '--at', 'yesterday'], /^ctlens: --at: "yesterday" is not an ISO 8601 time/],
    [['verify', rfc('test-cert.pem'), '--at', '2026-02-30'], /^ctlens: --at: "2026-02-30" is not a valid time/],
    [
      ['verify', rfc('test-cert.pem'), '--issuer', rfc('test-cert.proof')],
      /test-cert.proof: certificate is not valid DER/,
    ],
    [
      ['verify', rfc('test-cert.pem'), '--log-list', rfc('test-cert.pem')],
      /test-cert.pem: not a v3 log list: not JSON/,
    ],
    [['verify', rfc('test-cert.pem'), '--log-key', rfc('ca-cert.pem')], /ca-cert.pem: no PUBLIC KEY block/],
    [['verify', rfc('test-cert.pem'), '--sct', file('empty.sct', '')], /empty.sct: SCT file is empty/],
    [['loglist', '--url', 'http://127.0.0.1/x.json'], /^ctlens: --url goes with --update/],
  ])('%j', async (args, message) => {
    const { code, stdout, stderr } = await runCli(args as string[]);
    expect(code).toBe(2);
    expect(stdout).toBe('');
    expect(stderr).toMatch(message);
    expect(stderr.trimEnd().split('\n')).toHaveLength(1);
  });

  it('a PEM file without a certificate, garbage, a truncated certificate', async () => {
    const der = (await import('../support/fixtures.js')).pemCert('rfc6962/test-cert.pem');
    for (const [path, message] of [
      [
        file('key.pem', '-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----\n'),
        /key.pem: no CERTIFICATE block/,
      ],
      [file('garbage.bin', 'hello world'), /garbage.bin: certificate is not valid DER: Certificate: expected tag 0x30/],
      [
        file('truncated.der', der.subarray(0, 200)),
        /truncated.der: certificate is not valid DER: .*overruns its container/,
      ],
      [
        file('bad.pem', '-----BEGIN CERTIFICATE-----\nMII$\n-----END CERTIFICATE-----\n'),
        /bad.pem: PEM block "CERTIFICATE" #1: invalid base64/,
      ],
    ] as const) {
      const { code, stderr } = await runCli(['verify', path]);
      expect(code).toBe(2);
      expect(stderr).toMatch(message);
    }
  });
});

describe('exit 1: an SCT not valid or the policy not met', () => {
  it('prints the certificate, the SCT table and the policies', async () => {
    const { code, stdout, stderr } = await runCli([
      'verify',
      rfc('test-embedded-cert.pem'),
      '--issuer',
      rfc('ca-cert.pem'),
      '--log-key',
      rfc('ct-server-key-public.pem'),
      '--at',
      '2014-01-01',
    ]);
    expect(stderr).toBe('');
    expect(code).toBe(1);
    // as openssl -nameopt RFC2253
    expect(stdout).toContain('Subject    L=Erw Wen,ST=Wales,O=Certificate Transparency,C=GB');
    expect(stdout).toMatch(/1\s+embedded\s+valid\s+extra log .* \(log key .*ct-server-key-public.pem\)/);
    expect(stdout).toMatch(/Chrome\s+not-applicable/);
  });

  it('the invalid RFC 6962 certificate', async () => {
    const { code, stdout } = await runCli([
      'verify',
      rfc('test-invalid-embedded-cert.pem'),
      '--issuer',
      rfc('ca-cert.pem'),
      '--log-key',
      rfc('ct-server-key-public.pem'),
      '--at',
      '2014-01-01',
    ]);
    expect(code).toBe(1);
    expect(stdout).toMatch(/1\s+embedded\s+invalid-signature/);
    expect(stdout).toContain('signature does not verify with the log key');
  });

  it('a PEM chain: the second certificate is the issuer', async () => {
    const chain = file(
      'chain.pem',
      (await import('node:fs')).readFileSync(real('google-mail-leaf.pem'), 'utf8') +
        (await import('node:fs')).readFileSync(real('google-mail-issuer.pem'), 'utf8'),
    );
    const { code, stdout } = await runCli(['verify', chain, '--at', '2020-05-01', '--json']);
    expect(code).toBe(1); // both logs are rejected today
    const report = JSON.parse(stdout);
    expect(report.scts.map((s: { status: string }) => s.status)).toEqual(['valid', 'valid']);
  });
});

describe('--json', () => {
  it('prints one object with the contract keys', async () => {
    const { code, stdout } = await runCli([
      'verify',
      rfc('test-embedded-pre-cert.pem'),
      '--issuer',
      rfc('ca-cert.pem'),
      '--sct',
      rfc('test-embedded-pre-cert.proof'),
      '--sct',
      rfc('rsa/test-embedded-pre-cert-rsa.proof'),
      '--log-key',
      rfc('ct-server-key-public.pem'),
      '--log-key',
      rfc('rsa/ct-server-key-public-rsa.pem'),
      '--at',
      '2014-01-01T00:00:00Z',
      '--json',
    ]);
    expect(code).toBe(1); // a precertificate is never compliant: its policies are not-applicable
    const report = JSON.parse(stdout);
    expect(Object.keys(report)).toEqual(expect.arrayContaining(['certificate', 'sctList', 'scts', 'policies']));
    expect(Object.keys(report.certificate)).toEqual(
      expect.arrayContaining(['subject', 'issuer', 'serialNumber', 'notBefore', 'notAfter', 'sha256']),
    );
    expect(report.sctList).toBe('absent');
    expect(report.scts).toHaveLength(2);
    for (const sct of report.scts) {
      expect(sct).toMatchObject({
        source: 'tls-extension',
        status: 'valid',
        entryType: 'precert_entry',
        leafIndex: null,
        logId: expect.any(String),
        timestamp: expect.any(Number),
      });
      expect(sct.log).toMatchObject({ description: expect.stringContaining('extra log') });
    }
    for (const name of ['chrome', 'apple', 'firefox']) {
      expect(report.policies[name]).toMatchObject({
        verdict: 'not-applicable',
        reasons: [expect.stringContaining('precertificate')],
      });
    }
  });

  it('reports an unknown log and a malformed SCT', async () => {
    const proof = (await import('node:fs')).readFileSync(rfc('test-cert.proof'));
    const { stdout } = await runCli([
      'verify',
      rfc('test-cert.pem'),
      '--sct',
      rfc('test-cert.proof'),
      '--sct',
      file('cut.sct', proof.subarray(0, 50)),
      '--at',
      '2014-01-01',
      '--json',
    ]);
    const report = JSON.parse(stdout);
    expect(report.scts.map((s: { status: string }) => s.status)).toEqual(['unknown-log', 'malformed']);
    expect(report.scts[1]).toMatchObject({
      logId: null,
      timestamp: null,
      log: null,
      detail: expect.stringContaining('needs'),
    });
  });
});

describe('ctlens loglist', () => {
  it('shows the bundled lists, their age and the logs per state', async () => {
    const { code, stdout } = await runCli(['loglist']);
    expect(code).toBe(0);
    expect(stdout).toMatch(
      /Google log list v89\.25 \(bundled\)\s+2026-08-20 13:34:57Z, \d+ days old, 117 logs, signature verified/,
    );
    expect(stdout).toMatch(/Google log list v83\.1 \(bundled\)/);
    expect(stdout).toMatch(/usable \(tiled\)\s+\d+/);
  });

  it('--json', async () => {
    const { stdout } = await runCli(['loglist', '--json']);
    const out = JSON.parse(stdout);
    expect(out.lists.map((l: { version: string }) => l.version)).toEqual(['89.25', '83.1']);
    expect(out.timestamp).toBe('2026-08-20T13:34:57.000Z');
    expect(out.states.usable).toBeGreaterThan(10);
  });
});

it('ctlens sample runs on the embedded certificate', async () => {
  const { stdout, stderr } = await runCli(['sample']);
  expect(stderr).toBe('');
  expect(stdout).toContain('CN=mail.google.com');
  expect(stdout).toMatch(/Google 'Argon2020' log/);
});

afterAll(() => rmSync(tmp, { recursive: true, force: true }));
