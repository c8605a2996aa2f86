/** `ctlens audit https://host:port`: the chain a real TLS server on loopback sends. */
import { createServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { readLiveChain, parseHostArgument } from '../../src/cli/live-host.js';
import { toBase64 } from '../../src/bytes.js';
import { encodePem } from '../../src/pem.js';
import { createTestCa, createTestLog, issueWithEmbeddedScts, leafPrivateKeyPem } from '../support/test-pki.js';
import type { Server } from 'node:https';

let server: Server;
let port: number;
let leaf: Uint8Array;
let caDer: Uint8Array;

beforeAll(async () => {
  const ca = await createTestCa('ctlens live-host CA');
  const now = Math.floor(Date.now() / 1000) * 1000;
  const cert = await issueWithEmbeddedScts(ca, { notBefore: now - 86_400_000, notAfter: now + 86_400_000 * 30, subject: 'localhost', sans: { ip: ['127.0.0.1'], dns: ['localhost'] }, logs: [{ log: createTestLog('live'), timestamp: now - 1000 }] });
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
  expect(live.notes).toEqual([expect.stringContaining('SCTs from the TLS extension are not visible'), 'the server stapled no OCSP response']);
});

it('an unreachable host is a clear input error', async () => {
  const closed = createServer();
  await new Promise<void>((r) => closed.listen(0, '127.0.0.1', r));
  const p = (closed.address() as AddressInfo).port;
  await new Promise<void>((r) => closed.close(() => r()));
  await expect(readLiveChain('127.0.0.1', p)).rejects.toThrow(`https://127.0.0.1:${p}: ECONNREFUSED`);
});
