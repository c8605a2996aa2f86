import { describe, it, expect } from 'vitest';
import { generateKeyPairSync, sign, verify as nodeVerify } from 'node:crypto';
import { concatBytes, fromHex, toHex, utf8, type Bytes } from '../../src/bytes.js';
import { DerError, encodeLength } from '../../src/der/element.js';
import { ecdsaDerToRaw } from '../../src/crypto/ecdsa-signature.js';
import { SignatureVerifier } from '../../src/crypto/verify.js';

/** P-256 group order (SEC 2 §2.4.2). */
const N = 0xffffffff00000000ffffffffffffffffbce6faada7179e84f3b9cac2fc632551n;
const HALF_N = N >> 1n;

const tlv = (tag: number, body: Bytes): Bytes => concatBytes(Uint8Array.of(tag), encodeLength(body.length), body);

/** Minimal DER INTEGER for a non-negative bigint. */
function derInteger(value: bigint): Bytes {
  let hex = value.toString(16);
  if (hex.length % 2) hex = `0${hex}`;
  let bytes = fromHex(hex);
  if (bytes[0]! & 0x80) bytes = concatBytes(Uint8Array.of(0), bytes);
  return tlv(0x02, bytes);
}
const sigValue = (...integers: Bytes[]): Bytes => tlv(0x30, concatBytes(...integers));
const bigintOf = (bytes: Bytes): bigint => (bytes.length ? BigInt(`0x${toHex(bytes)}`) : 0n);

function derFailure(signature: Bytes): string {
  try {
    ecdsaDerToRaw(signature);
  } catch (e) {
    expect(e).toBeInstanceOf(DerError);
    return (e as Error).message;
  }
  throw new Error(`ecdsaDerToRaw accepted ${toHex(signature)}`);
}

describe('ecdsaDerToRaw: strict DER', () => {
  it('converts a well-formed ECDSA-Sig-Value to r‖s, left-padded to 32 bytes each', () => {
    const raw = ecdsaDerToRaw(fromHex('3006 020101 020102'));
    expect(raw.length).toBe(64);
    expect(bigintOf(raw.subarray(0, 32))).toBe(1n);
    expect(bigintOf(raw.subarray(32))).toBe(2n);

    const r = N - 1n;
    const s = 0x7fn;
    const der = sigValue(derInteger(r), derInteger(s));
    expect(toHex(der.subarray(0, 5))).toBe('3026022100'); // r needs a leading zero (high bit set)
    const out = ecdsaDerToRaw(der);
    expect(bigintOf(out.subarray(0, 32))).toBe(r);
    expect(bigintOf(out.subarray(32))).toBe(s);
    // A 32-byte value with the high bit clear has no leading zero.
    const r2 = 0x7fffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffn;
    expect(bigintOf(ecdsaDerToRaw(sigValue(derInteger(r2), derInteger(1n))).subarray(0, 32))).toBe(r2);
  });

  it('rejects negative integers', () => {
    expect(derFailure(fromHex('3006 020180 020101'))).toBe('r is negative');
    expect(derFailure(fromHex('3006 020101 0201ff'))).toBe('s is negative');
    expect(derFailure(sigValue(tlv(0x02, fromHex('ff'.repeat(32))), derInteger(1n)))).toBe('r is negative');
  });

  it('rejects non-minimal integers (a redundant leading zero)', () => {
    expect(derFailure(fromHex('3007 02020001 020101'))).toBe('r has a non-minimal encoding (extra leading zero)');
    expect(derFailure(fromHex('3007 020101 0202007f'))).toBe('s has a non-minimal encoding (extra leading zero)');
    expect(derFailure(fromHex('3008 0203000080 020101'))).toMatch(/^r has a non-minimal encoding/);
  });

  it('rejects zero and empty integers', () => {
    expect(derFailure(fromHex('3006 020100 020101'))).toBe('r is zero');
    expect(derFailure(fromHex('3006 020101 020100'))).toBe('s is zero');
    expect(derFailure(fromHex('3005 0200 020101'))).toBe('r is an empty INTEGER');
  });

  it('rejects integers longer than the field', () => {
    expect(derFailure(sigValue(tlv(0x02, concatBytes(Uint8Array.of(1), new Uint8Array(32))), derInteger(1n)))).toBe(
      'r is 33 bytes, longer than 32',
    );
    expect(derFailure(sigValue(derInteger(1n), derInteger(1n << 256n)))).toBe('s is 33 bytes, longer than 32');
    // With a P-384 field size the same value fits.
    expect(ecdsaDerToRaw(sigValue(derInteger(1n), derInteger(1n << 256n)), 48).length).toBe(96);
  });

  it('rejects trailing bytes, a wrong count, wrong tags', () => {
    expect(derFailure(fromHex('3006 020101 020101 00'))).toBe('ECDSA-Sig-Value has 1 trailing bytes');
    expect(derFailure(fromHex('3003 020101'))).toBe('ECDSA-Sig-Value must hold exactly two INTEGERs');
    expect(derFailure(fromHex('3009 020101 020101 020101'))).toBe('ECDSA-Sig-Value must hold exactly two INTEGERs');
    expect(derFailure(fromHex('3000'))).toBe('ECDSA-Sig-Value must hold exactly two INTEGERs');
    expect(derFailure(fromHex('3006 020101 040101'))).toBe('ECDSA-Sig-Value must hold exactly two INTEGERs');
    expect(derFailure(fromHex('3106 020101 020101'))).toMatch(/ECDSA-Sig-Value: expected tag 0x30, found 0x31/);
    expect(derFailure(fromHex('3007 020101 020101'))).toMatch(/overruns its container/);
    expect(derFailure(fromHex('3006 020201 020101'))).toMatch(/overruns its container/);
    expect(derFailure(new Uint8Array())).toMatch(/truncated header/);
    expect(derFailure(fromHex('3080 020101 020101 0000'))).toMatch(/indefinite length/);
  });
});

describe('ECDSA P-256 signatures through SignatureVerifier (WebCrypto)', () => {
  const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
  const spki = new Uint8Array(publicKey.export({ type: 'spki', format: 'der' }));
  const verifier = new SignatureVerifier();

  /** Signs messages until one signature has s in the wanted half; Node (OpenSSL) does not normalise s. */
  function signatureWith(high: boolean): { message: Bytes; der: Bytes; r: bigint; s: bigint } {
    for (let i = 0; i < 200; i++) {
      const message = utf8(`ctlens high-S test message ${i}`);
      const der = new Uint8Array(sign('sha256', message, privateKey));
      const raw = ecdsaDerToRaw(der);
      const r = bigintOf(raw.subarray(0, 32));
      const s = bigintOf(raw.subarray(32));
      if (s > HALF_N === high) return { message, der, r, s };
    }
    throw new Error('no signature with the wanted s found in 200 tries');
  }

  it('accepts a high-S signature (s > n/2), as RFC 6962 logs produce them', async () => {
    const { message, der, r, s } = signatureWith(true);
    expect(s > HALF_N).toBe(true);
    expect(s < N).toBe(true);
    // The conversion is faithful: Node verifies the raw form too.
    const raw = ecdsaDerToRaw(der);
    expect(nodeVerify('sha256', message, { key: publicKey, dsaEncoding: 'ieee-p1363' }, raw)).toBe(true);
    expect(await verifier.verify(spki, 'ecdsa-p256', der, message)).toEqual({ ok: true });
    // Its low-S twin (r, n − s) is just as valid.
    const lowS = sigValue(derInteger(r), derInteger(N - s));
    expect(await verifier.verify(spki, 'ecdsa-p256', lowS, message)).toEqual({ ok: true });
    // ...but not for another message.
    expect(await verifier.verify(spki, 'ecdsa-p256', der, utf8('another message'))).toEqual({
      ok: false,
      reason: 'signature does not verify with the log key',
    });
  });

  it('accepts a low-S signature', async () => {
    const { message, der, s } = signatureWith(false);
    expect(s <= HALF_N).toBe(true);
    expect(await verifier.verify(spki, 'ecdsa-p256', der, message)).toEqual({ ok: true });
  });

  it('reports a malformed DER signature without throwing', async () => {
    const { message, der } = signatureWith(true);
    const trailing = concatBytes(der, Uint8Array.of(0));
    expect(await verifier.verify(spki, 'ecdsa-p256', trailing, message)).toEqual({
      ok: false,
      reason: `signature is not a DER ECDSA-Sig-Value: ECDSA-Sig-Value has 1 trailing bytes`,
    });
    const raw = ecdsaDerToRaw(der); // the P1363 form is not what SCTs carry
    const outcome = await verifier.verify(spki, 'ecdsa-p256', raw, message);
    expect(outcome.ok).toBe(false);
    if (!outcome.ok) expect(outcome.reason).toMatch(/^signature is not a DER ECDSA-Sig-Value: /);
  });

  it('r or s out of range (≥ n) does not verify', async () => {
    const { message, r, s } = signatureWith(true);
    expect(
      await verifier.verify(spki, 'ecdsa-p256', sigValue(derInteger(r), derInteger(s + N)), message),
    ).toMatchObject({ ok: false });
    expect(
      await verifier.verify(spki, 'ecdsa-p256', sigValue(derInteger(r + N), derInteger(s)), message),
    ).toMatchObject({ ok: false });
  });

  it('reports a key WebCrypto refuses', async () => {
    const { message, der } = signatureWith(false);
    const outcome = await verifier.verify(fromHex('3000'), 'ecdsa-p256', der, message);
    expect(outcome.ok).toBe(false);
    if (!outcome.ok) expect(outcome.reason).toMatch(/^log key could not be imported: /);
  });
});
