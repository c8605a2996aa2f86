/**
 * `wrong-issuer` (issue 8): a certificate given as the issuer that did not issue the leaf is its
 * own SCT status, with the reason and where that certificate came from; `missing-issuer` stays for
 * "none given". With the RFC 6962 test certificates and real public certificates, the issuer given
 * as the chain's second certificate and with the CLI's --issuer.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { Bytes } from '../../src/bytes.js';
import { check, decide, type CheckInput } from '../../src/check.js';
import { bundledLogLists } from '../../src/loglist/bundled.js';
import { LogRegistry } from '../../src/loglist/registry.js';
import { summarize } from '../../src/summary.js';
import { findExtension, parseCertificate } from '../../src/x509/certificate.js';
import { runCli } from '../support/cli.js';
import { TEST_DATA_TIME, fixturePath, pemCert, readFixture, rfc6962TestLogs } from '../support/fixtures.js';

const rfc = (name: string) => pemCert(`rfc6962/${name}`);
const real = (name: string) => pemCert(`real/${name}.pem`);
const rfcLogs = rfc6962TestLogs();
const bundled = new LogRegistry(await bundledLogLists());
const MAIL_AT = Date.parse('2020-05-01');

const verify = async (input: Partial<CheckInput> & Pick<CheckInput, 'chain'>) =>
  (await decide({ registry: rfcLogs, at: TEST_DATA_TIME, ...input })).verification;
const statuses = (v: { scts: readonly { status: string }[] }) => v.scts.map((s) => s.status);

/** `der` with the byte at `offset` changed; it must still parse as a certificate. */
function flipAt(der: Bytes, offset: number): Bytes {
  const copy = der.slice();
  copy[offset]! ^= 0x01;
  parseCertificate(copy); // still a certificate
  return copy;
}

describe('wrong-issuer, and where the issuer came from', () => {
  it("the chain's second certificate is another CA (names differ): wrong-issuer, and a note naming it", async () => {
    const v = await verify({ chain: [rfc('test-embedded-cert.pem'), rfc('intermediate-cert.pem')] });
    expect(v.scts[0]).toMatchObject({
      status: 'wrong-issuer',
      detail: expect.stringMatching(/^the chain's second certificate did not issue this certificate: .*names differ/),
    });
    expect(v.notes).toEqual([
      expect.stringMatching(/^the chain's second certificate did not issue this certificate: .*wrong-issuer/),
    ]);
  });

  it('the same certificate given with --issuer: the note says --issuer', async () => {
    const v = await verify({
      chain: [rfc('test-embedded-cert.pem'), rfc('intermediate-cert.pem')],
      issuerGivenBy: '--issuer',
    });
    expect(v.scts[0]).toMatchObject({
      status: 'wrong-issuer',
      detail: expect.stringContaining('the certificate given with --issuer did not issue'),
    });
    expect(v.notes).toEqual([
      expect.stringContaining('the certificate given with --issuer did not issue this certificate'),
    ]);
  });

  it('none given stays missing-issuer, with no note', async () => {
    const v = await verify({ chain: [rfc('test-embedded-cert.pem')] });
    expect(statuses(v)).toEqual(['missing-issuer']);
    expect(v.notes).toEqual([]);
  });

  it(
    "real certificates: mail.google.com with Facebook's issuer: " +
      'both SCTs wrong-issuer, the verdict unknown, the badge grey',
    async () => {
      const report = await check({
        chain: [real('google-mail-leaf'), real('facebook-wildcard-issuer')],
        registry: bundled,
        at: MAIL_AT,
      });
      expect(report.scts.map((s) => s.status)).toEqual(['wrong-issuer', 'wrong-issuer']);
      expect(report.notes).toEqual([
        expect.stringContaining("the chain's second certificate did not issue this certificate"),
      ]);
      expect(report.policies.chrome.verdict).toBe('unknown');
      expect(report.policies.chrome.reasons[0]).toBe(
        '2 SCTs could not be checked: the certificate given as issuer did not issue this one',
      );
      expect(summarize(report, 'chrome')).toMatchObject({
        level: 'unknown',
        title: expect.stringContaining('did not issue'),
      });
    },
  );

  it(
    'the precertificate signing CA given without its issuer, ' + "but not the precertificate's issuer: wrong-issuer",
    async () => {
      const delivered = [
        { bytes: readFixture('rfc6962/test-embedded-pre-cert.proof'), source: 'tls-extension' as const },
      ];
      const v = await verify({ chain: [rfc('test-embedded-pre-cert.pem'), rfc('ca-pre-cert.pem')], delivered });
      expect(v.scts[0]).toMatchObject({ status: 'wrong-issuer', detail: expect.stringContaining('names differ') });
    },
  );

  it(
    'a precertificate signing CA followed by a certificate that did not issue it: ' +
      "the chain's third certificate is named",
    async () => {
      const delivered = [
        { bytes: readFixture('rfc6962/test-embedded-with-preca-pre-cert.proof'), source: 'tls-extension' as const },
      ];
      const chain = [
        rfc('test-embedded-with-preca-pre-cert.pem'),
        rfc('ca-pre-cert.pem'),
        rfc('intermediate-cert.pem'),
      ];
      const v = await verify({ chain, delivered });
      expect(v.scts[0]).toMatchObject({
        status: 'wrong-issuer',
        detail: expect.stringContaining(
          "the chain's third certificate did not issue the precertificate signing certificate before it",
        ),
      });
    },
  );
});

describe('what makes an issuer wrong, and what does not', () => {
  const leaf = rfc('test-embedded-cert.pem');
  const ca = rfc('ca-cert.pem');
  const view = parseCertificate(ca);
  // The SPKI follows issuer, validity and subject; its RSA modulus ends before INTEGER 65537 (5 bytes).
  const keyByte = view.tbsFields[view.issuerIndex + 3]!.end - 6;
  // The subject key identifier's last byte ends its extension.
  const skiByte = findExtension(view, '2.5.29.14')!.element.end - 1;

  it(
    "the CA's name with another key and another key identifier: " + 'wrong-issuer (the key identifiers differ)',
    async () => {
      const impostor = flipAt(flipAt(ca, keyByte), skiByte);
      const v = await verify({ chain: [leaf, impostor] });
      expect(v.scts[0]).toMatchObject({
        status: 'wrong-issuer',
        detail: expect.stringContaining('subject key identifier'),
      });
    },
  );

  it(
    "the CA's name and key identifier with another key: " +
      'invalid-signature, since nothing shows the issuer is another',
    async () => {
      const v = await verify({ chain: [leaf, flipAt(ca, keyByte)] });
      expect(statuses(v)).toEqual(['invalid-signature']);
      expect(v.notes).toEqual([]);
    },
  );

  it(
    'an SCT that is really invalid stays invalid-signature ' +
      "when the issuer's key verifies the leaf, whatever its key id says",
    async () => {
      // Symantec Deneb's SCT over a name-redacted precertificate: invalid under RFC 6962. Its issuer's
      // key identifier changed: only the signature check (sha256WithRSAEncryption) shows it is the issuer.
      const issuer = real('badssl-invalid-expected-sct-issuer');
      const ski = findExtension(parseCertificate(issuer), '2.5.29.14')!.element.end - 1;
      const at = Date.parse('2017-01-01');
      const report = await check({
        chain: [real('badssl-invalid-expected-sct-leaf'), flipAt(issuer, ski)],
        registry: bundled,
        at,
      });
      expect(report.scts.map((s) => s.status)).toEqual(['invalid-signature']);
    },
  );

  it('a damaged SCT with the right issuer stays invalid-signature: the leaf changed, not the issuer', async () => {
    const mail = real('google-mail-leaf');
    const list = parseCertificate(mail).extensions.at(-1)!;
    const damaged = flipAt(mail, list.element.end - 3);
    const report = await check({ chain: [damaged, real('google-mail-issuer')], registry: bundled, at: MAIL_AT });
    expect(report.scts.map((s) => s.status)).toEqual(['valid', 'invalid-signature']);
    expect(report.notes).toEqual([]);
  });

  it('an SCT valid over the same entry proves the issuer right, even beside a key id that looks wrong', async () => {
    // The damaged SCT changes the leaf, so the issuer's key no longer verifies it; the issuer's key
    // id is changed too. The other SCT still verifies over the entry built from this issuer.
    const mail = real('google-mail-leaf');
    const damaged = flipAt(mail, parseCertificate(mail).extensions.at(-1)!.element.end - 3);
    const issuer = real('google-mail-issuer');
    const odd = flipAt(issuer, findExtension(parseCertificate(issuer), '2.5.29.14')!.element.end - 1);
    const report = await check({ chain: [damaged, odd], registry: bundled, at: MAIL_AT });
    expect(report.scts.map((s) => s.status)).toEqual(['valid', 'invalid-signature']);
  });
});

describe("ctlens verify: the wrong issuer given with --issuer and as the chain's second certificate", () => {
  const dir = mkdtempSync(join(tmpdir(), 'ctlens-wrong-issuer-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const path = (name: string) => fixturePath(name);
  const rfcArgs = ['--log-key', path('rfc6962/ct-server-key-public.pem'), '--at', '2014-01-01'];

  it('--issuer: the RFC 6962 certificate with the intermediate CA given as its issuer', async () => {
    const args = [
      'verify',
      path('rfc6962/test-embedded-cert.pem'),
      '--issuer',
      path('rfc6962/intermediate-cert.pem'),
      ...rfcArgs,
    ];
    const { code, stdout, stderr } = await runCli([...args, '--json']);
    expect(stderr).toBe('');
    expect(code).toBe(1);
    const report = JSON.parse(stdout);
    expect(report.scts[0]).toMatchObject({
      status: 'wrong-issuer',
      detail: expect.stringContaining('given with --issuer'),
    });
    expect(report.notes).toEqual([
      expect.stringMatching(/^the certificate given with --issuer did not issue this certificate/),
    ]);
    const text = (await runCli(args)).stdout;
    expect(text).toMatch(/1\s+embedded\s+wrong-issuer/);
    expect(text).toContain('Note: the certificate given with --issuer did not issue this certificate');
  });

  it("the chain's second certificate: mail.google.com followed by Facebook's issuer (real certificates)", async () => {
    const chain = join(dir, 'wrong-chain.pem');
    writeFileSync(
      chain,
      readFileSync(path('real/google-mail-leaf.pem'), 'utf8') +
        readFileSync(path('real/facebook-wildcard-issuer.pem'), 'utf8'),
    );
    const { code, stdout } = await runCli(['verify', chain, '--at', '2020-05-01', '--json']);
    expect(code).toBe(1);
    const report = JSON.parse(stdout);
    expect(report.scts.map((s: { status: string }) => s.status)).toEqual(['wrong-issuer', 'wrong-issuer']);
    expect(report.notes).toEqual([
      expect.stringMatching(/^the chain's second certificate did not issue this certificate/),
    ]);
  });

  it('--issuer with the right issuer: valid, no note', async () => {
    const args = [
      'verify',
      path('real/google-mail-leaf.pem'),
      '--issuer',
      path('real/google-mail-issuer.pem'),
      '--at',
      '2020-05-01',
      '--json',
    ];
    const report = JSON.parse((await runCli(args)).stdout);
    expect(report.scts.map((s: { status: string }) => s.status)).toEqual(['valid', 'valid']);
    expect(report.notes).toEqual([]);
  });
});
