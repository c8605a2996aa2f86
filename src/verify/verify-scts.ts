/**
 * Verifies every SCT of a certificate: the embedded list (RFC 6962 §3.3, precert_entry) and SCTs
 * delivered beside the certificate in the TLS extension or a stapled OCSP response (x509_entry, or
 * precert_entry when the certificate itself is a precertificate). The certificates after the leaf
 * serve only to rebuild the signed entry (the issuer's key and, for a precertificate signing CA,
 * its issuer): the X.509 chain itself is not validated here (the browser, or the CLI's live-host
 * check, does that).
 */
import { sha256, type Bytes } from '../bytes.js';
import { logSignatureAlgorithm } from '../crypto/log-signature-algorithm.js';
import { SignatureVerifier } from '../crypto/verify.js';
import type { LogRegistry } from '../loglist/registry.js';
import { decodeSct } from '../sct/decode.js';
import { precertEntry, signedData, x509Entry, type SignedEntry } from '../sct/signed-data.js';
import type { SctSource } from '../sct/types.js';
import {
  isPrecertificate,
  isPrecertificateSigningCertificate,
  parseCertificate,
  type CertificateView,
} from '../x509/certificate.js';
import { embeddedSctList, type EmbeddedSctList } from '../x509/embedded-scts.js';
import { precertTbs } from '../x509/precert-tbs.js';
import type { SctResult, SctStatus } from './sct-status.js';
import { SignedLeaf } from './signed-leaf.js';
import { equalBytes } from '../bytes.js';

/** An SCT delivered outside the certificate, as its TLS serialization (RFC 6962 §3.2). */
export interface DeliveredSct {
  readonly bytes: Bytes;
  readonly source: Exclude<SctSource, 'embedded'>;
  /**
   * The bytes were rebuilt from fields that omit the SCT's extensions (Chromium's DevTools), so
   * empty extensions are assumed: right for RFC 6962 logs, wrong for tiled logs, whose SCTs are
   * then `unverifiable`.
   */
  readonly extensionsUnknown?: boolean;
}

export interface VerifySctsInput {
  /** DER certificates, leaf first; chain[1] is the leaf's issuer when present. */
  readonly chain: readonly Bytes[];
  readonly delivered?: readonly DeliveredSct[];
  readonly registry: LogRegistry;
  /** Evaluation time, ms. */
  readonly at: number;
  readonly verifier?: SignatureVerifier;
}

export interface SctVerification {
  readonly leaf: CertificateView;
  readonly issuer?: CertificateView;
  readonly leafIsPrecertificate: boolean;
  readonly sctList: EmbeddedSctList;
  readonly scts: readonly SctResult[];
  readonly at: number;
  /** Problems with the chain that affect what could be checked, for people. */
  readonly notes: readonly string[];
}

const defaultVerifier = new SignatureVerifier();

/** Throws CertificateError when the leaf (or a given issuer) is not a parsable certificate. */
export async function verifyScts(input: VerifySctsInput): Promise<SctVerification> {
  const [leafDer, ...rest] = input.chain;
  if (!leafDer) throw new RangeError('verifyScts needs at least the leaf certificate');
  const leaf = parseCertificate(leafDer);
  const chain = rest.map((der) => parseCertificate(der));
  const leafIsPrecertificate = isPrecertificate(leaf);
  const notes: string[] = [];
  const precert = precertEntryFor(leaf, chain, notes);
  const verifier = input.verifier ?? defaultVerifier;

  const sctList = embeddedSctList(leaf);
  const jobs: Promise<SctResult>[] = [];
  if (sctList.status === 'ok') {
    sctList.scts.forEach((raw, i) =>
      jobs.push(checkSct(raw, 'embedded', i + 1, precert, input, verifier)),
    );
  }
  const positions: Record<string, number> = {};
  for (const delivered of input.delivered ?? []) {
    const position = (positions[delivered.source] = (positions[delivered.source] ?? 0) + 1);
    const entry: EntryResolution = leafIsPrecertificate ? precert : { entry: x509Entry(leaf.der) };
    jobs.push(checkSct(delivered.bytes, delivered.source, position, entry, input, verifier, delivered.extensionsUnknown));
  }
  return {
    leaf,
    issuer: chain[0],
    leafIsPrecertificate,
    sctList,
    scts: await Promise.all(jobs),
    at: input.at,
    notes,
  };
}

/** The signed entry, or why it cannot be built. */
type EntryResolution = { entry: SignedEntry } | { missing: string };

/**
 * precert_entry (RFC 6962 §3.2): issuer_key_hash is SHA-256 of the final issuer's SPKI. When the
 * issuer is a Precertificate Signing Certificate (only possible for a precertificate), the final
 * issuer is the next certificate and the TBS takes its name and key identifier (§3.1).
 */
function precertEntryFor(leaf: CertificateView, chain: readonly CertificateView[], notes: string[]): EntryResolution {
  const issuer = chain[0];
  if (!issuer) return { missing: 'the issuer certificate is needed to check a precert_entry SCT' };
  if (!equalBytes(issuer.subject, leaf.issuer)) {
    notes.push("the second certificate is not the leaf's issuer (its subject differs from the leaf's issuer name)");
    return { missing: "the certificate given as issuer did not issue this certificate (names differ)" };
  }
  if (isPrecertificate(leaf) && isPrecertificateSigningCertificate(issuer)) {
    const finalIssuer = chain[1];
    if (!finalIssuer) return { missing: 'the precertificate signing certificate\'s issuer is needed (RFC 6962 §3.1)' };
    return { entry: precertEntry(sha256(finalIssuer.spki), precertTbs(leaf, { precertSigner: issuer })) };
  }
  return { entry: precertEntry(sha256(issuer.spki), precertTbs(leaf)) };
}

async function checkSct(
  raw: Bytes,
  source: SctSource,
  position: number,
  entry: EntryResolution,
  input: VerifySctsInput,
  verifier: SignatureVerifier,
  extensionsUnknown = false,
): Promise<SctResult> {
  const sct = decodeSct(raw);
  const base = { source, position, sct } as const;
  if (sct.kind === 'malformed') return { ...base, status: 'malformed', detail: sct.error };
  if (sct.kind === 'unsupported-version') {
    return { ...base, status: 'unsupported-version', detail: `SCT version ${sct.version + 1} (byte ${sct.version}); only v1 is defined` };
  }
  const log = input.registry.get(sct.logId);
  const entryType = 'entry' in entry ? entry.entry.type : 'precert_entry';
  const result = (status: SctStatus, detail?: string): SctResult => ({ ...base, status, detail, entryType, log });
  if (!log) return result('unknown-log', 'no log with this id is in the log lists in use');
  const algorithm = logSignatureAlgorithm(sct.hashAlgorithm, sct.signatureAlgorithm, log.key);
  if (typeof algorithm !== 'string') return result('unsupported-algorithm', algorithm.problem);
  if (!('entry' in entry)) return result('missing-issuer', entry.missing);
  if (extensionsUnknown && log.type === 'tiled') {
    return result('unverifiable', "the browser does not expose this SCT's extensions, which a tiled log signs (leaf_index)");
  }
  const outcome = await verifier.verify(log.key, algorithm, sct.signature, signedData(sct, entry.entry));
  if (!outcome.ok) return result('invalid-signature', outcome.reason);
  const leaf = new SignedLeaf(sct, entry.entry);
  if (sct.timestamp > input.at) {
    const when = new Date(sct.timestamp).toISOString();
    return { ...result('future-timestamp', `timestamp ${when} is after the evaluation time`), leaf };
  }
  return { ...result('valid'), leaf };
}
