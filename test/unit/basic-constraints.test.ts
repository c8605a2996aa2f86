/**
 * "Is it a CA" has one answer (isCaCertificate, RFC 5280 §4.2.1.9): the policies' not-applicable
 * rule, the report's outline and its pkijs description agree for every basicConstraints, and one
 * that is not DER is refused when the certificate is read, naming basicConstraints, rather than
 * crashing the policies or being read three ways.
 */
import { describe, expect, it } from 'vitest';
import { fromHex, type Bytes } from '../../src/bytes.js';
import { evaluatePolicies } from '../../src/policy/evaluate.js';
import { verifyScts } from '../../src/verify/verify-scts.js';
import { basicConstraintsCa } from '../../src/x509/basic-constraints.js';
import { CertificateError, OID, isCaCertificate, parseCertificate } from '../../src/x509/certificate.js';
import { describeCertificate, outlineCertificate } from '../../src/x509/describe.js';
import { replaceExtensionValue } from '../support/der-edit.js';
import { TEST_DATA_TIME, pemCert, rfc6962TestLogs } from '../support/fixtures.js';

const CA_REASON = 'CA certificates are not subject to CT policy';
/** The RFC 6962 test CA (basicConstraints 30 03 01 01 ff), its extension value replaced. */
const caWith = (value: Bytes): Bytes =>
  replaceExtensionValue(pemCert('rfc6962/ca-cert.pem'), OID.BASIC_CONSTRAINTS, value);

/** What each reader says of the certificate, or the error that refused it. */
async function readings(der: Bytes): Promise<{ policy: boolean; outline: boolean; described: boolean } | Error> {
  const registry = rfc6962TestLogs();
  try {
    const verification = await verifyScts({ chain: [der], registry, at: TEST_DATA_TIME });
    const policies = evaluatePolicies(verification, registry);
    return {
      policy: policies.chrome.reasons.includes(CA_REASON),
      outline: outlineCertificate(der).isCA,
      described: describeCertificate(der).isCA,
    };
  } catch (e) {
    return e as Error;
  }
}

describe('isCaCertificate', () => {
  it.each([
    ['30030101ff', true],
    ['30060101ff020100', true],
    ['30070101ff02020080', true],
    ['3000', false],
    ['3003010100', false],
    ['3003020105', false],
  ])('DER basicConstraints %s: every reader says %s', async (hex, ca) => {
    expect(await readings(caWith(fromHex(hex)))).toEqual({ policy: ca, outline: ca, described: ca });
    expect(isCaCertificate(parseCertificate(caWith(fromHex(hex))))).toBe(ca);
  });

  it.each([
    ['ff', 'a lone 0xff'],
    ['3003010101', 'cA TRUE as BER 0x01, which pkijs reads as TRUE'],
    ['30040101ff00', 'a truncated field'],
    ['30050101ff0500', 'a NULL after cA'],
    ['30030101ff00', 'a trailing byte'],
    ['3081030101ff', 'a non-minimal length'],
    ['30060101ff0201ff', 'a negative pathLenConstraint'],
    ['30070101ff02020001', 'a non-minimal pathLenConstraint'],
    ['3005020100010100', 'pathLenConstraint before cA'],
  ])('not DER (%s, %s): the certificate is refused, naming basicConstraints', async (hex) => {
    const result = await readings(caWith(fromHex(hex)));
    expect(result).toBeInstanceOf(CertificateError);
    expect((result as Error).message).toMatch(/basicConstraints/);
    expect(() => basicConstraintsCa(fromHex(hex))).toThrow(/^basicConstraints: /);
  });

  it('a leaf with basicConstraints cA FALSE (the RFC 6962 test certificate) is not a CA', async () => {
    const leaf = pemCert('rfc6962/test-cert.pem');
    expect(await readings(leaf)).toEqual({ policy: false, outline: false, described: false });
  });
});
