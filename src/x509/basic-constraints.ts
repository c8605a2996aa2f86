/**
 * The basicConstraints extension (RFC 5280 §4.2.1.9):
 *   BasicConstraints ::= SEQUENCE { cA BOOLEAN DEFAULT FALSE, pathLenConstraint INTEGER (0..MAX) OPTIONAL }
 * read as DER: a BOOLEAN is 0x00 or 0xFF (X.690 §11.1), an INTEGER is minimal and here not
 * negative, nothing else and nothing after. An explicit cA FALSE, which DER leaves out as the
 * default, is accepted: CAs write it, and it says the same.
 */
import type { Bytes } from '../bytes.js';
import { DerError, TAG, children, content, expectElement } from '../der/element.js';

/** Whether the extension value (the content of extnValue) says cA TRUE. Throws DerError naming what is wrong. */
export function basicConstraintsCa(value: Bytes): boolean {
  const what = 'basicConstraints';
  const seq = expectElement(value, 0, value.length, TAG.SEQUENCE, what);
  if (seq.end !== value.length) throw new DerError(`${what}: ${value.length - seq.end} trailing bytes`);
  const fields = children(value, seq, what);
  let next = 0;
  let ca = false;
  if (fields[next]?.tag === TAG.BOOLEAN) {
    const b = content(value, fields[next++]!);
    if (b.length !== 1 || (b[0] !== 0x00 && b[0] !== 0xff)) throw new DerError(`${what}: cA is not a DER BOOLEAN`);
    ca = b[0] === 0xff;
  }
  if (fields[next]?.tag === TAG.INTEGER) {
    const n = content(value, fields[next++]!);
    if (n.length === 0 || (n.length > 1 && n[0] === 0 && n[1]! < 0x80)) {
      throw new DerError(`${what}: pathLenConstraint is not a minimal INTEGER`);
    }
    if (n[0]! >= 0x80) throw new DerError(`${what}: pathLenConstraint is negative`);
  }
  const extra = fields[next];
  if (extra) throw new DerError(`${what}: unexpected field with tag 0x${extra.tag.toString(16).padStart(2, '0')}`);
  return ca;
}
