/**
 * Verifying a signed log list: Google signs `all_logs_list.json` with RSA-4096 PKCS#1 v1.5 and
 * SHA-256 (`all_logs_list.sig`, key `log_list_pubkey.pem`). A list that does not verify is refused.
 */
import type { Bytes } from '../bytes.js';
import { decodePem } from '../pem.js';

export class LogListSignatureError extends Error {
  override name = 'LogListSignatureError';
}

/** Resolves when `signature` is a valid signature of `json` by the PEM `publicKeyPem`; rejects otherwise. */
export async function verifyLogListSignature(json: Bytes, signature: Bytes, publicKeyPem: string): Promise<void> {
  const block = decodePem(publicKeyPem).find((b) => b.label === 'PUBLIC KEY');
  if (!block) throw new LogListSignatureError('log list public key: no PUBLIC KEY PEM block');
  const subtle = globalThis.crypto.subtle;
  const key = await subtle.importKey(
    'spki',
    block.der as BufferSource,
    { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256' },
    false,
    ['verify'],
  );
  const ok = await subtle.verify('RSASSA-PKCS1-v1_5', key, signature as BufferSource, json as BufferSource);
  if (!ok) throw new LogListSignatureError("log list signature does not verify with Google's log list key");
}
