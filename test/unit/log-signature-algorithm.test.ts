/**
 * One rule for which algorithm checks a log's signature (RFC 6962 §2.1.4), for SCTs and tree heads
 * alike: SHA-256 with ECDSA P-256, or with RSA of at least 2048 bits, matching the log's key. Real
 * keys: the RFC 6962 test logs' and node:crypto keys signing real tree heads.
 */
import { generateKeyPairSync, sign } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { concatBytes, sha256 } from '../../src/bytes.js';
import { logSignatureAlgorithm } from '../../src/crypto/log-signature-algorithm.js';
import { SignatureVerifier } from '../../src/crypto/verify.js';
import { TreeHeadError, treeHeadSignedData, verifyTreeHead } from '../../src/logclient/tree-head.js';
import type { SignedTreeHead } from '../../src/logclient/tree-head.js';
import { logFromKey } from '../../src/loglist/registry.js';
import { encodeVector } from '../../src/tls.js';
import { pemKey } from '../support/fixtures.js';

const ECDSA_KEY = pemKey('rfc6962/ct-server-key-public.pem');
const RSA_KEY = pemKey('rfc6962/rsa/ct-server-key-public-rsa.pem');
const NOT_SPKI = /^the log's key is not a valid SubjectPublicKeyInfo: /;

describe('logSignatureAlgorithm', () => {
  it.each([
    [4, 3, ECDSA_KEY, 'ecdsa-p256'],
    [4, 1, RSA_KEY, 'rsa'],
    [5, 3, ECDSA_KEY, { problem: 'hash algorithm 5 is not SHA-256 (4)' }],
    [4, 1, ECDSA_KEY, { problem: "signature algorithm 1 does not match the log's ecdsa-p256 key" }],
    [4, 3, RSA_KEY, { problem: "signature algorithm 3 does not match the log's rsa key" }],
    [4, 2, ECDSA_KEY, { problem: 'signature algorithm 2 is neither ECDSA (3) nor RSA (1)' }],
    [4, 3, Uint8Array.of(0x30, 0x00), { problem: expect.stringMatching(NOT_SPKI) }],
  ])('hash %i, signature %i', (hash, signature, key, expected) => {
    expect(logSignatureAlgorithm(hash, signature, key)).toEqual(expected);
  });
});

/** A tree head signed by `privateKey` as a DigitallySigned with hash 4 and `algorithm`. */
function signedHead(privateKey: Parameters<typeof sign>[2], algorithm: number, logId: string): SignedTreeHead {
  const head = { logId, treeSize: 5, timestamp: 1_700_000_000_000, rootHash: sha256(Uint8Array.of(1)) };
  const signature = new Uint8Array(sign('sha256', treeHeadSignedData(head), privateKey));
  return { ...head, signature: concatBytes(Uint8Array.of(4, algorithm), encodeVector(signature, 2)) };
}

describe('tree heads follow the same rule as SCTs', () => {
  const verifier = new SignatureVerifier();
  const logOf = (spki: Uint8Array) => logFromKey(spki, 'test');

  it('an RSA-2048 and an ECDSA P-256 log: their tree heads verify', async () => {
    const rsa = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const ec = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    for (const [{ privateKey, publicKey }, algorithm] of [
      [rsa, 1],
      [ec, 3],
    ] as const) {
      const log = logOf(new Uint8Array(publicKey.export({ type: 'spki', format: 'der' })));
      const head = signedHead(privateKey, algorithm, log.logId);
      await expect(verifyTreeHead(head, log, verifier)).resolves.toBeUndefined();
    }
  });

  it("an RSA key of fewer than 2048 bits: the tree head is refused, as the log's SCTs are", async () => {
    const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 1024 });
    const log = logOf(new Uint8Array(publicKey.export({ type: 'spki', format: 'der' })));
    await expect(verifyTreeHead(signedHead(privateKey, 1, log.logId), log, verifier)).rejects.toThrow(
      new TreeHeadError("tree head signature: the log's RSA key has 1024 bits, fewer than 2048"),
    );
  });

  it("a log key that is not a SubjectPublicKeyInfo: a TreeHeadError naming it, not a DER parser's error", async () => {
    const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    const log = logOf(Uint8Array.of(0x30, 0x03, 0x02, 0x01, 0x00));
    const refused = verifyTreeHead(signedHead(privateKey, 3, log.logId), log, verifier);
    await expect(refused).rejects.toBeInstanceOf(TreeHeadError);
    await expect(refused).rejects.toThrow(/^tree head signature: the log's key is not a valid SubjectPublicKeyInfo: /);
  });
});
