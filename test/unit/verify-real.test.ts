/**
 * Real certificates from public sites (test/fixtures/real/PROVENANCE.md) against Google's signed
 * log lists bundled with ctlens: real log keys, ECDSA and RSA logs, high- and low-S signatures.
 */
import { describe, expect, it } from 'vitest';
import { check } from '../../src/check.js';
import { bundledLogLists } from '../../src/loglist/bundled.js';
import { LogRegistry } from '../../src/loglist/registry.js';
import { OID, parseCertificate } from '../../src/x509/certificate.js';
import { pemCert } from '../support/fixtures.js';

const registry = new LogRegistry(await bundledLogLists());

const CASES = [
  {
    name: 'google-mail',
    at: '2020-05-01',
    logs: ["Google 'Argon2020' log", "Cloudflare 'Nimbus2020' Log"],
    statuses: ['valid', 'valid'],
  },
  {
    name: 'badssl-wildcard-ecc256',
    at: '2018-01-01',
    logs: ["Google 'Pilot' log", 'DigiCert Log Server', "Google 'Rocketeer' log", "Google 'Skydiver' log"],
    statuses: ['valid', 'valid', 'valid', 'valid'],
  },
  {
    name: 'badssl-wildcard-rsa2048',
    at: '2021-01-01',
    logs: ["Google 'Skydiver' log", 'DigiCert Yeti2022 Log', 'DigiCert Nessie2022 Log'],
    statuses: ['valid', 'valid', 'valid'],
  },
  {
    name: 'facebook-wildcard',
    at: '2017-01-01',
    logs: ["Google 'Pilot' log", 'Venafi log', 'DigiCert Log Server', "Google 'Rocketeer' log"],
    statuses: ['valid', 'valid', 'valid', 'valid'],
  },
  // Symantec Deneb logged a name-redacted precertificate: under RFC 6962 the signature fails.
  { name: 'badssl-invalid-expected-sct', at: '2017-01-01', logs: ['Symantec Deneb'], statuses: ['invalid-signature'] },
];

describe.each(CASES)('$name', ({ name, at, logs, statuses }) => {
  it('verifies each embedded SCT against the bundled log list', async () => {
    const report = await check({
      chain: [pemCert(`real/${name}-leaf.pem`), pemCert(`real/${name}-issuer.pem`)],
      registry,
      at: Date.parse(at),
    });
    expect(report.sctList).toBe('ok');
    expect(report.scts.map((s) => s.log?.description)).toEqual(logs);
    expect(report.scts.map((s) => s.status)).toEqual(statuses);
  });
});

it('reports the certificate as people read it', async () => {
  const report = await check({
    chain: [pemCert('real/google-mail-leaf.pem'), pemCert('real/google-mail-issuer.pem')],
    registry,
    at: Date.parse('2020-05-01'),
  });
  expect(report.certificate).toMatchObject({
    subject: 'CN=mail.google.com,O=Google LLC,L=Mountain View,ST=California,C=US',
    issuer: 'CN=GTS CA 1O1,O=Google Trust Services,C=US',
    notBefore: '2020-04-01T12:58:56.000Z',
    notAfter: '2020-06-24T12:58:56.000Z',
    subjectAltNames: ['DNS:mail.google.com', 'DNS:inbox.google.com'],
    isPrecertificate: false,
  });
  expect(report.scts[0]).toMatchObject({
    source: 'embedded',
    logId: expect.any(String),
    leafIndex: null,
    log: { operator: 'Google', type: 'rfc6962' },
  });
});

it('the RSA-keyed Venafi log verifies an RSA PKCS#1 v1.5 SCT signature', async () => {
  const report = await check({
    chain: [pemCert('real/facebook-wildcard-leaf.pem'), pemCert('real/facebook-wildcard-issuer.pem')],
    registry,
    at: Date.parse('2017-01-01'),
  });
  const venafi = report.scts.find((s) => s.log?.description === 'Venafi log');
  expect(venafi).toMatchObject({ status: 'valid', signatureAlgorithm: 1 });
});

it('a real SCT with one signature byte changed is invalid, the other stays valid', async () => {
  const leaf = pemCert('real/google-mail-leaf.pem');
  const sctList = parseCertificate(leaf).extensions.at(-1)!;
  expect(sctList.oid).toBe(OID.SCT_LIST);
  // The last bytes of the last extension are the end of the second SCT's signature.
  const damaged = leaf.slice();
  damaged[sctList.element.end - 3]! ^= 0x01;
  const report = await check({
    chain: [damaged, pemCert('real/google-mail-issuer.pem')],
    registry,
    at: Date.parse('2020-05-01'),
  });
  expect(report.scts.map((s) => s.status)).toEqual(['valid', 'invalid-signature']);
});
