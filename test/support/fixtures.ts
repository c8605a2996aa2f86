/** Loading test fixtures (see test/fixtures/PROVENANCE.md). Tests may use Node APIs. */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { certificatesFromPem, decodePem } from '../../src/pem.js';
import { LogRegistry, logFromKey } from '../../src/loglist/registry.js';
import type { Bytes } from '../../src/bytes.js';

export const fixturePath = (name: string): string => fileURLToPath(new URL(`../fixtures/${name}`, import.meta.url));
export const readFixture = (name: string): Uint8Array => new Uint8Array(readFileSync(fixturePath(name)));
export const pemCerts = (name: string): Bytes[] => certificatesFromPem(readFileSync(fixturePath(name), 'utf8'));
export const pemCert = (name: string): Bytes => pemCerts(name)[0]!;
export const pemKey = (name: string): Bytes => decodePem(readFileSync(fixturePath(name), 'utf8'))[0]!.der;

/** The two RFC 6962 test logs (ECDSA P-256 and RSA-2048), as bare keys: no state, no operator. */
export const rfc6962TestLogs = (): LogRegistry =>
  new LogRegistry(
    [],
    [
      logFromKey(pemKey('rfc6962/ct-server-key-public.pem'), 'RFC 6962 ECDSA test log'),
      logFromKey(pemKey('rfc6962/rsa/ct-server-key-public-rsa.pem'), 'RFC 6962 RSA test log'),
    ],
  );

/** 2013-01-01: after the test SCTs were issued (2012-2013). */
export const TEST_DATA_TIME = Date.UTC(2014, 0, 1);
