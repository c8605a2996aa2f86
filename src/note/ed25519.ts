/**
 * Ed25519 verification (RFC 8032 §5.1.7) for note signatures and cosignatures. WebCrypto's Ed25519
 * (Node 20, Firefox ≥ 129, Chromium ≥ 137) verifies 6 to 12× faster than @noble/curves here
 * (`npm run bench`, scripts/bench-cosignature.ts: ~5,000 vs 400–800 a second); where WebCrypto
 * lacks it, noble verifies instead, with strict RFC 8032 decoding (not ZIP-215). Imported keys
 * are cached.
 */
import { ed25519 } from '@noble/curves/ed25519.js';
import { toBase64, type Bytes } from '../bytes.js';

const ALGORITHM = { name: 'Ed25519' } as const;

export class Ed25519Verifier {
  private readonly keys = new Map<string, Promise<CryptoKey | undefined>>();
  /** `subtle` null: @noble/curves only (as where WebCrypto lacks Ed25519). */
  constructor(private readonly subtle: SubtleCrypto | null = globalThis.crypto?.subtle ?? null) {}

  /** Whether `signature` (64 bytes) over `message` verifies with the 32-byte public key. Never throws. */
  async verify(publicKey: Bytes, signature: Bytes, message: Bytes): Promise<boolean> {
    if (publicKey.length !== 32 || signature.length !== 64) return false;
    const key = await this.key(publicKey);
    if (!key) return this.fallback(publicKey, signature, message);
    try {
      return await this.subtle!.verify(ALGORITHM, key, signature as BufferSource, message as BufferSource);
    } catch {
      return this.fallback(publicKey, signature, message);
    }
  }

  /** The WebCrypto key, or undefined when WebCrypto has no Ed25519 (or refuses this key). */
  private key(publicKey: Bytes): Promise<CryptoKey | undefined> {
    const id = toBase64(publicKey);
    let key = this.keys.get(id);
    if (!key) {
      const subtle = this.subtle;
      key = subtle
        ? subtle.importKey('raw', publicKey as BufferSource, ALGORITHM, false, ['verify']).catch(() => undefined)
        : Promise.resolve(undefined);
      this.keys.set(id, key);
    }
    return key;
  }

  private fallback(publicKey: Bytes, signature: Bytes, message: Bytes): boolean {
    try {
      return ed25519.verify(signature, message, publicKey, { zip215: false });
    } catch {
      return false;
    }
  }
}
