/**
 * What a submitted chain becomes in the log (RFC 6962 §4.1, §4.2): the signed entry (§3.2) and
 * the extra_data get-entries returns beside it (§4.6). The chain's signatures are not checked and
 * any root is accepted (get-roots lists only the log's `roots`): this is a test log.
 */
import { equalBytes, sha256, type Bytes } from '../src/bytes.js';
import { precertEntry, x509Entry, type SignedEntry } from '../src/sct/signed-data.js';
import {
  CertificateError,
  OID,
  findExtension,
  isPrecertificate,
  isPrecertificateSigningCertificate,
  parseCertificate,
  type CertificateView,
} from '../src/x509/certificate.js';
import { precertTbs } from '../src/x509/precert-tbs.js';
import { precertExtraData, x509ExtraData } from './structs.js';

/** A submission the log refuses (the HTTP front end answers 400). */
export class LogInputError extends Error {
  override name = 'LogInputError';
}

export interface Submission {
  readonly entry: SignedEntry;
  readonly extraData: Bytes;
  /** The chain as submitted, leaf (or precertificate) first: static-ct-api data tiles and issuers need it. */
  readonly chain: readonly Bytes[];
}

const MAX_CHAIN = 16;

function parseChain(chain: readonly Bytes[]): CertificateView[] {
  if (chain.length === 0) throw new LogInputError('the chain is empty');
  if (chain.length > MAX_CHAIN)
    throw new LogInputError(`the chain has ${chain.length} certificates, more than ${MAX_CHAIN}`);
  const certs = chain.map((der, i) => {
    try {
      return parseCertificate(der);
    } catch (e) {
      if (e instanceof CertificateError) throw new LogInputError(`chain[${i}]: ${e.message}`);
      throw e;
    }
  });
  certs.slice(1).forEach((issuer, i) => {
    if (!equalBytes(issuer.subject, certs[i]!.issuer))
      throw new LogInputError(`chain[${i + 1}] is not the issuer of chain[${i}] (names differ)`);
  });
  return certs;
}

/** add-chain (§4.1): an x509_entry over the whole leaf certificate. */
export function x509Submission(chain: readonly Bytes[]): Submission {
  const [leaf] = parseChain(chain);
  if (isPrecertificate(leaf!))
    throw new LogInputError('chain[0] is a precertificate (poison extension): use add-pre-chain');
  return { entry: x509Entry(chain[0]!), extraData: x509ExtraData(chain), chain };
}

/**
 * add-pre-chain (§4.2): a precert_entry whose issuer_key_hash is SHA-256 of the issuer's SPKI and
 * whose TBS is the precertificate's without the poison (§3.2). A Precertificate Signing
 * Certificate as chain[1] (§3.1) stands in for chain[2], whose key and name the entry then takes;
 * with `refusePrecertSigningCa` such a chain is refused, as static-ct-api v1.1.0 lets logs do.
 */
export function precertSubmission(
  chain: readonly Bytes[],
  { refusePrecertSigningCa = false }: { readonly refusePrecertSigningCa?: boolean } = {},
): Submission {
  const certs = parseChain(chain);
  const [leaf, issuer] = certs;
  const poison = findExtension(leaf!, OID.PRECERT_POISON);
  if (!poison) throw new LogInputError('chain[0] has no poison extension: not a precertificate (§3.1)');
  if (!poison.critical) throw new LogInputError('chain[0]: the poison extension must be critical (§3.1)');
  if (!issuer) throw new LogInputError('add-pre-chain needs the issuer after the precertificate');
  if (isPrecertificateSigningCertificate(issuer)) {
    if (refusePrecertSigningCa) {
      throw new LogInputError(
        'chain[1] is a Precertificate Signing Certificate (RFC 6962 §3.1): this log refuses precertificates issued ' +
          'through one (static-ct-api v1.1.0, "Submission APIs": the log MAY reject them); submit the precertificate ' +
          'signed by the CA itself',
      );
    }
    const finalIssuer = certs[2];
    if (!finalIssuer)
      throw new LogInputError('chain[1] is a Precertificate Signing Certificate: its issuer must follow');
    return {
      entry: precertEntry(sha256(finalIssuer.spki), precertTbs(leaf!, { precertSigner: issuer })),
      extraData: precertExtraData(chain),
      chain,
    };
  }
  return { entry: precertEntry(sha256(issuer.spki), precertTbs(leaf!)), extraData: precertExtraData(chain), chain };
}
