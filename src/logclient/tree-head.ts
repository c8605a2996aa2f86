/** Signed tree heads (RFC 6962 §3.5) and their signature check. */
import { concatBytes, toBase64, type Bytes } from '../bytes.js';
import { logSignatureAlgorithm } from '../crypto/log-signature-algorithm.js';
import type { SignatureVerifier } from '../crypto/verify.js';
import type { LogInfo } from '../loglist/schema.js';
import { TlsDecodeError, TlsReader, encodeUint } from '../tls.js';

export interface SignedTreeHead {
  readonly logId: string;
  readonly treeSize: number;
  /** ms. */
  readonly timestamp: number;
  readonly rootHash: Bytes;
  /**
   * RFC 6962: the TLS DigitallySigned bytes (hash, signature algorithm, u16 length, signature).
   * RFC 9162: the bare §4.10 signature (DER ECDSA-Sig-Value), verified over TreeHeadDataV2.
   */
  readonly signature: Bytes;
  /** RFC 9162 heads only: the whole signed_tree_head_v2 TransItem, which re-verifies on its own (evidence). */
  readonly transItemV2?: Bytes;
}

export class TreeHeadError extends Error {
  override name = 'TreeHeadError';
}

/**
 * RFC 6962 §3.5: digitally-signed struct { Version version (v1 = 0); SignatureType signature_type
 * = tree_hash (1); uint64 timestamp; uint64 tree_size; opaque sha256_root_hash[32]; }.
 */
export const treeHeadSignedData = (head: Pick<SignedTreeHead, 'timestamp' | 'treeSize' | 'rootHash'>): Bytes =>
  concatBytes(Uint8Array.of(0, 1), encodeUint(head.timestamp, 8), encodeUint(head.treeSize, 8), head.rootHash);

/** Verifies the tree head's signature with the log's key. Throws TreeHeadError naming what failed. */
export async function verifyTreeHead(head: SignedTreeHead, log: LogInfo, verifier: SignatureVerifier): Promise<void> {
  if (head.rootHash.length !== 32) throw new TreeHeadError(`root hash is ${head.rootHash.length} bytes, expected 32`);
  let hash: number;
  let algorithm: number;
  let signature: Bytes;
  try {
    const r = new TlsReader(head.signature);
    hash = r.u8('hash algorithm');
    algorithm = r.u8('signature algorithm');
    signature = r.vector(2, 'signature');
    r.end('tree head signature');
  } catch (e) {
    if (e instanceof TlsDecodeError) throw new TreeHeadError(`tree head signature is malformed: ${e.message}`);
    throw e;
  }
  const key = logSignatureAlgorithm(hash, algorithm, log.key);
  if (typeof key !== 'string') throw new TreeHeadError(`tree head signature: ${key.problem}`);
  const outcome = await verifier.verify(log.key, key, signature, treeHeadSignedData(head));
  if (!outcome.ok)
    throw new TreeHeadError(
      `tree head signature does not verify: ${outcome.reason} (size ${head.treeSize}, root ${toBase64(head.rootHash)})`,
    );
}
