/**
 * A witness (c2sp.org/tlog-witness) for the test log, written with node:crypto independently of
 * src/'s verifier: `add-checkpoint` verifies the log's RFC6962NoteSignature (static-ct-api,
 * "Checkpoints") and the consistency proof from the size it last cosigned, keeps the latest
 * checkpoint per origin, and cosigns with its own Ed25519 key as cosignature/v1
 * (c2sp.org/tlog-cosignature); the monitor retrieval endpoint `GET <prefix>/<origin hash>/checkpoint`
 * serves that checkpoint with the log's signature and the cosignature.
 */
import { createHash, createPublicKey, generateKeyPairSync, sign, verify, type KeyObject } from 'node:crypto';
import { verifyConsistency } from '../src/merkle/verify.js';
import { checkpointKeyId } from './checkpoint-note.js';
import type { LocalCtLog } from './log.js';
import { treeHeadSignatureInput } from './structs.js';

export interface WitnessAnswer {
  readonly status: number;
  readonly type: string;
  readonly body: string;
}

export interface LocalWitnessOptions {
  /** The key name; default "witness.ctlens.test/w1". */
  readonly name?: string;
  /** An Ed25519 private key; default a fresh one. */
  readonly privateKey?: KeyObject;
  /** The clock (ms since the epoch); default Date.now. */
  readonly now?: () => number;
}

interface TrustedLog {
  readonly publicKey: KeyObject;
  readonly keyId: Buffer;
}

interface Cosigned {
  readonly size: number;
  readonly root: Buffer;
  /** The checkpoint body, the log's verified signature lines and this witness's cosignature. */
  readonly note: string;
}

/** The witness's protocol failures, with the status tlog-witness assigns each. */
class WitnessRefusal extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly type = 'text/plain; charset=utf-8',
  ) {
    super(message);
  }
}

const b64 = (bytes: Uint8Array): string => Buffer.from(bytes).toString('base64');
const sha256 = (data: string | Uint8Array): Buffer => createHash('sha256').update(data).digest();
const u64 = (n: number): Buffer => {
  const b = Buffer.alloc(8);
  b.writeBigUInt64BE(BigInt(n));
  return b;
};
const EMPTY_ROOT = sha256(new Uint8Array(0));
const MAX_PROOF_LINES = 63;

/** tlog-cosignature: key ID = SHA-256(name ‖ 0x0A ‖ 0x04 ‖ 32-byte public key)[:4]. */
const cosignatureKeyId = (name: string, publicKey: Uint8Array): Buffer =>
  sha256(Buffer.concat([Buffer.from(`${name}\n`, 'utf8'), Buffer.of(0x04), publicKey])).subarray(0, 4);

/** The 32-byte raw Ed25519 public key of a node:crypto key (the SPKI's last 32 bytes, RFC 8410). */
const rawEd25519 = (key: KeyObject): Buffer =>
  createPublicKey(key).export({ type: 'spki', format: 'der' }).subarray(-32);

/**
 * A cosignature/v1 line over `body` (the checkpoint text, final newline included):
 * `— <name> base64(key ID ‖ u64 timestamp ‖ Ed25519("cosignature/v1\ntime <t>\n" ‖ body))`.
 */
export function cosignatureLine(name: string, privateKey: KeyObject, body: string, seconds: number): string {
  const signature = sign(null, Buffer.from(`cosignature/v1\ntime ${seconds}\n${body}`, 'utf8'), privateKey);
  const keyId = cosignatureKeyId(name, rawEd25519(privateKey));
  return `\u2014 ${name} ${b64(Buffer.concat([keyId, u64(seconds), signature]))}\n`;
}

/**
 * The log's RFC 6962 key as a vkey for `origin`: key ID per static-ct-api "Checkpoints", the key
 * material its SPKI (signature type 0x05), for a policy's `log` line.
 */
export const logVkey = (origin: string, log: LocalCtLog): string =>
  `${origin}+${checkpointKeyId(origin, log.logId).toString('hex')}+${b64(Buffer.concat([Buffer.of(0x05), log.spki]))}`;

export class LocalWitness {
  readonly name: string;
  readonly privateKey: KeyObject;
  private readonly now: () => number;
  private readonly logs = new Map<string, TrustedLog>();
  private readonly latest = new Map<string, Cosigned>();

  constructor(options: LocalWitnessOptions = {}) {
    this.name = options.name ?? 'witness.ctlens.test/w1';
    this.privateKey = options.privateKey ?? generateKeyPairSync('ed25519').privateKey;
    if (this.privateKey.asymmetricKeyType !== 'ed25519') throw new RangeError('the witness key must be Ed25519');
    this.now = options.now ?? Date.now;
  }

  /** signed-note "Verifier keys": `<name>+<hex key ID>+base64(0x04 ‖ public key)`. */
  vkey(): string {
    const publicKey = rawEd25519(this.privateKey);
    const keyId = cosignatureKeyId(this.name, publicKey).toString('hex');
    return `${this.name}+${keyId}+${b64(Buffer.concat([Buffer.of(0x04), publicKey]))}`;
  }

  /** Trusts `log` for checkpoints with `origin` (its RFC 6962 key, key ID per static-ct-api). */
  trustLog(origin: string, log: LocalCtLog): void {
    this.logs.set(origin, { publicKey: createPublicKey(log.privateKey), keyId: checkpointKeyId(origin, log.logId) });
  }

  /** The size of the latest checkpoint cosigned for `origin` (0 when none). */
  cosignedSize(origin: string): number {
    return this.latest.get(origin)?.size ?? 0;
  }

  /** tlog-witness "add-checkpoint": the request body in, the answer out. */
  addCheckpoint(request: string): WitnessAnswer {
    try {
      const line = this.accept(request);
      return { status: 200, type: 'text/plain; charset=utf-8', body: line };
    } catch (e) {
      if (!(e instanceof WitnessRefusal)) throw e;
      return { status: e.status, type: e.type, body: e.message.endsWith('\n') ? e.message : `${e.message}\n` };
    }
  }

  /** tlog-witness "Monitor Retrieval Mechanism": the latest cosigned checkpoint by origin hash, else 404. */
  retrieve(originHash: string): WitnessAnswer {
    for (const [origin, cosigned] of this.latest) {
      if (sha256(origin).toString('hex') === originHash) {
        return { status: 200, type: 'text/plain; charset=utf-8', body: cosigned.note };
      }
    }
    const body = 'this witness never cosigned a checkpoint of that log\n';
    return { status: 404, type: 'text/plain; charset=utf-8', body };
  }

  private accept(request: string): string {
    // old size line, proof lines, an empty line, then the checkpoint (a signed note).
    const lines = request.split('\n');
    const old = /^old (0|[1-9][0-9]*)$/.exec(lines[0] ?? '');
    if (!old) throw new WitnessRefusal(400, 'the first line is not "old <size>"');
    const blank = lines.indexOf('', 1);
    if (blank < 0) throw new WitnessRefusal(400, 'no empty line before the checkpoint');
    const proofLines = lines.slice(1, blank);
    if (proofLines.length > MAX_PROOF_LINES) throw new WitnessRefusal(400, `more than ${MAX_PROOF_LINES} proof lines`);
    const proof = proofLines.map((l, i) => {
      const hash = Buffer.from(l, 'base64');
      if (hash.length !== 32 || b64(hash) !== l) {
        throw new WitnessRefusal(400, `proof line ${i + 1} is not a base64 hash`);
      }
      return new Uint8Array(hash);
    });
    const note = lines.slice(blank + 1).join('\n');
    const split = note.lastIndexOf('\n\n');
    if (!note.endsWith('\n') || split < 0) throw new WitnessRefusal(400, 'the checkpoint is not a signed note');
    const body = note.slice(0, split + 1);
    const [origin, sizeText, rootText, ...rest] = body.slice(0, -1).split('\n');
    const root = Buffer.from(rootText ?? '', 'base64');
    if (!origin || !/^(0|[1-9][0-9]*)$/.test(sizeText ?? '') || root.length !== 32 || rest.length) {
      throw new WitnessRefusal(400, 'the checkpoint body is not origin, size and root hash');
    }
    const size = Number(sizeText);
    const log = this.logs.get(origin);
    if (!log) throw new WitnessRefusal(404, `unknown log origin ${origin}`);
    const signatures = this.verifyLogSignatures(note.slice(split + 2, -1).split('\n'), origin, log, size, root);
    const oldSize = Number(old[1]);
    if (oldSize > size) throw new WitnessRefusal(400, `old size ${oldSize} is larger than the checkpoint's ${size}`);
    const previous = this.latest.get(origin);
    if (oldSize !== (previous?.size ?? 0)) {
      throw new WitnessRefusal(409, `${previous?.size ?? 0}\n`, 'text/x.tlog.size');
    }
    if (size === 0 && !root.equals(EMPTY_ROOT)) {
      throw new WitnessRefusal(422, "a tree of size 0 has the empty tree's root");
    }
    if (oldSize === 0 && proof.length) throw new WitnessRefusal(422, 'a proof from size 0 must be empty');
    if (previous && oldSize > 0) {
      try {
        verifyConsistency(oldSize, size, proof, previous.root, root);
      } catch (e) {
        throw new WitnessRefusal(422, `the consistency proof does not verify: ${(e as Error).message}`);
      }
    }
    const line = cosignatureLine(this.name, this.privateKey, body, Math.floor(this.now() / 1000));
    this.latest.set(origin, { size, root, note: `${body}\n${signatures.join('')}${line}` });
    return line;
  }

  /** The log's signature lines (key name and ID of its key), each verified; 403 when none or a bad one. */
  private verifyLogSignatures(lines: string[], origin: string, log: TrustedLog, size: number, root: Buffer): string[] {
    const own: string[] = [];
    for (const line of lines) {
      const m = /^\u2014 (\S+) ([A-Za-z0-9+/=]+)$/u.exec(line);
      if (!m) throw new WitnessRefusal(400, 'a signature line is malformed');
      const bytes = Buffer.from(m[2]!, 'base64');
      if (m[1] !== origin || bytes.length < 4 || !bytes.subarray(0, 4).equals(log.keyId)) continue;
      // RFC6962NoteSignature: uint64 timestamp ‖ DigitallySigned (hash, signature algorithm, u16 length, DER).
      const timestamp = bytes.length >= 12 ? Number(bytes.readBigUInt64BE(4)) : -1;
      const length = bytes.length >= 16 ? bytes.readUInt16BE(14) : -1;
      const der = bytes.subarray(16);
      const ok =
        timestamp >= 0 &&
        bytes[12] === 4 &&
        bytes[13] === 3 &&
        length === der.length &&
        verify('sha256', treeHeadSignatureInput(timestamp, size, root), log.publicKey, der);
      if (!ok) throw new WitnessRefusal(403, "the log's signature does not verify");
      own.push(`${line}\n`);
    }
    if (own.length === 0) throw new WitnessRefusal(403, "no signature from the log's key");
    return own;
  }
}
