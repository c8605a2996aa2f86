/**
 * Verifier keys (c2sp.org/signed-note, "Verifier keys"): `<key name>+hex(key ID)+base64(type ‖ key)`.
 * Parsing is strict: the name is a valid key name, the key ID is 8 lowercase hex digits and is the
 * one the key gives (signed-note, "Signatures": key ID = SHA-256(name ‖ 0x0A ‖ type ‖ key)[:4]),
 * the type byte is one ctlens verifies and the key material has that type's exact form.
 */
import { ed25519 } from '@noble/curves/ed25519.js';
import { concatBytes, equalBytes, fromBase64, sha256, toHex, utf8, type Bytes } from '../bytes.js';
import { publicKeyKind } from '../crypto/public-key.js';
import { DerError } from '../der/element.js';

export class VkeyError extends Error {
  override name = 'VkeyError';
}

/**
 * The signature types ctlens verifies (signed-note, "Signature types"):
 * 0x01 Ed25519 over the note text; 0x04 tlog-cosignature's timestamped Ed25519 cosignature/v1;
 * 0x05 static-ct-api's RFC6962NoteSignature; 0x06 tlog-cosignature's timestamped ML-DSA-44 subtree/v1.
 */
export type VkeyType = 'ed25519' | 'cosignature/v1' | 'rfc6962' | 'ml-dsa-44';

export const TYPE_BYTE: Readonly<Record<VkeyType, number>> = {
  ed25519: 0x01,
  'cosignature/v1': 0x04,
  rfc6962: 0x05,
  'ml-dsa-44': 0x06,
};

const BY_BYTE = new Map(Object.entries(TYPE_BYTE).map(([type, byte]) => [byte, type as VkeyType]));

/** The public key material's length, where fixed: RFC 8032 §5.1.5 (32), FIPS 204 Table 2 (1312). */
const KEY_LENGTH: Partial<Record<VkeyType, number>> = { ed25519: 32, 'cosignature/v1': 32, 'ml-dsa-44': 1312 };

export interface Vkey {
  /** The vkey as given. */
  readonly text: string;
  /** The key name (signature lines name it). */
  readonly name: string;
  /** The 4-byte key ID. */
  readonly keyId: Bytes;
  readonly type: VkeyType;
  /** The key material after the type byte: 32 Ed25519 bytes, an SPKI (rfc6962) or 1312 ML-DSA-44 bytes. */
  readonly publicKey: Bytes;
}

/**
 * Unicode spaces (White_Space, as Go's unicode.IsSpace, which the reference implementation uses).
 * signed-note, "Format": key names MUST NOT contain them.
 */
const UNICODE_SPACE = /[\t\n\v\f\r \u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]/u;
const CONTROL = /[\u0000-\u001f\u007f]/u;

/** signed-note, "Format": non-empty, no Unicode spaces, no '+' (and, as the note itself, no control characters). */
function keyNameProblem(name: string): string | undefined {
  if (name === '') return 'the key name is empty';
  if (name.includes('+')) return 'the key name contains "+"';
  if (UNICODE_SPACE.test(name)) return 'the key name contains a space';
  if (CONTROL.test(name)) return 'the key name contains a control character';
  return undefined;
}

/**
 * The recommended key ID (signed-note, "Signatures"): SHA-256(name ‖ 0x0A ‖ type ‖ key)[:4]. For
 * RFC 6962 keys the hashed key is the 32-byte LogID, SHA-256 of the SPKI (static-ct-api, "Checkpoints").
 */
export function noteKeyId(name: string, type: VkeyType, publicKey: Bytes): Bytes {
  const hashed = type === 'rfc6962' ? sha256(publicKey) : publicKey;
  return sha256(concatBytes(utf8(name), Uint8Array.of(0x0a, TYPE_BYTE[type]), hashed)).slice(0, 4);
}

/** Parses a vkey. Throws VkeyError naming what is wrong. */
export function parseVkey(text: string): Vkey {
  // The name holds no '+', the hex key ID none either; base64 may, so split at the first two only.
  const first = text.indexOf('+');
  const second = first < 0 ? -1 : text.indexOf('+', first + 1);
  if (second < 0) throw new VkeyError('a vkey is <key name>+<hex key ID>+<base64 key>, with two "+"');
  const name = text.slice(0, first);
  const idHex = text.slice(first + 1, second);
  const keyBase64 = text.slice(second + 1);
  const nameProblem = keyNameProblem(name);
  if (nameProblem) throw new VkeyError(nameProblem);
  if (!/^[0-9a-f]{8}$/.test(idHex)) {
    throw new VkeyError(`the key ID "${idHex}" is not 8 lowercase hex digits`);
  }
  let bytes: Bytes;
  try {
    bytes = fromBase64(keyBase64);
  } catch (e) {
    throw new VkeyError(`the key of "${name}": ${(e as Error).message}`);
  }
  if (bytes.length === 0) throw new VkeyError(`the key of "${name}" is empty (no signature type byte)`);
  const typeByte = bytes[0]!;
  const type = BY_BYTE.get(typeByte);
  if (!type) {
    throw new VkeyError(`the key of "${name}" has signature type ${typeName(typeByte)}, which ctlens does not verify`);
  }
  const publicKey = bytes.slice(1);
  checkKeyMaterial(name, type, publicKey);
  const keyId = noteKeyId(name, type, publicKey);
  if (toHex(keyId) !== idHex) {
    throw new VkeyError(`the key ID ${idHex} of "${name}" is not the one its ${type} key gives, ${toHex(keyId)}`);
  }
  return { text, name, keyId, type, publicKey };
}

function typeName(byte: number): string {
  const hex = `0x${byte.toString(16).padStart(2, '0')}`;
  if (byte === 0x02) return `${hex} (ECDSA, transparency-dev/witness)`;
  if (byte === 0x03 || (byte >= 0xfa && byte <= 0xfe)) return `${hex} (reserved)`;
  if (byte === 0xff) return `${hex} (unassigned, with a longer identifier)`;
  return `${hex} (not assigned)`;
}

function checkKeyMaterial(name: string, type: VkeyType, key: Bytes): void {
  const length = KEY_LENGTH[type];
  if (length !== undefined && key.length !== length) {
    throw new VkeyError(`the ${type} key of "${name}" is ${key.length} bytes, expected ${length}`);
  }
  if (type === 'ed25519' || type === 'cosignature/v1') {
    // RFC 8032 §5.1.3: the encoding must decode to a point (strict, not ZIP-215).
    if (!ed25519.utils.isValidPublicKey(key, false)) {
      throw new VkeyError(`the ${type} key of "${name}" is not a valid Ed25519 point encoding`);
    }
  }
  if (type === 'rfc6962') {
    // The key material is the log's SubjectPublicKeyInfo DER (transparency-dev/formats note_rfc6962).
    let kind: ReturnType<typeof publicKeyKind>;
    try {
      kind = publicKeyKind(key);
    } catch (e) {
      if (e instanceof DerError) throw new VkeyError(`the rfc6962 key of "${name}" is not an SPKI: ${e.message}`);
      throw e;
    }
    if (kind.type === 'unsupported') {
      throw new VkeyError(`the rfc6962 key of "${name}" is unsupported: ${kind.description}`);
    }
  }
}

/** Whether two vkeys wrap the same public key (tlog-policy, "Public key representation"). */
export const sameKey = (a: Vkey, b: Vkey): boolean => equalBytes(a.publicKey, b.publicKey);
