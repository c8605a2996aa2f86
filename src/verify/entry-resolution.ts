/**
 * The entry an SCT signed (RFC 6962 §3.2), rebuilt from the certificates given, and whether those
 * certificates issued the leaf at all (issuer-check.ts): a wrong chain is `wrong-issuer`, not
 * `invalid-signature`, and the note says where the certificate came from (an option such as the
 * CLI's `--issuer`, or the chain after the leaf). An issuer whose subject is not the leaf's issuer
 * name is wrong at once (nothing is checked against it); the rest (its signature on the leaf, the
 * key identifiers, the certificate after a precertificate signing CA) is asked only when an SCT
 * over the entry failed.
 */
import { sha256 } from '../bytes.js';
import type { SignatureVerifier } from '../crypto/verify.js';
import { precertEntry, x509Entry, type SignedEntry } from '../sct/signed-data.js';
import { isPrecertificate, isPrecertificateSigningCertificate, type CertificateView } from '../x509/certificate.js';
import { precertTbs } from '../x509/precert-tbs.js';
import { nameMismatch, whyNotIssuedBy } from './issuer-check.js';

export type EntryResolution = ({ readonly entry: SignedEntry } | { readonly missing: string }) & {
  /**
   * Why a certificate the entry depends on did not issue the one before it (a sentence naming
   * where it came from), or undefined when nothing shows that. Checked on the first call, once.
   */
  readonly wrongIssuer: () => Promise<string | undefined>;
};

export interface ResolutionContext {
  readonly verifier: SignatureVerifier;
  /** How the certificates after the leaf were given: an option's name; absent, in the chain. */
  readonly issuerGivenBy?: string;
  /** The verification's notes: a wrong issuer is noted once. */
  readonly notes: string[];
}

/** The certificate at `position` (1-based after the leaf) issued `cert`, as far as the entry depends on it. */
interface IssuerLink {
  readonly cert: CertificateView;
  readonly issuer: CertificateView;
  readonly position: number;
}

const noIssuer = async (): Promise<undefined> => undefined;

/** x509_entry (§3.2): the whole leaf; no issuer is involved. */
export const x509Resolution = (leaf: CertificateView): EntryResolution => ({
  entry: x509Entry(leaf.der),
  wrongIssuer: noIssuer,
});

/**
 * precert_entry (RFC 6962 §3.2): issuer_key_hash is SHA-256 of the final issuer's SPKI. When the
 * issuer is a Precertificate Signing Certificate (only possible for a precertificate), the final
 * issuer is the next certificate and the TBS takes its name and key identifier (§3.1).
 * Throws CertificateError when the issuer's extendedKeyUsage is not DER.
 */
export function precertResolution(
  leaf: CertificateView,
  chain: readonly CertificateView[],
  context: ResolutionContext,
): EntryResolution {
  const issuer = chain[0];
  if (!issuer) {
    return { missing: 'the issuer certificate is needed to check a precert_entry SCT', wrongIssuer: noIssuer };
  }
  const names = nameMismatch(leaf, issuer);
  if (names) {
    const sentence = noted(1, names, context);
    return { missing: sentence, wrongIssuer: async () => sentence };
  }
  const first: IssuerLink = { cert: leaf, issuer, position: 1 };
  if (isPrecertificate(leaf) && isPrecertificateSigningCertificate(issuer)) {
    const finalIssuer = chain[1];
    const links = finalIssuer ? [first, { cert: issuer, issuer: finalIssuer, position: 2 }] : [first];
    const wrongIssuer = diagnosis(links, context);
    if (!finalIssuer) {
      return { missing: "the precertificate signing certificate's issuer is needed (RFC 6962 §3.1)", wrongIssuer };
    }
    return { entry: precertEntry(sha256(finalIssuer.spki), precertTbs(leaf, { precertSigner: issuer })), wrongIssuer };
  }
  return { entry: precertEntry(sha256(issuer.spki), precertTbs(leaf)), wrongIssuer: diagnosis([first], context) };
}

function diagnosis(links: readonly IssuerLink[], context: ResolutionContext): () => Promise<string | undefined> {
  let answer: Promise<string | undefined> | undefined;
  const check = async (): Promise<string | undefined> => {
    for (const { cert, issuer, position } of links) {
      const why = await whyNotIssuedBy(cert, issuer, context.verifier);
      if (why) return noted(position, why, context);
    }
    return undefined;
  };
  return () => (answer ??= check());
}

/** The sentence saying which given certificate did not issue which, and why; noted once. */
function noted(position: number, why: string, context: ResolutionContext): string {
  const issued = position === 1 ? 'this certificate' : 'the precertificate signing certificate before it';
  const sentence = `${givenAs(position, context.issuerGivenBy)} did not issue ${issued}: ${why}`;
  context.notes.push(
    `${sentence}; SCTs over a precert_entry built from it are wrong-issuer, neither valid nor invalid`,
  );
  return sentence;
}

const ORDINALS = ['first', 'second', 'third'];

/** "the chain's second certificate", "the certificate given with --issuer", … */
function givenAs(position: number, givenBy: string | undefined): string {
  if (!givenBy) return `the chain's ${ORDINALS[position] ?? `#${position + 1}`} certificate`;
  if (position === 1) return `the certificate given with ${givenBy}`;
  return `the ${ORDINALS[position - 1] ?? `#${position}`} certificate given with ${givenBy}`;
}
