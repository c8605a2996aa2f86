/**
 * Verifies every SCT of a certificate: the embedded list (RFC 6962 §3.3, precert_entry) and SCTs
 * delivered beside the certificate in the TLS extension or a stapled OCSP response (x509_entry, or
 * precert_entry when the certificate itself is a precertificate). The certificates after the leaf
 * serve only to rebuild the signed entry (the issuer's key and, for a precertificate signing CA,
 * its issuer): the X.509 chain itself is not validated here (the browser, or the CLI's live-host
 * check, does that).
 */
import type { Bytes } from '../bytes.js';
import { logSignatureAlgorithm } from '../crypto/log-signature-algorithm.js';
import { SignatureVerifier } from '../crypto/verify.js';
import type { LogRegistry } from '../loglist/registry.js';
import { decodeSct } from '../sct/decode.js';
import { signedData } from '../sct/signed-data.js';
import type { SctSource } from '../sct/types.js';
import { isPrecertificate, parseCertificate, type CertificateView } from '../x509/certificate.js';
import { embeddedSctList, type EmbeddedSctList } from '../x509/embedded-scts.js';
import { precertResolution, x509Resolution, type EntryResolution } from './entry-resolution.js';
import type { SctResult, SctStatus } from './sct-status.js';
import { SignedLeaf } from './signed-leaf.js';

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
  /**
   * How chain[1..] was given, for the notes: an option's name (the CLI's `--issuer`); absent, the
   * certificates followed the leaf in the chain.
   */
  readonly issuerGivenBy?: string;
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
  const verifier = input.verifier ?? defaultVerifier;
  const precert = precertResolution(leaf, chain, { verifier, issuerGivenBy: input.issuerGivenBy, notes });

  const sctList = embeddedSctList(leaf);
  const jobs: Promise<Checked>[] = [];
  const check = async (over: EntryResolution, sct: Promise<SctResult>): Promise<Checked> => ({
    over,
    result: await sct,
  });
  if (sctList.status === 'ok') {
    sctList.scts.forEach((raw, i) => {
      jobs.push(check(precert, checkSct(raw, 'embedded', i + 1, precert, input, verifier)));
    });
  }
  const positions: Record<string, number> = {};
  let x509: EntryResolution | undefined; // one copy of the leaf for every delivered SCT, and none without them
  for (const delivered of input.delivered ?? []) {
    const position = (positions[delivered.source] = (positions[delivered.source] ?? 0) + 1);
    const entry = leafIsPrecertificate ? precert : (x509 ??= x509Resolution(leaf));
    const unknown = delivered.extensionsUnknown;
    jobs.push(check(entry, checkSct(delivered.bytes, delivered.source, position, entry, input, verifier, unknown)));
  }
  const checked = await Promise.all(jobs);
  const scts = await Promise.all(checked.map((c) => settle(c, checked)));
  return { leaf, issuer: chain[0], leafIsPrecertificate, sctList, scts, at: input.at, notes };
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
    return {
      ...base,
      status: 'unsupported-version',
      detail: `SCT version ${sct.version + 1} (byte ${sct.version}); only v1 is defined`,
    };
  }
  const log = input.registry.get(sct.logId);
  const entryType = 'entry' in entry ? entry.entry.type : 'precert_entry';
  const result = (status: SctStatus, detail?: string): SctResult => ({ ...base, status, detail, entryType, log });
  if (!log) return result('unknown-log', 'no log with this id is in the log lists in use');
  const algorithm = logSignatureAlgorithm(sct.hashAlgorithm, sct.signatureAlgorithm, log.key);
  if (typeof algorithm !== 'string') return result('unsupported-algorithm', algorithm.problem);
  if (!('entry' in entry)) return result('missing-issuer', entry.missing);
  if (extensionsUnknown && log.type === 'tiled') {
    return result(
      'unverifiable',
      "the browser does not expose this SCT's extensions, which a tiled log signs (leaf_index)",
    );
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

/** An SCT's result, with the entry it was checked over. */
interface Checked {
  readonly result: SctResult;
  readonly over: EntryResolution;
}

/**
 * An SCT that failed over an entry rebuilt from the certificates given, or that lacks one of them,
 * is `wrong-issuer` when a given certificate did not issue the one before it (entry-resolution.ts)
 * and no SCT over the same entry verified: one that did proves the log was given this very entry.
 */
async function settle({ result, over }: Checked, all: readonly Checked[]): Promise<SctResult> {
  if (result.status !== 'invalid-signature' && result.status !== 'missing-issuer') return result;
  if (all.some((c) => c.over === over && c.result.leaf)) return result;
  const wrong = await over.wrongIssuer();
  if (!wrong) return result;
  return { ...result, status: 'wrong-issuer', detail: `${wrong}; without its real issuer this SCT cannot be checked` };
}
