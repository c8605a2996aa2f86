/**
 * `ctlens verify <leaf> --fetch-issuer` (off by default): a leaf given without its issuer gets it
 * from the caIssuers URL it names (RFC 5280 §4.2.2.1), by the extension's own resolution
 * (src/issuer/resolve-issuer.ts): fetched with a time and size limit, no credentials, and taken
 * only when the leaf's signature verifies with its key. Loaded only with the option (it brings pkijs,
 * for a certs-only CMS answer). The request tells the CA's server only that someone looks at a
 * certificate from that CA.
 */
import type { Bytes } from '../bytes.js';
import { fetchIssuerCertificates, type Fetch } from '../issuer/fetch-issuer.js';
import { resolveIssuer } from '../issuer/resolve-issuer.js';
import { CertificateError, parseCertificate } from '../x509/certificate.js';

/** The chain to check, and the note saying where its issuer came from or why there is none. */
export async function withFetchedIssuer(
  leafDer: Bytes,
  fetch: Fetch = globalThis.fetch,
): Promise<{ chain: Bytes[]; notes: string[] }> {
  let leaf: ReturnType<typeof parseCertificate>;
  try {
    leaf = parseCertificate(leafDer);
  } catch (e) {
    if (e instanceof CertificateError) return { chain: [leafDer], notes: [] }; // verify reports what is wrong with it
    throw e;
  }
  const found = await resolveIssuer(leaf, { known: () => [], fetch: (url) => fetchIssuerCertificates(url, fetch) });
  if ('missing' in found)
    return { chain: [leafDer], notes: [`--fetch-issuer: the issuer was not found: ${found.missing}`] };
  const url = found.from === 'aia' ? found.url : '';
  return {
    chain: [leafDer, found.issuer],
    notes: [
      `--fetch-issuer: the issuer certificate was fetched from ${url}, the caIssuers URL the certificate names; ` +
        'its signature on the certificate verifies',
    ],
  };
}
