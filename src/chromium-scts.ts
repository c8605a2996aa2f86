/**
 * SCTs as Chromium's DevTools protocol reports them (Network.SignedCertificateTimestamp in a
 * response's securityDetails): hex log id and signature, ms timestamp, algorithm names, and
 * Chrome's own status; no SCT extensions. This rebuilds the RFC 6962 §3.2 serialization with
 * empty extensions so the core can check the signature itself.
 */
import { concatBytes, fromHex, type Bytes } from './bytes.js';
import { encodeUint, encodeVector } from './tls.js';
import type { DeliveredSct } from './verify/verify-scts.js';

export interface DevToolsSct {
  readonly status: string;
  readonly origin: string;
  readonly logDescription: string;
  /** Hex. */
  readonly logId: string;
  /** Milliseconds since the epoch. */
  readonly timestamp: number;
  readonly hashAlgorithm: string;
  readonly signatureAlgorithm: string;
  /** Hex of the signature as in the SCT (DER for ECDSA). */
  readonly signatureData: string;
}

export type DevToolsOrigin = 'embedded' | 'tls-extension' | 'ocsp';

/** net::ct::OriginToString: "Embedded in certificate", "TLS extension", "OCSP". */
export function devToolsOrigin(origin: string): DevToolsOrigin | undefined {
  if (/embedded/i.test(origin)) return 'embedded';
  if (/tls/i.test(origin)) return 'tls-extension';
  if (/ocsp/i.test(origin)) return 'ocsp';
  return undefined;
}

const HASHES: Record<string, number> = {
  'SHA-256': 4,
  SHA256: 4,
  'SHA-384': 5,
  'SHA-512': 6,
  'SHA-1': 2,
  MD5: 1,
  NONE: 0,
};
const SIGNATURES: Record<string, number> = { RSA: 1, DSA: 2, ECDSA: 3, ANONYMOUS: 0 };

/**
 * The SCTs Chromium received outside the certificate (TLS extension, OCSP), rebuilt as
 * DeliveredSct. Embedded ones are skipped: ctlens reads those from the certificate itself.
 * An SCT whose fields cannot be encoded becomes an undecodable one-byte SCT, reported malformed.
 */
export function deliveredFromDevTools(scts: readonly DevToolsSct[]): DeliveredSct[] {
  const out: DeliveredSct[] = [];
  for (const sct of scts) {
    const source = devToolsOrigin(sct.origin);
    if (source === undefined || source === 'embedded') continue;
    out.push({ bytes: encodeDevToolsSct(sct), source, extensionsUnknown: true });
  }
  return out;
}

function encodeDevToolsSct(sct: DevToolsSct): Bytes {
  try {
    const logId = fromHex(sct.logId);
    const hash = HASHES[sct.hashAlgorithm.toUpperCase()];
    const signature = SIGNATURES[sct.signatureAlgorithm.toUpperCase()];
    if (logId.length !== 32 || hash === undefined || signature === undefined) throw new Error('unencodable');
    if (!Number.isSafeInteger(sct.timestamp) || sct.timestamp < 0) throw new Error('bad timestamp');
    return concatBytes(
      Uint8Array.of(0), // v1
      logId,
      encodeUint(sct.timestamp, 8),
      encodeVector(new Uint8Array(0), 2), // extensions: not exposed, assumed empty
      Uint8Array.of(hash, signature),
      encodeVector(fromHex(sct.signatureData), 2),
    );
  } catch {
    return Uint8Array.of(0); // decodes as malformed: "needs 32 bytes"
  }
}
