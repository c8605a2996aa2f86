/**
 * Google's "mimic" CT logs: two logs served only in the frozen log list Google gives third-party
 * CT-enforcing libraries (GoogleChrome/CertificateTransparency 3p_libraries.md). Google publishes
 * their private keys on purpose, so anyone can sign an SCT with them and such an SCT proves nothing
 * (data/PROVENANCE.md). A log is a mimic when its log id or its key is a mimic's: an entry restating
 * a mimic key under another id, or the same P-256 point in another encoding, or its negation (whose
 * private key n − d is as public), is still a mimic.
 */
import { sha256, toBase64, toHex, type Bytes } from '../bytes.js';
import { DerError, TAG, children, content, decodeOid, expectElement } from '../der/element.js';
import { decodePem } from '../pem.js';
import type { LogInfo } from './schema.js';
import mimic1Pem from './data/mimic1.pub.pem?raw';
import mimic2Pem from './data/mimic2.pub.pem?raw';

interface MimicKey {
  readonly name: string;
  /** base64 log id: SHA-256 of the SPKI DER (RFC 6962 §3.2). */
  readonly logId: string;
  /** hex of the point's X coordinate (SEC 1 §2.3.3), which the point and its negation share. */
  readonly x: string;
}

let keys: readonly MimicKey[] | undefined;

/** The bundled mimic keys, read once. */
function mimicKeys(): readonly MimicKey[] {
  keys ??= [
    ['mimic1', mimic1Pem],
    ['mimic2', mimic2Pem],
  ].map(([name, pem]) => {
    const der = decodePem(pem!).find((b) => b.label === 'PUBLIC KEY')!.der;
    return { name: name!, logId: toBase64(sha256(der)), x: p256X(der)! };
  });
  return keys;
}

const EC_PUBLIC_KEY = '1.2.840.10045.2.1'; // RFC 5480 §2.1.1
const P256 = '1.2.840.10045.3.1.7'; // RFC 5480 §2.1.1.1 secp256r1

/**
 * The hex X coordinate of a P-256 SubjectPublicKeyInfo (RFC 5480 §2: BIT STRING with no unused
 * bits holding 02|03 X (compressed), 04|06|07 X Y (uncompressed, hybrid); SEC 1 §2.3.3), or
 * undefined for any other key or bytes that are not such an SPKI. Never throws.
 */
function p256X(spki: Bytes): string | undefined {
  try {
    const outer = expectElement(spki, 0, spki.length, TAG.SEQUENCE, 'SubjectPublicKeyInfo');
    const [algorithm, key] = children(spki, outer, 'SubjectPublicKeyInfo');
    if (algorithm?.tag !== TAG.SEQUENCE || key?.tag !== TAG.BIT_STRING) return undefined;
    const [oid, curve] = children(spki, algorithm, 'AlgorithmIdentifier');
    if (oid?.tag !== TAG.OID || decodeOid(content(spki, oid)) !== EC_PUBLIC_KEY) return undefined;
    if (curve?.tag !== TAG.OID || decodeOid(content(spki, curve)) !== P256) return undefined;
    const bits = content(spki, key);
    const form = bits[1];
    const length = form === 2 || form === 3 ? 34 : form === 4 || form === 6 || form === 7 ? 66 : 0;
    if (bits[0] !== 0 || bits.length !== length) return undefined;
    return toHex(bits.subarray(2, 34));
  } catch (e) {
    if (e instanceof DerError) return undefined;
    throw e;
  }
}

/**
 * Which mimic `log` is ('mimic1', 'mimic2'), or undefined when it is none: by its log id, and by
 * its key's P-256 point. The point covers the key's hash (the mimic's own SPKI bytes hash to its
 * log id and hold its point), so a mimic key under another id is caught, and so is any other
 * encoding of the point or its negation, which hash to other ids.
 */
export function mimicName(log: Pick<LogInfo, 'logId' | 'key'>): string | undefined {
  const x = p256X(log.key);
  return mimicKeys().find((m) => m.logId === log.logId || (x !== undefined && m.x === x))?.name;
}

/** The logs of `logs` that are mimics, for refusing a list that holds any (fetch.ts) and for listing them. */
export const mimicLogsIn = <T extends Pick<LogInfo, 'logId' | 'key'>>(logs: readonly T[]): T[] =>
  logs.filter((log) => mimicName(log) !== undefined);

/** A mimic log's entry for people, naming which mimic it is. */
export const describeMimic = (log: LogInfo): string =>
  `${log.description} (log id ${log.logId}, Google's ${mimicName(log) ?? 'mimic'})`;
