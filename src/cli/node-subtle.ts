/**
 * The two WebCrypto calls the core's SignatureVerifier makes (src/crypto/verify.ts), importKey
 * of a SubjectPublicKeyInfo and verify, done by node:crypto's synchronous one-shot API for the
 * CLI. Node's WebCrypto runs every verification as a job on libuv's thread pool, so a short run
 * pays for starting and joining its threads, and its WebIDL layer runs cold once per process:
 * together a few milliseconds of a `verify` run. The checks are WebCrypto's, by OpenSSL as there:
 *
 * - ECDSA (FIPS 186-4) over P-256 with SHA-256: the key must be an EC key on P-256 (prime256v1);
 *   the signature is r ‖ s, 32 octets each (IEEE P1363, as WebCrypto takes it).
 * - RSASSA-PKCS1-v1_5 (RFC 8017 §8.2) with SHA-256: the key must be an RSA key.
 *
 * A key that is not what the algorithm names is refused (importKey rejects with a DataError, as
 * WebCrypto does); a signature that does not verify, whatever its form, is `false`.
 */
import { constants, createPublicKey, verify, type KeyObject } from 'node:crypto';

type Algorithm = 'ECDSA' | 'RSASSA-PKCS1-v1_5';

/** What importKey hands back: the key, for verify only. */
interface NodeKey {
  readonly algorithm: Algorithm;
  readonly key: KeyObject;
}

const keys = new WeakSet<object>();

class DataError extends Error {
  override name = 'DataError';
}

type ImportParams = EcKeyImportParams | RsaHashedImportParams;

const bytesOf = (b: BufferSource): Uint8Array =>
  ArrayBuffer.isView(b) ? new Uint8Array(b.buffer, b.byteOffset, b.byteLength) : new Uint8Array(b);

function importSpki(spki: BufferSource, params: ImportParams): NodeKey {
  const name = params.name as Algorithm;
  const ecdsa = name === 'ECDSA' && (params as EcKeyImportParams).namedCurve === 'P-256';
  const rsa = name === 'RSASSA-PKCS1-v1_5' && hashName((params as RsaHashedImportParams).hash) === 'SHA-256';
  if (!ecdsa && !rsa) throw new DataError(`unsupported algorithm ${JSON.stringify(params)}`);
  let key: KeyObject;
  try {
    key = createPublicKey({ key: Buffer.from(bytesOf(spki)), format: 'der', type: 'spki' });
  } catch (e) {
    throw new DataError(`not a SubjectPublicKeyInfo: ${(e as Error).message}`);
  }
  const curve = key.asymmetricKeyDetails?.namedCurve;
  if (ecdsa && (key.asymmetricKeyType !== 'ec' || curve !== 'prime256v1')) throw new DataError('not a P-256 EC key');
  if (rsa && key.asymmetricKeyType !== 'rsa') throw new DataError('not an RSA key');
  return { algorithm: name, key };
}

const hashName = (hash: AlgorithmIdentifier): string => (typeof hash === 'string' ? hash : hash.name).toUpperCase();

type VerifyParams = AlgorithmIdentifier | EcdsaParams;

function verifyWith(params: VerifyParams, handle: CryptoKey, signature: BufferSource, data: BufferSource): boolean {
  if (!keys.has(handle)) throw new TypeError('not a key from this importKey');
  const { algorithm, key } = handle as unknown as NodeKey;
  const name = typeof params === 'string' ? params : params.name;
  if (name !== algorithm) throw new TypeError(`a ${algorithm} key cannot verify ${name}`);
  if (algorithm === 'ECDSA' && hashName((params as EcdsaParams).hash) !== 'SHA-256') {
    throw new TypeError('ECDSA with SHA-256 only');
  }
  const sig = bytesOf(signature);
  if (algorithm === 'ECDSA' && sig.length !== 64) return false; // r ‖ s for P-256
  try {
    const options =
      algorithm === 'ECDSA'
        ? { key, dsaEncoding: 'ieee-p1363' as const }
        : { key, padding: constants.RSA_PKCS1_PADDING };
    return verify('sha256', bytesOf(data), options, sig);
  } catch {
    return false; // OpenSSL could not read the signature: it does not verify
  }
}

/** A SubtleCrypto for SignatureVerifier: importKey('spki', …) and verify, nothing else. */
export const nodeSubtle = {
  importKey: async (format: string, keyData: BufferSource, params: ImportParams) => {
    if (format !== 'spki') throw new DataError(`key format ${format}: spki only`);
    const handle = importSpki(keyData, params);
    keys.add(handle);
    return handle as unknown as CryptoKey;
  },
  verify: async (params: VerifyParams, key: CryptoKey, signature: BufferSource, data: BufferSource) =>
    verifyWith(params, key, signature, data),
} as unknown as SubtleCrypto;
