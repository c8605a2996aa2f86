/**
 * Cosignature figures for `npm run bench`: Ed25519 cosignature/v1 verification through WebCrypto
 * (what src/note/ed25519.ts uses where the platform has it) and through @noble/curves (its
 * fallback), and ML-DSA-44 subtree/v1 verification (@noble/post-quantum), over a real cosigned
 * checkpoint made here with node:crypto. The figures chose WebCrypto for Ed25519.
 */
import { generateKeyPairSync, sign } from 'node:crypto';
import { ml_dsa44 } from '@noble/post-quantum/ml-dsa.js';
import { Ed25519Verifier } from '../src/note/ed25519.js';
import { verifyMlDsa44 } from '../src/note/ml-dsa.js';

export interface CosignatureFigures {
  ed25519WebCryptoPerSecond: number;
  ed25519NoblePerSecond: number;
  mlDsa44PerSecond: number;
}

const BODY = 'example.com/behind-the-sofa\n20852163\nCsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=\n';

export async function benchCosignatures(
  log: (line: string) => void,
  rate: (fn: () => Promise<unknown>, ms?: number) => Promise<number>,
): Promise<CosignatureFigures> {
  const { privateKey, publicKey } = generateKeyPairSync('ed25519');
  const raw = new Uint8Array(publicKey.export({ type: 'spki', format: 'der' }).subarray(-32));
  const message = new TextEncoder().encode(`cosignature/v1\ntime 1679315147\n${BODY}`);
  const signature = new Uint8Array(sign(null, message, privateKey));
  const once = (verifier: Ed25519Verifier) => async () => {
    if (!(await verifier.verify(raw, signature, message))) throw new Error('bench cosignature did not verify');
  };
  const ed25519WebCryptoPerSecond = await rate(once(new Ed25519Verifier()), 1500);
  const ed25519NoblePerSecond = await rate(once(new Ed25519Verifier(null)), 1500);
  const pq = ml_dsa44.keygen(new Uint8Array(32).fill(1));
  const pqSignature = ml_dsa44.sign(message, pq.secretKey);
  const mlDsa44PerSecond = await rate(async () => {
    if (!verifyMlDsa44(pq.publicKey, pqSignature, message)) throw new Error('bench ML-DSA-44 did not verify');
  }, 1500);
  const r = Math.round;
  log(`Ed25519 cosignature/v1, WebCrypto:                    ${r(ed25519WebCryptoPerSecond)}/s`);
  log(`Ed25519 cosignature/v1, @noble/curves (fallback):     ${r(ed25519NoblePerSecond)}/s`);
  log(`ML-DSA-44 subtree/v1 cosignature, @noble/post-quantum: ${r(mlDsa44PerSecond)}/s`);
  return { ed25519WebCryptoPerSecond, ed25519NoblePerSecond, mlDsa44PerSecond };
}
