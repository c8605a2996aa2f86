/**
 * Signature verification for RFC 6962 §2.1.4 log signatures: ECDSA P-256 with SHA-256 and
 * RSASSA-PKCS1-v1_5 with SHA-256, through WebCrypto (~20× faster than pure-JS P-256 here).
 * Imported keys are cached by their SPKI bytes.
 */
import { toBase64, type Bytes } from '../bytes.js';
import { DerError } from '../der/element.js';
import { ecdsaDerToRaw } from './ecdsa-signature.js';

export type KeyAlgorithm = 'ecdsa-p256' | 'rsa';

export type VerifyOutcome = { readonly ok: true } | { readonly ok: false; readonly reason: string };

const IMPORT: Record<KeyAlgorithm, EcKeyImportParams | RsaHashedImportParams> = {
  'ecdsa-p256': { name: 'ECDSA', namedCurve: 'P-256' },
  rsa: { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256' },
};
const VERIFY: Record<KeyAlgorithm, EcdsaParams | AlgorithmIdentifier> = {
  'ecdsa-p256': { name: 'ECDSA', hash: 'SHA-256' },
  rsa: { name: 'RSASSA-PKCS1-v1_5' },
};

export class SignatureVerifier {
  private readonly keys = new Map<string, Promise<CryptoKey>>();
  constructor(private readonly subtle: SubtleCrypto = globalThis.crypto.subtle) {}

  /** Imports (once) and returns the key. Rejects when WebCrypto refuses the SPKI. */
  key(spki: Bytes, algorithm: KeyAlgorithm): Promise<CryptoKey> {
    const id = `${algorithm}:${toBase64(spki)}`;
    let key = this.keys.get(id);
    if (!key) {
      key = this.subtle.importKey('spki', spki as BufferSource, IMPORT[algorithm], false, ['verify']);
      key.catch(() => this.keys.delete(id));
      this.keys.set(id, key);
    }
    return key;
  }

  /**
   * Verifies `signature` (DER ECDSA-Sig-Value for ECDSA, the raw PKCS#1 v1.5 signature for RSA)
   * over `data`. Never throws for bad signatures: the outcome says why it failed.
   */
  async verify(spki: Bytes, algorithm: KeyAlgorithm, signature: Bytes, data: Bytes): Promise<VerifyOutcome> {
    let sig: Bytes = signature;
    if (algorithm === 'ecdsa-p256') {
      try {
        sig = ecdsaDerToRaw(signature);
      } catch (e) {
        if (e instanceof DerError) return { ok: false, reason: `signature is not a DER ECDSA-Sig-Value: ${e.message}` };
        throw e;
      }
    }
    let key: CryptoKey;
    try {
      key = await this.key(spki, algorithm);
    } catch (e) {
      return { ok: false, reason: `log key could not be imported: ${(e as Error).message}` };
    }
    const ok = await this.subtle.verify(VERIFY[algorithm], key, sig as BufferSource, data as BufferSource);
    return ok ? { ok: true } : { ok: false, reason: 'signature does not verify with the log key' };
  }
}
