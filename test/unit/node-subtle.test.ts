/**
 * The CLI's node:crypto path for SCT signatures (src/cli/node-subtle.ts) answers as WebCrypto does
 * through the core's SignatureVerifier: signatures by ECDSA P-256 and RSA keys, the same with one
 * bit changed, signatures of the wrong shape, keys that are not what the algorithm names.
 */
import { generateKeyPairSync, sign } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { nodeSubtle } from '../../src/cli/node-subtle.js';
import { SignatureVerifier, type KeyAlgorithm } from '../../src/crypto/verify.js';

const node = new SignatureVerifier(nodeSubtle);
const web = new SignatureVerifier();

const key = (type: 'ec' | 'rsa', curve = 'P-256') => {
  const pair =
    type === 'ec'
      ? generateKeyPairSync('ec', { namedCurve: curve })
      : generateKeyPairSync('rsa', { modulusLength: 2048 });
  return { ...pair, spki: new Uint8Array(pair.publicKey.export({ type: 'spki', format: 'der' })) };
};
const p256 = key('ec');
const p384 = key('ec', 'P-384');
const rsa = key('rsa');
const data = new TextEncoder().encode('signed data');
const ecdsaSig = new Uint8Array(sign('sha256', data, p256.privateKey)); // DER ECDSA-Sig-Value, as SCTs carry
const rsaSig = new Uint8Array(sign('sha256', data, rsa.privateKey)); // PKCS#1 v1.5
const flip = (b: Uint8Array, i: number) => {
  const c = b.slice();
  c[i]! ^= 0x01;
  return c;
};

const cases: [string, Uint8Array, KeyAlgorithm, Uint8Array, Uint8Array][] = [
  ['ECDSA P-256, valid', p256.spki, 'ecdsa-p256', ecdsaSig, data],
  ['ECDSA, data changed', p256.spki, 'ecdsa-p256', ecdsaSig, flip(data, 0)],
  ['ECDSA, signature changed', p256.spki, 'ecdsa-p256', flip(ecdsaSig, ecdsaSig.length - 1), data],
  ['ECDSA, not DER', p256.spki, 'ecdsa-p256', Uint8Array.of(0x30, 0x03, 0x02, 0x01), data],
  ['ECDSA, r and s of 0', p256.spki, 'ecdsa-p256', Uint8Array.of(0x30, 0x06, 0x02, 0x01, 0x00, 0x02, 0x01, 0x00), data],
  ['ECDSA over a P-384 key', p384.spki, 'ecdsa-p256', ecdsaSig, data],
  ['ECDSA with an RSA key', rsa.spki, 'ecdsa-p256', ecdsaSig, data],
  ['RSA, valid', rsa.spki, 'rsa', rsaSig, data],
  ['RSA, signature changed', rsa.spki, 'rsa', flip(rsaSig, 10), data],
  ['RSA, signature cut short', rsa.spki, 'rsa', rsaSig.subarray(1), data],
  ['RSA with an EC key', p256.spki, 'rsa', rsaSig, data],
  ['a key that is not an SPKI', Uint8Array.of(0x30, 0x00), 'ecdsa-p256', ecdsaSig, data],
];

describe('node:crypto and WebCrypto agree', () => {
  it.each(cases)('%s', async (_, spki, algorithm, signature, signed) => {
    const a = await node.verify(spki, algorithm, signature, signed);
    const b = await web.verify(spki, algorithm, signature, signed);
    expect(a.ok).toBe(b.ok);
    if (!a.ok && !b.ok) expect(a.reason.split(':')[0]).toBe(b.reason.split(':')[0]);
  });

  it('valid only where a signature verified', async () => {
    const valid = await Promise.all(cases.map(([, spki, alg, sig, d]) => node.verify(spki, alg, sig, d)));
    expect(cases.filter((_, i) => valid[i]!.ok).map(([name]) => name)).toEqual(['ECDSA P-256, valid', 'RSA, valid']);
  });
});

it('refuses what SignatureVerifier never asks: another key format or algorithm', async () => {
  await expect(
    nodeSubtle.importKey('raw', p256.spki, { name: 'ECDSA', namedCurve: 'P-256' }, false, ['verify']),
  ).rejects.toThrow(/spki only/);
  await expect(
    nodeSubtle.importKey('spki', p256.spki, { name: 'ECDSA', namedCurve: 'P-384' }, false, ['verify']),
  ).rejects.toThrow(/unsupported algorithm/);
});
