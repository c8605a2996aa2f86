/**
 * Checkpoints as real static-ct-api logs serve them (Sunlight, TesseraCT, Azul), written field by
 * field from the specs (test/support/checkpoint-fields.ts), in every order of their lines: the
 * log's RFC6962NoteSignature, a cosignature/v1 by the log's own Ed25519 key under the same key
 * name (the origin, another key ID), a witness cosignature, GREASE under `grease.invalid` and
 * under the origin. Accepted when the log's line verifies, whatever else is there; refused, with
 * the reason, when no line verifies under the log's key (signed-note, "Signatures").
 */
import { generateKeyPairSync } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { SignatureVerifier } from '../../src/crypto/verify.js';
import { CheckpointError, openCheckpoint, parseSignedNote } from '../../src/logclient/checkpoint.js';
import {
  checkpointText,
  cosignatureLine,
  greaseLine,
  noteKeyId,
  noteLine,
  noteLog,
  permutations,
  rfc6962Line,
} from '../support/checkpoint-fields.js';

const ORIGIN = 'ct.example.com/2026h2';
const head = { size: 70_000, root: new Uint8Array(32).fill(0xab), timestamp: Date.UTC(2026, 10, 21, 19) };
const text = checkpointText(ORIGIN, head.size, head.root);
const log = noteLog();
const witness = generateKeyPairSync('ed25519').privateKey;
const verifier = new SignatureVerifier();
const seconds = Math.floor(head.timestamp / 1000);

const kinds = {
  rfc6962: rfc6962Line(log, ORIGIN, head),
  ownCosignature: cosignatureLine(ORIGIN, log.noteKey, text, seconds),
  witness: cosignatureLine('witness.example/w1', witness, text, seconds + 1),
  grease: greaseLine('grease.invalid'),
  greaseUnderOrigin: greaseLine(ORIGIN, 72),
};
type Kind = keyof typeof kinds;
const note = (order: readonly Kind[], extra: Partial<Record<string, string>> = {}): string =>
  `${text}\n${order.map((k) => extra[k] ?? kinds[k]).join('')}`;
const open = (n: string) => openCheckpoint(n, log.info, ORIGIN, verifier);
const failure = async (n: string): Promise<CheckpointError> => {
  const e = await open(n).then(
    () => undefined,
    (err: unknown) => err,
  );
  expect(e, n).toBeInstanceOf(CheckpointError);
  return e as CheckpointError;
};

describe('every order of the five kinds of line', () => {
  it('the field-by-field lines parse as the specs say: names, key IDs, sizes', () => {
    const all = Object.keys(kinds) as Kind[];
    const { signatures } = parseSignedNote(note(all));
    expect(signatures.map((s) => s.name)).toEqual([ORIGIN, ORIGIN, 'witness.example/w1', 'grease.invalid', ORIGIN]);
    // The origin is used three times, with three key IDs: 0x05 (the log), 0x04 (its Ed25519 key), GREASE.
    expect(Buffer.from(signatures[0]!.keyId)).toEqual(noteKeyId(ORIGIN, 0x05, log.logId));
    const originIds = signatures.filter((s) => s.name === ORIGIN).map((s) => Buffer.from(s.keyId).toString('hex'));
    expect(new Set(originIds).size).toBe(3);
    // timestamped_signature: 8 + 64 bytes; RFC6962NoteSignature: 8 + 2 + 2 + DER.
    expect(signatures[1]!.signature.length).toBe(72);
    expect(signatures[0]!.signature.subarray(8, 10)).toEqual(Uint8Array.of(4, 3));
  });

  it('accepted in all 120 orders, the head the log signed', async () => {
    const orders = permutations(Object.keys(kinds) as Kind[]);
    expect(orders).toHaveLength(120);
    for (const order of orders) {
      const opened = await open(note(order));
      const expected = { origin: ORIGIN, treeSize: head.size, timestamp: head.timestamp, rootHash: head.root };
      expect(opened, order.join(',')).toMatchObject(expected);
      expect(opened.logId).toBe(log.info.logId);
    }
  });

  it("refused in all 24 orders of the four others, without the log's line, naming what was ignored", async () => {
    const orders = permutations<Kind>(['ownCosignature', 'witness', 'grease', 'greaseUnderOrigin']);
    expect(orders).toHaveLength(24);
    const keyId = noteKeyId(ORIGIN, 0x05, log.logId).toString('hex');
    for (const order of orders) {
      const e = await failure(note(order));
      expect(e.message).toContain(`no signature from the log's key (key name "${ORIGIN}", key ID ${keyId})`);
      expect(e.message).toMatch(/its 4 signature lines are under other keys, ignored: .*"grease\.invalid" [0-9a-f]{8}/);
    }
  });

  it("refused in all 120 orders when the log's line does not verify (a byte of its signature changed)", async () => {
    const bad = { rfc6962: rfc6962Line(log, ORIGIN, head, true) };
    for (const order of permutations(Object.keys(kinds) as Kind[])) {
      const e = await failure(note(order, bad));
      expect(e.message).toMatch(/^the log's checkpoint signature: tree head signature does not verify/);
    }
  });

  it('another tree in the text: every line is still there, none verifies under the log key', async () => {
    const other = checkpointText(ORIGIN, head.size + 1, head.root);
    const e = await failure(`${other}\n${Object.values(kinds).join('')}`);
    expect(e.message).toContain('tree head signature does not verify');
  });
});

describe("lines under the log's key name or key ID, but not both, and collisions of both", () => {
  const id = noteKeyId(ORIGIN, 0x05, log.logId);
  const signature = parseSignedNote(note(['rfc6962'])).signatures[0]!.signature;

  it("the log's key ID under another name is ignored: the name is part of the key", async () => {
    const moved = noteLine('elsewhere.example', id, signature);
    await expect(open(note(['grease'], { grease: moved }))).rejects.toThrow(/no signature from the log's key/);
    expect((await open(note(['grease', 'rfc6962'], { grease: moved }))).treeSize).toBe(head.size);
  });

  it("the origin under another key ID (the log's Ed25519 key, GREASE) is ignored: a name used twice", async () => {
    const orders = permutations<Kind>(['ownCosignature', 'greaseUnderOrigin', 'rfc6962']);
    for (const order of orders) expect((await open(note(order))).treeSize).toBe(head.size);
  });

  it('a second line under both the name and the ID that does not verify is taken for a colliding key', async () => {
    const colliding = noteLine(ORIGIN, id, Buffer.concat([Buffer.alloc(8), Buffer.of(4, 3, 0, 2, 0x30, 0)]));
    const orders = permutations<Kind>(['rfc6962', 'grease', 'witness']).map((o) => [...o, 'greaseUnderOrigin' as Kind]);
    for (const order of orders) {
      const opened = await open(note(order, { greaseUnderOrigin: colliding }));
      expect(opened.treeSize).toBe(head.size);
    }
    // Not a well-formed RFC6962NoteSignature either (an Ed25519 cosignature's 72 bytes under the log's ID).
    const edBytes = parseSignedNote(note(['ownCosignature'])).signatures[0]!.signature;
    const edUnderLogId = { greaseUnderOrigin: noteLine(ORIGIN, id, edBytes) };
    expect((await open(note(['greaseUnderOrigin', 'rfc6962'], edUnderLogId))).treeSize).toBe(head.size);
  });

  it('two lines under the log key, neither verifying: refused, each reason named with its line', async () => {
    const flipped = rfc6962Line(log, ORIGIN, head, true);
    const short = noteLine(ORIGIN, id, Buffer.alloc(9));
    const e = await failure(`${text}\n${kinds.grease}${flipped}${short}`);
    expect(e.message).toMatch(
      new RegExp(
        "^none of the 2 checkpoint signature lines under the log's key verifies: " +
          "line 2: tree head signature does not verify.*; line 3: the log's note signature is malformed: ",
      ),
    );
  });

  it('the same line twice, and the log line among 99 others: accepted (100 lines, the bound)', async () => {
    expect((await open(note(['rfc6962', 'rfc6962']))).treeSize).toBe(head.size);
    const others = Array.from({ length: 99 }, (_, i) => greaseLine(i % 2 ? ORIGIN : `w${i}.example`));
    const many = `${text}\n${others.join('')}${kinds.rfc6962}`;
    expect((await open(many)).treeSize).toBe(head.size);
    const over = open(`${many}${kinds.grease}`);
    await expect(over).rejects.toThrow('the note has 101 signature lines, more than the 100 accepted');
  });
});

describe('the text the log signs', () => {
  it('extension lines are refused with an RFC 6962 signature (static-ct-api), before any signature', async () => {
    const withExtension = `${text}extension\n\n${kinds.rfc6962}`;
    await expect(open(withExtension)).rejects.toThrow(
      'a checkpoint signed with an RFC 6962 tree head signature must not have extension lines',
    );
  });

  it("another origin is refused; the log's key under the wrong origin finds no line", async () => {
    await expect(openCheckpoint(note(['rfc6962']), log.info, 'ct.example.com/2027h1', verifier)).rejects.toThrow(
      'the checkpoint origin "ct.example.com/2026h2" is not the log\'s "ct.example.com/2027h1"',
    );
    const relabelled = `${checkpointText('ct.example.com/2027h1', head.size, head.root)}\n${kinds.rfc6962}`;
    await expect(openCheckpoint(relabelled, log.info, undefined, verifier)).rejects.toThrow(
      /no signature from the log's key \(key name "ct\.example\.com\/2027h1"/,
    );
  });
});
