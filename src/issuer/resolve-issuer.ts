/**
 * Finding a certificate's issuer when only the certificate was given (Chromium's webRequest
 * securityInfo holds the leaf alone, and an embedded SCT signs its issuer's key hash, RFC 6962
 * §3.2). In order:
 *   1. the issuers already held (issuer-index.ts), by key identifier or name;
 *   2. the leaf's caIssuers URLs (RFC 5280 §4.2.2.1), when fetching is allowed;
 *   3. otherwise missing, with the reasons.
 * A candidate counts only when the leaf's signature verifies with its key (certificate-signature.ts).
 */
import type { Bytes } from '../bytes.js';
import { DerError } from '../der/element.js';
import { CertificateError, parseCertificate, type CertificateView } from '../x509/certificate.js';
import { caIssuers } from './aia.js';
import { verifyCertificateSignature } from './certificate-signature.js';

interface IssuerSources {
  /** Held certificates that may have issued the leaf (IssuerIndex.candidates). */
  readonly known: (leaf: CertificateView) => readonly CertificateView[];
  /** The certificates a caIssuers URL serves; rejects with a message naming the URL. */
  readonly fetch?: (url: string) => Promise<readonly Bytes[]>;
  /** Why there is no `fetch` (a phrase), for the reason given when nothing is found. */
  readonly fetchOff?: string;
  readonly subtle?: SubtleCrypto;
}

export type IssuerResolution =
  | { readonly issuer: Bytes; readonly from: 'known' }
  | { readonly issuer: Bytes; readonly from: 'aia'; readonly url: string }
  | { readonly missing: string };

export async function resolveIssuer(leaf: CertificateView, sources: IssuerSources): Promise<IssuerResolution> {
  /** A fetched certificate that does not parse signed nothing. */
  const signedIt = async (candidate: CertificateView | Bytes): Promise<boolean> => {
    let spki: Bytes;
    try {
      spki = candidate instanceof Uint8Array ? parseCertificate(candidate).spki : candidate.spki;
    } catch (e) {
      if (e instanceof CertificateError) return false;
      throw e;
    }
    return (await verifyCertificateSignature(leaf, spki, sources.subtle)).ok;
  };
  for (const candidate of sources.known(leaf)) {
    if (await signedIt(candidate)) return { issuer: candidate.der, from: 'known' };
  }
  const none = 'no issuer ctlens holds signed this certificate';
  let urls: readonly string[];
  let skipped: readonly string[];
  try {
    ({ urls, skipped } = caIssuers(leaf));
  } catch (e) {
    if (e instanceof DerError) return { missing: `${none}, and its authorityInfoAccess is not DER (${e.message})` };
    throw e;
  }
  if (urls.length === 0) {
    const why = skipped.length
      ? `its caIssuers locations cannot be used: ${skipped.join('; ')}`
      : 'it names no caIssuers URL (RFC 5280 §4.2.2.1)';
    return { missing: `${none}, and ${why}` };
  }
  if (!sources.fetch)
    return { missing: `${none}, and fetching it from ${urls[0]} is off (${sources.fetchOff ?? 'not allowed'})` };
  const problems: string[] = [];
  for (const url of urls) {
    let certificates: readonly Bytes[];
    try {
      certificates = await sources.fetch(url);
    } catch (e) {
      problems.push((e as Error).message);
      continue;
    }
    for (const der of certificates) if (await signedIt(der)) return { issuer: der, from: 'aia', url };
    const served =
      certificates.length === 1
        ? 'the certificate it serves'
        : `none of the ${certificates.length} certificates it serves`;
    problems.push(`${url}: ${served} ${certificates.length === 1 ? 'did not sign' : 'signed'} this certificate`);
  }
  return { missing: `${none}, and its caIssuers URL did not give it: ${problems.join('; ')}` };
}
