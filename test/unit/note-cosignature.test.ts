/**
 * Note signatures checked with known keys (c2sp.org/signed-note, tlog-cosignature): vectors made
 * here with node:crypto Ed25519 over the messages as the spec writes them, the signed-note
 * example, the torchwood ML-DSA-44 checkpoint, and the test log's RFC6962NoteSignature. Real
 * checkpoints carry other lines too (the log's, other witnesses', GREASE): those are ignored.
 */
import { createHash, sign, type KeyObject } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { ml_dsa44 } from '@noble/post-quantum/ml-dsa.js';
import { describe, expect, it } from 'vitest';
import { SignatureVerifier } from '../../src/crypto/verify.js';
import { parseSignedNote } from '../../src/logclient/checkpoint.js';
import { parseLogList } from '../../src/loglist/schema.js';
import { Ed25519Verifier } from '../../src/note/ed25519.js';
import { checkKnownKeys, type KeyVerdict } from '../../src/note/known-keys.js';
import type { SignatureTools } from '../../src/note/note-signature.js';
import { parseVkey, type Vkey } from '../../src/note/vkey.js';
import { checkpointNote } from '../../log/checkpoint-note.js';
import { LocalCtLog } from '../../log/log.js';
import { logListJson } from '../../log/log-list.js';
import { cosignatureLine, logVkey, LocalWitness } from '../../log/witness.js';

const b64 = (bytes: Uint8Array): string => Buffer.from(bytes).toString('base64');
const u64 = (n: bigint): Buffer => {
  const b = Buffer.alloc(8);
  b.writeBigUInt64BE(n);
  return b;
};
const BODY = 'example.com/behind-the-sofa\n20852163\nCsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=\n';
const tools: SignatureTools = { ed25519: new Ed25519Verifier(), verifier: new SignatureVerifier() };
const nobleOnly: SignatureTools = { ed25519: new Ed25519Verifier(null), verifier: new SignatureVerifier() };

interface Cosigner {
  readonly name: string;
  readonly privateKey: KeyObject;
  readonly key: Vkey;
}

function cosigner(name: string): Cosigner {
  const witness = new LocalWitness({ name });
  return { name, privateKey: witness.privateKey, key: parseVkey(witness.vkey()) };
}

/** A signature line from raw parts: key ID ‖ signature bytes. */
const line = (name: string, keyId: Uint8Array, signature: Uint8Array): string =>
  `\u2014 ${name} ${b64(Buffer.concat([keyId, signature]))}\n`;

/** The cosignature/v1 signed message, written from the spec: header line, time line, the whole body. */
const v1Signature = (c: Cosigner, seconds: bigint, body: string): Buffer =>
  Buffer.concat([u64(seconds), sign(null, Buffer.from(`cosignature/v1\ntime ${seconds}\n${body}`), c.privateKey)]);

/** A GREASE-like line: an unknown name and random bytes (as real logs add, to keep verifiers honest). */
const grease = (): string =>
  line(
    'grease.invalid/x',
    createHash('sha256').update(String(Math.random())).digest().subarray(0, 4),
    createHash('sha512').update('grease').digest(),
  );

async function verdicts(note: string, keys: Vkey[], with_ = tools): Promise<KeyVerdict[]> {
  return checkKnownKeys(parseSignedNote(note), keys, with_);
}

describe('Ed25519 note signatures (type 0x01)', () => {
  it('the signed-note example verifies with its vkey', async () => {
    const key = parseVkey('example.com/foo+530d903a+AekyeRrm56hApGFkyQR4ZCbV54Id2LKaANYcrnKv3U2k');
    const note =
      'This is an example message.\n\n\u2014 example.com/foo ' +
      'Uw2QOkn8srV1yJGh2VYRlL1Tnagv1YEq6TfXppzi2ONncAlTgK7Ztg1ERYNZXsYjOBH3mFXmRKuwHjG1Yu72IneyaQM=\n';
    expect((await verdicts(note, [key]))[0]).toMatchObject({ status: 'signed' });
    expect((await verdicts(note, [key], nobleOnly))[0]).toMatchObject({ status: 'signed' });
    const changed = note.replace('example message', 'exemplary message');
    expect((await verdicts(changed, [key]))[0]).toMatchObject({
      status: 'invalid',
      reason: 'the Ed25519 signature does not verify',
    });
  });
});

describe('cosignature/v1 (type 0x04)', () => {
  const w = cosigner('witness.example/w1');
  const other = cosigner('witness.example/w2');

  it('verifies over "cosignature/v1\\ntime <t>\\n" and the body, with WebCrypto and with noble', async () => {
    const note = `${BODY}\n${line(w.name, w.key.keyId, v1Signature(w, 1679315147n, BODY))}`;
    for (const with_ of [tools, nobleOnly]) {
      expect((await verdicts(note, [w.key], with_))[0]).toEqual({
        key: w.key,
        status: 'signed',
        timestamp: 1679315147,
      });
    }
    // The test witness's own cosigner (node:crypto too) agrees with this writing of the message.
    const fromWitness = `${BODY}\n${cosignatureLine(w.name, w.privateKey, BODY, 1679315147)}`;
    expect(fromWitness).toBe(note);
  });

  it('ignores lines of unknown keys: other names, other key IDs under the name, GREASE', async () => {
    const otherId = line(w.name, Buffer.from('00000000', 'hex'), v1Signature(w, 1n, BODY).fill(7));
    const otherName = line('witness.example/w3', w.key.keyId, Buffer.alloc(72));
    const otherLine = line(other.name, other.key.keyId, v1Signature(other, 5n, BODY));
    const note = `${BODY}\n${grease()}${otherId}${otherName}${otherLine}`;
    const [mine, theirs] = await verdicts(note, [w.key, other.key]);
    expect(mine).toEqual({ key: w.key, status: 'absent' });
    expect(theirs).toMatchObject({ status: 'signed', timestamp: 5 });
  });

  it("a known key's bad signature is invalid, not ignored", async () => {
    const bad = v1Signature(w, 10n, BODY);
    bad[20]! ^= 1;
    expect((await verdicts(`${BODY}\n${line(w.name, w.key.keyId, bad)}`, [w.key]))[0]).toMatchObject({
      status: 'invalid',
      reason: 'the cosignature/v1 signature does not verify',
    });
  });

  it('the message covers the time line: another timestamp does not verify', async () => {
    const sig = v1Signature(w, 10n, BODY);
    sig.set(u64(11n), 0);
    const note = `${BODY}\n${line(w.name, w.key.keyId, sig)}`;
    expect((await verdicts(note, [w.key]))[0]).toMatchObject({ status: 'invalid' });
  });

  it('the message covers extension lines ("if present MUST be included")', async () => {
    const body = `${BODY}extension line\n`;
    const firstThree = v1Signature(w, 10n, BODY);
    const note = `${body}\n${line(w.name, w.key.keyId, firstThree)}`;
    expect((await verdicts(note, [w.key]))[0]).toMatchObject({ status: 'invalid' });
    expect(
      (await verdicts(`${body}\n${line(w.name, w.key.keyId, v1Signature(w, 10n, body))}`, [w.key]))[0],
    ).toMatchObject({ status: 'signed' });
  });

  it('domain separation: an Ed25519 signature of the bare body is not a cosignature', async () => {
    const plain = Buffer.concat([u64(10n), sign(null, Buffer.from(BODY), w.privateKey)]);
    const note = `${BODY}\n${line(w.name, w.key.keyId, plain)}`;
    expect((await verdicts(note, [w.key]))[0]).toMatchObject({ status: 'invalid' });
  });

  it('timestamped_signature: exactly 8 + 64 bytes, a timestamp up to 2^63 - 1', async () => {
    const short = v1Signature(w, 10n, BODY).subarray(0, 71);
    expect((await verdicts(`${BODY}\n${line(w.name, w.key.keyId, short)}`, [w.key]))[0]).toMatchObject({
      status: 'invalid',
      reason: 'the cosignature is 71 bytes, expected 8 + 64',
    });
    const huge = v1Signature(w, 2n ** 63n, BODY);
    expect((await verdicts(`${BODY}\n${line(w.name, w.key.keyId, huge)}`, [w.key]))[0]).toMatchObject({
      status: 'invalid',
      reason: 'the cosignature timestamp 9223372036854775808 exceeds 2^63 - 1',
    });
  });

  it('every line of a known key must verify', async () => {
    const good = line(w.name, w.key.keyId, v1Signature(w, 10n, BODY));
    const bad = line(w.name, w.key.keyId, v1Signature(w, 10n, BODY).fill(1, 8));
    expect((await verdicts(`${BODY}\n${good}${bad}`, [w.key]))[0]).toMatchObject({ status: 'invalid' });
  });
});

describe('subtree/v1 ML-DSA-44 (type 0x06)', () => {
  const fixture = (name: string): string =>
    readFileSync(new URL(`../fixtures/witness/${name}`, import.meta.url), 'utf8');
  const key = parseVkey(fixture('torchwood-mldsa44.vkey').trim());
  const note = fixture('torchwood-mldsa44.checkpoint');

  it('the torchwood litewitness checkpoint, signed by an ML-DSA-44 log with timestamp 0, verifies', async () => {
    expect((await verdicts(note, [key]))[0]).toEqual({ key, status: 'signed', timestamp: 0 });
  });

  it("a witness's ML-DSA-44 cosignature: the message (written here from the struct) commits to its name", async () => {
    const { publicKey, secretKey } = ml_dsa44.keygen(new Uint8Array(32).fill(9));
    const name = 'pq-witness.example/w1';
    const material = Buffer.concat([Buffer.of(0x06), publicKey]);
    const id = createHash('sha256').update(`${name}\n`).update(material).digest().subarray(0, 4);
    const pq = parseVkey(`${name}+${id.toString('hex')}+${b64(material)}`);
    const [origin, size, root] = BODY.split('\n') as [string, string, string];
    const message = (cosigner: string) =>
      Buffer.concat([
        Buffer.from('subtree/v1\n\0'),
        Buffer.of(cosigner.length),
        Buffer.from(cosigner),
        u64(1679315147n),
        Buffer.of(origin.length),
        Buffer.from(origin),
        u64(0n),
        u64(BigInt(size)),
        Buffer.from(root, 'base64'),
      ]);
    const cosign = (cosigner: string) =>
      line(name, id, Buffer.concat([u64(1679315147n), ml_dsa44.sign(message(cosigner), secretKey)]));
    expect((await verdicts(`${BODY}\n${cosign(name)}`, [pq]))[0]).toEqual({
      key: pq,
      status: 'signed',
      timestamp: 1679315147,
    });
    // Signed as if the cosigner were named by the origin: not this witness's statement.
    expect((await verdicts(`${BODY}\n${cosign(origin)}`, [pq]))[0]).toMatchObject({ status: 'invalid' });
  });

  it('the message commits to the origin, the size, the root and the signature', async () => {
    expect((await verdicts(note.replace('\n1\n', '\n2\n'), [key]))[0]).toMatchObject({ status: 'invalid' });
    expect((await verdicts(note.replace('+zoE', '+zoF'), [key]))[0]).toMatchObject({ status: 'invalid' });
    const flipped = note.replace(/AAAAA4eKDU=\n$/, 'AAAAA4eKCU=\n');
    expect(flipped).not.toBe(note);
    expect((await verdicts(flipped, [key]))[0]).toMatchObject({ status: 'invalid' });
  });
});

describe('RFC6962NoteSignature (type 0x05), with the log list key', () => {
  it("verifies the test log's checkpoint; another key's vkey for the origin is not used", async () => {
    const log = new LocalCtLog();
    const info = parseLogList(logListJson(log, { url: 'http://127.0.0.1:1/' }), 'list').logs[0]!;
    const note = checkpointNote('127.0.0.1:1', log.logId, log.sth(), [grease()]);
    const key = parseVkey(logVkey('127.0.0.1:1', log));
    expect((await verdicts(note, [key], { ...tools, log: info }))[0]).toMatchObject({ status: 'signed' });
    const stranger = parseVkey(logVkey('127.0.0.1:1', new LocalCtLog()));
    expect((await verdicts(note, [stranger], { ...tools, log: info }))[0]).toMatchObject({ status: 'absent' });
    log.misbehave.badSthSignature = true;
    const bad = checkpointNote('127.0.0.1:1', log.logId, log.sth());
    expect((await verdicts(bad, [key], { ...tools, log: info }))[0]).toMatchObject({ status: 'invalid' });
  });
});
