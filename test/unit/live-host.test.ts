/**
 * `ctlens audit https://host:port`: the chain a real TLS server on loopback sends, whether it is
 * trusted and names the host (RFC 6125), and the exit code when it is not. The trusted case runs
 * the built CLI in a child process whose trust store holds the test CA (NODE_EXTRA_CA_CERTS).
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { build } from 'vite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readLiveChain, parseHostArgument } from '../../src/cli/live-host.js';
import { toBase64 } from '../../src/bytes.js';
import { encodePem } from '../../src/pem.js';
import { LocalCtLog } from '../../log/log.js';
import { logListEntry } from '../../log/log-list.js';
import { startLocalLog, type LocalLogServer } from '../../log/server.js';
import { runCli } from '../support/cli.js';
import {
  beginIssuance,
  createTestCa,
  createTestLog,
  issueWithEmbeddedScts,
  leafPrivateKeyPem,
  type SubjectAltNames,
  type TestCa,
} from '../support/test-pki.js';
import type { Server } from 'node:https';

let server: Server;
let port: number;
let leaf: Uint8Array;
let caDer: Uint8Array;

beforeAll(async () => {
  const ca = await createTestCa('ctlens live-host CA');
  const now = Math.floor(Date.now() / 1000) * 1000;
  const cert = await issueWithEmbeddedScts(ca, {
    notBefore: now - 86_400_000,
    notAfter: now + 86_400_000 * 30,
    subject: 'localhost',
    sans: { ip: ['127.0.0.1'], dns: ['localhost'] },
    logs: [{ log: createTestLog('live'), timestamp: now - 1000 }],
  });
  leaf = cert.der;
  caDer = ca.der;
  const pem = (der: Uint8Array) => encodePem('CERTIFICATE', der, toBase64);
  server = createServer({ key: await leafPrivateKeyPem(), cert: pem(leaf) + pem(ca.der) }, (_, res) => res.end('ok'));
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  port = (server.address() as AddressInfo).port;
});
afterAll(() => new Promise<void>((r) => server.close(() => r())));

it('parses https:// arguments, and only those', () => {
  expect(parseHostArgument('https://example.com')).toEqual({ host: 'example.com', port: 443 });
  expect(parseHostArgument('https://127.0.0.1:8443/x')).toEqual({ host: '127.0.0.1', port: 8443 });
  expect(parseHostArgument('site.pem')).toBeUndefined();
});

it('reads the chain the server sends, leaf first, and says what it cannot see', async () => {
  const live = await readLiveChain('127.0.0.1', port);
  expect(live.chain.map((c) => toBase64(c))).toEqual([toBase64(leaf), toBase64(caDer)]);
  expect(live.delivered).toEqual([]);
  expect(live.notes).toEqual([
    expect.stringContaining('SCTs from the TLS extension are not visible'),
    'the server stapled no OCSP response',
  ]);
});

it('checks the chain against the trust store and the leaf against the host name, without refusing it', async () => {
  const live = await readLiveChain('127.0.0.1', port);
  expect(live.host).toEqual({
    name: '127.0.0.1',
    chainTrusted: false,
    nameMatches: true,
    error: 'the chain does not lead to a trusted root (SELF_SIGNED_CERT_IN_CHAIN)',
  });
});

it('an unreachable host is a clear input error', async () => {
  const closed = createServer();
  await new Promise<void>((r) => closed.listen(0, '127.0.0.1', r));
  const p = (closed.address() as AddressInfo).port;
  await new Promise<void>((r) => closed.close(() => r()));
  await expect(readLiveChain('127.0.0.1', p)).rejects.toThrow(`https://127.0.0.1:${p}: ECONNREFUSED`);
});

describe('ctlens audit https://host: the chain must be trusted and name the host', () => {
  const DAY = 86_400_000;
  const now = Math.floor(Date.now() / 1000) * 1000;
  const dir = mkdtempSync(join(tmpdir(), 'ctlens-live-'));
  const binary = join(dir, 'bin', 'ctlens.cjs');
  let ca: TestCa;
  let logs: LocalCtLog[];
  let logServers: LocalLogServer[];
  const tlsServers: Server[] = [];
  let list: string;
  let caPem: string;

  /** A TLS server on 127.0.0.1 presenting a leaf for `sans` with SCTs from both logs (Chrome compliant), and its CA. */
  async function serveLeaf(sans: SubjectAltNames): Promise<string> {
    const validity = { notBefore: now - DAY, notAfter: now + 60 * DAY };
    const pending = await beginIssuance(ca, { ...validity, subject: 'live.example', sans });
    const leaf = await pending.finish(logs.map((log) => log.addPreChain([pending.precert, ca.der]).bytes));
    const pem = (der: Uint8Array) => encodePem('CERTIFICATE', der, toBase64);
    const key = await leafPrivateKeyPem();
    const tls = createServer({ key, cert: pem(leaf.der) + pem(ca.der) }, (_, res) => res.end('ok'));
    tlsServers.push(tls);
    await new Promise<void>((resolve) => tls.listen(0, '127.0.0.1', resolve));
    return `https://127.0.0.1:${(tls.address() as AddressInfo).port}`;
  }

  const args = (url: string, ...more: string[]) => [
    'audit',
    url,
    '--log-list',
    list,
    '--state-dir',
    join(dir, 'state'),
    ...more,
  ];

  /** The built CLI in a child process that trusts the test CA (async: the servers live in this process). */
  function runTrusting(argv: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
    return new Promise((resolve, reject) => {
      const env = { ...process.env, NODE_EXTRA_CA_CERTS: caPem, CTLENS_CONFIG_DIR: join(dir, 'config'), NO_COLOR: '1' };
      const child = spawn(process.execPath, [binary, ...argv], { env });
      let stdout = '';
      let stderr = '';
      child.stdout.on('data', (d) => (stdout += d));
      child.stderr.on('data', (d) => (stderr += d));
      child.on('error', reject);
      child.on('close', (code) => resolve({ code, stdout, stderr }));
    });
  }

  beforeAll(async () => {
    const outDir = join(dir, 'bin');
    await build({ configFile: 'vite.cli.config.ts', logLevel: 'silent', build: { outDir, emptyOutDir: true } });
    ca = await createTestCa('ctlens live-host trust CA');
    caPem = join(dir, 'ca.pem');
    writeFileSync(caPem, encodePem('CERTIFICATE', ca.der, toBase64));
    logs = [new LocalCtLog({ description: 'Live Log A' }), new LocalCtLog({ description: 'Live Log B' })];
    logServers = await Promise.all(logs.map((log) => startLocalLog(log)));
    list = join(dir, 'list.json');
    writeFileSync(
      list,
      JSON.stringify({
        version: '1.0',
        log_list_timestamp: new Date(now).toISOString(),
        operators: logs.map((log, i) => ({
          name: `Operator ${i}`,
          logs: [logListEntry(log, { url: logServers[i]!.url, at: now - 30 * DAY })],
        })),
      }),
    );
  }, 60_000);
  afterAll(async () => {
    await Promise.all(tlsServers.map((tls) => new Promise<void>((resolve) => tls.close(() => resolve()))));
    await Promise.all(logServers.map((server) => server.close()));
    rmSync(dir, { recursive: true, force: true });
  });

  it('trusted and matching: host reported, exit 0', async () => {
    const url = await serveLeaf({ ip: ['127.0.0.1'] });
    const r = await runTrusting(args(url, '--json'));
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const report = JSON.parse(r.stdout);
    expect(report.host).toEqual({ name: '127.0.0.1', chainTrusted: true, nameMatches: true });
    expect(report.policies.chrome.verdict).toBe('compliant');
    const text = await runTrusting(args(url));
    expect(text.code).toBe(0);
    expect(text.stdout.split('\n')[0]).toMatch(/^Host {2}127\.0\.0\.1:\d+ {2}chain trusted, name matches$/);
  });

  it('an untrusted chain: everything else compliant, still exit 1, and said', async () => {
    const url = await serveLeaf({ ip: ['127.0.0.1'] });
    const r = await runCli(args(url, '--json'));
    expect(r.code).toBe(1);
    const report = JSON.parse(r.stdout);
    expect(report.host).toEqual({
      name: '127.0.0.1',
      chainTrusted: false,
      nameMatches: true,
      error: expect.stringContaining('SELF_SIGNED_CERT_IN_CHAIN'),
    });
    expect(report.policies.chrome.verdict).toBe('compliant');
    expect(report.scts.map((s: { status: string }) => s.status)).toEqual(['valid', 'valid']);
    const text = await runCli(args(url));
    expect(text.code).toBe(1);
    const hostLine =
      /^Host {2}127\.0\.0\.1:\d+ {2}chain NOT trusted: the chain does not lead to a trusted root \(SELF_SIGNED_/;
    expect(text.stdout.split('\n')[0]).toMatch(hostLine);
  });

  it('a trusted chain for another name (whoever is on the path presents their own): exit 1, and said', async () => {
    const url = await serveLeaf({ dns: ['other.example'] });
    const r = await runTrusting(args(url, '--json'));
    expect(r.code).toBe(1);
    const report = JSON.parse(r.stdout);
    expect(report.host).toEqual({
      name: '127.0.0.1',
      chainTrusted: true,
      nameMatches: false,
      error: expect.stringMatching(
        /^the certificate is not for 127\.0\.0\.1 \(.*IP: 127\.0\.0\.1 is not in the cert's/,
      ),
    });
    expect(report.policies.chrome.verdict).toBe('compliant');
    const text = await runTrusting(args(url));
    expect(text.code).toBe(1);
    const hostLine = /^Host {2}127\.0\.0\.1:\d+ {2}name does NOT match: the certificate is not for 127\.0\.0\.1/;
    expect(text.stdout.split('\n')[0]).toMatch(hostLine);
  });

  it('a log that misbehaved still wins: exit 3 over the untrusted chain', async () => {
    const url = await serveLeaf({ ip: ['127.0.0.1'] });
    expect((await runCli(args(url))).code).toBe(1); // the heads kept now include the leaf's entry
    logs[1]!.misbehave = { fork: true }; // from here the log shows another history for that entry
    try {
      const r = await runCli(args(url, '--json'));
      expect(JSON.parse(r.stdout).host.chainTrusted).toBe(false);
      expect(r.code).toBe(3);
    } finally {
      logs[1]!.misbehave = {};
    }
  });
});
