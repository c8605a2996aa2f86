/**
 * What a caIssuers URL answers (RFC 5280 §4.2.2.1): "either a single DER encoded certificate
 * [RFC 2585] or a collection of certificates in a BER or DER encoded 'certs-only' CMS message
 * [RFC 2797]", i.e. a ContentInfo holding SignedData (RFC 5652 §3, §5.1) whose certificates field
 * carries them. Some CAs serve PEM instead; it is read too. Each certificate must itself be DER
 * (its signature covers its DER bytes); which of them issued the leaf is for the signature check.
 */
import * as asn1js from 'asn1js';
import * as pkijs from 'pkijs';
import type { Bytes } from '../bytes.js';
import { DerError, TAG, children, expectElement } from '../der/element.js';
import { certificatesFromPem, looksLikePem, PemError } from '../pem.js';
import { CertificateError, parseCertificate } from '../x509/certificate.js';

/** Certificates read at most from one answer. */
const MAX_CERTIFICATES = 10;

export class IssuerResponseError extends Error {
  override name = 'IssuerResponseError';
}

/** The DER certificates in an answer. Throws IssuerResponseError saying what the answer is not. */
export function certificatesFromIssuerResponse(body: Bytes): Bytes[] {
  if (body.length === 0) throw new IssuerResponseError('the answer is empty');
  if (looksLikePem(body)) return fromPem(body);
  if (isDerCertificate(body)) return parsable([body], 'the answer');
  return fromCms(body);
}

function fromPem(body: Bytes): Bytes[] {
  let certificates: Bytes[];
  try {
    certificates = certificatesFromPem(new TextDecoder().decode(body));
  } catch (e) {
    if (e instanceof PemError) throw new IssuerResponseError(`the PEM answer is damaged: ${e.message}`);
    throw e;
  }
  if (certificates.length === 0) throw new IssuerResponseError('the PEM answer holds no CERTIFICATE block');
  return parsable(certificates, 'PEM certificate');
}

/** A DER SEQUENCE whose first field is a SEQUENCE (a TBSCertificate), not an OID (a ContentInfo). */
function isDerCertificate(body: Bytes): boolean {
  try {
    const outer = expectElement(body, 0, body.length, TAG.SEQUENCE, 'answer');
    return children(body, outer, 'answer')[0]?.tag === TAG.SEQUENCE;
  } catch (e) {
    if (e instanceof DerError) return false; // BER (a CMS message may be), or not ASN.1 at all
    throw e;
  }
}

function fromCms(body: Bytes): Bytes[] {
  const parsed = asn1js.fromBER(body);
  if (parsed.offset === -1)
    throw new IssuerResponseError(`the answer is neither a certificate nor a CMS message: ${parsed.result.error}`);
  if (parsed.offset !== body.length)
    throw new IssuerResponseError(`the answer has ${body.length - parsed.offset} bytes after its ASN.1 value`);
  let info: pkijs.ContentInfo;
  let signed: pkijs.SignedData;
  try {
    info = new pkijs.ContentInfo({ schema: parsed.result });
    if (info.contentType !== pkijs.ContentInfo.SIGNED_DATA) {
      throw new IssuerResponseError(
        `the CMS message is ${info.contentType}, not SignedData (${pkijs.ContentInfo.SIGNED_DATA})`,
      );
    }
    signed = new pkijs.SignedData({ schema: info.content });
  } catch (e) {
    if (e instanceof IssuerResponseError) throw e;
    throw new IssuerResponseError(
      `the answer is neither a certificate nor a certs-only CMS message: ${(e as Error).message}`,
    );
  }
  // The original bytes of each certificate (a re-encoding could differ from what was signed).
  const block = (info.content as asn1js.Sequence).valueBlock.value.find(
    (b) => b.idBlock.tagClass === 3 && b.idBlock.tagNumber === 0,
  );
  const items = block instanceof asn1js.Constructed ? block.valueBlock.value : [];
  const certificates = (signed.certificates ?? []).flatMap((c, i) =>
    c instanceof pkijs.Certificate && items[i] ? [items[i]!] : [],
  );
  if (certificates.length === 0) throw new IssuerResponseError('the CMS message holds no certificate');
  return parsable(
    certificates.map((b) => new Uint8Array(b.valueBeforeDecodeView)),
    'CMS certificate',
  );
}

/** The first MAX_CERTIFICATES that parse; throws with the first one's problem when none does. */
function parsable(ders: readonly Bytes[], what: string): Bytes[] {
  const problems: string[] = [];
  const good = ders.slice(0, MAX_CERTIFICATES).filter((der, i) => {
    try {
      parseCertificate(der);
      return true;
    } catch (e) {
      if (!(e instanceof CertificateError)) throw e;
      problems.push(`${ders.length === 1 ? what : `${what} ${i + 1}`} does not parse: ${e.message}`);
      return false;
    }
  });
  if (good.length === 0) throw new IssuerResponseError(problems[0] ?? `${what}: none`);
  return good;
}
