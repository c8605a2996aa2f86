/**
 * `ctlens verify <leaf> --fetch-issuer`: the leaf's issuer from its caIssuers URL, on a real HTTP
 * server on loopback, through the extension's resolution (src/cli/fetch-issuer.ts). The run of the
 * command itself is in cli-verify-fetch-issuer.test.ts.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { withFetchedIssuer } from '../../src/cli/fetch-issuer.js';
import { serve, type Route, type TestServer } from '../support/http-server.js';
import { certsOnlyCms, createCa, issueLeaf } from '../support/issuer-pki.js';
import type { TestCa } from '../support/test-pki.js';

let server: TestServer;
let ca: TestCa;
let other: TestCa;
const routes: Record<string, Route> = {};

beforeAll(async () => {
  server = await serve(routes);
  [ca, other] = await Promise.all([
    createCa('CLI fetch CA', 'P-384', { hash: 'SHA-384' }),
    createCa('Other CA', 'P-256'),
  ]);
  routes['/ca.crt'] = { body: ca.der };
  routes['/bundle.p7c'] = { body: certsOnlyCms([other.der, ca.der]) };
  routes['/other.crt'] = { body: other.der };
  routes['/moved'] = { status: 301, body: '', headers: { location: `${server.url}/ca.crt` } };
  routes['/elsewhere'] = { status: 302, body: '', headers: { location: 'data:application/pkix-cert;base64,AAAA' } };
  routes['/big'] = { body: new Uint8Array(70 * 1024) };
});
afterAll(() => server.close());

const leafNaming = (...paths: string[]) =>
  issueLeaf(ca, { hash: 'SHA-384', caIssuers: paths.map((p) => `${server.url}${p}`) });

describe('--fetch-issuer', () => {
  it('takes what its caIssuers URL serves: DER, one of a CMS bundle, through a redirect', async () => {
    for (const path of ['/ca.crt', '/bundle.p7c', '/moved']) {
      const found = await withFetchedIssuer(await leafNaming(path));
      expect(found.chain[1], path).toEqual(ca.der);
      expect(found.notes).toEqual([
        `--fetch-issuer: the issuer certificate was fetched from ${server.url}${path}, ` +
          'the caIssuers URL the certificate names; its signature on the certificate verifies',
      ]);
    }
  });

  it('asks with no credentials and no referrer, and says why when no issuer comes of it', async () => {
    const inits: RequestInit[] = [];
    const spy = (url: string, init: RequestInit) => {
      inits.push(init);
      return fetch(url, init);
    };
    const cases: [string, string][] = [
      ['/other.crt', 'the certificate it serves did not sign this certificate'],
      ['/missing', 'HTTP 404'],
      ['/elsewhere', 'cannot be reached'],
      ['/big', 'exceeds the 65536-byte limit'],
    ];
    for (const [path, why] of cases) {
      const found = await withFetchedIssuer(await leafNaming(path), spy);
      expect(found.chain, path).toHaveLength(1);
      expect(found.notes[0], path).toContain(`${server.url}${path}: `);
      expect(found.notes[0], path).toContain(why);
    }
    expect(
      inits.every((i) => i.credentials === 'omit' && i.referrerPolicy === 'no-referrer' && i.redirect === 'follow'),
    ).toBe(true);
    const none = await withFetchedIssuer(await issueLeaf(ca));
    expect(none.notes).toEqual([
      '--fetch-issuer: the issuer was not found: no issuer ctlens holds signed this certificate, ' +
        'and it names no caIssuers URL (RFC 5280 §4.2.2.1)',
    ]);
  });

  it('gives up on a server that does not answer in time', async () => {
    const { createServer } = await import('node:http');
    const silent = createServer(() => undefined); // accepts, never answers
    await new Promise<void>((r) => silent.listen(0, '127.0.0.1', r));
    const port = (silent.address() as { port: number }).port;
    try {
      const { fetchIssuerCertificates } = await import('../../src/issuer/fetch-issuer.js');
      const started = Date.now();
      await expect(
        fetchIssuerCertificates(`http://127.0.0.1:${port}/ca.crt`, fetch, { timeoutMs: 300, maxBytes: 1024 }),
      ).rejects.toThrow(`http://127.0.0.1:${port}/ca.crt: no answer within 0.3 s`);
      expect(Date.now() - started).toBeLessThan(3000);
    } finally {
      silent.closeAllConnections();
      silent.close();
    }
  });
});
