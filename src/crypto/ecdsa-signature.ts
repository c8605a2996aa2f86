/**
 * DER ECDSA-Sig-Value (RFC 3279 §2.2.3: SEQUENCE { r INTEGER, s INTEGER }) to the raw r‖s form
 * WebCrypto verifies (W3C WebCrypto §23.4 "ECDSA": the IEEE P1363 concatenation).
 * Strict DER: minimal INTEGER encodings, positive, non-zero, no trailing bytes. High-S values are
 * accepted: RFC 6962 logs produce them (about half of real signatures) and ECDSA allows them.
 */
import type { Bytes } from '../bytes.js';
import { DerError, TAG, children, content, expectElement } from '../der/element.js';

export function ecdsaDerToRaw(signature: Bytes, fieldBytes = 32): Bytes {
  const seq = expectElement(signature, 0, signature.length, TAG.SEQUENCE, 'ECDSA-Sig-Value');
  if (seq.end !== signature.length)
    throw new DerError(`ECDSA-Sig-Value has ${signature.length - seq.end} trailing bytes`);
  const parts = children(signature, seq, 'ECDSA-Sig-Value');
  if (parts.length !== 2 || parts.some((p) => p.tag !== TAG.INTEGER)) {
    throw new DerError('ECDSA-Sig-Value must hold exactly two INTEGERs');
  }
  const out = new Uint8Array(2 * fieldBytes);
  for (const [i, part] of parts.entries()) {
    out.set(unsignedInteger(content(signature, part), fieldBytes, i ? 's' : 'r'), i * fieldBytes);
  }
  return out;
}

function unsignedInteger(octets: Bytes, size: number, name: string): Bytes {
  if (octets.length === 0) throw new DerError(`${name} is an empty INTEGER`);
  if (octets[0]! & 0x80) throw new DerError(`${name} is negative`);
  if (octets.length > 1 && octets[0] === 0 && !(octets[1]! & 0x80)) {
    throw new DerError(`${name} has a non-minimal encoding (extra leading zero)`);
  }
  const value = octets[0] === 0 ? octets.subarray(1) : octets;
  if (value.length > size) throw new DerError(`${name} is ${value.length} bytes, longer than ${size}`);
  if (value.every((b) => b === 0)) throw new DerError(`${name} is zero`);
  const out = new Uint8Array(size);
  out.set(value, size - value.length);
  return out;
}
