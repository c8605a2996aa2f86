/**
 * Audit figures for `npm run bench`: the time to audit one SCT of a tiled log (checkpoint, tiles,
 * proof) over loopback HTTP against the project's own CT log, with a cold tile cache (a new
 * client) and a warm one (the same client again), and the same for an RFC 6962 log; and how many
 * checkpoints a second the client opens (parse, verify) when they carry 10 signature lines, as
 * real logs' do with witnesses (issue 9).
 */
import { generateKeyPairSync } from 'node:crypto';
import { SignatureVerifier } from '../src/crypto/verify.js';
import { proveSctInclusion } from '../src/inclusion/prove-sct.js';
import { openCheckpoint } from '../src/logclient/checkpoint.js';
import { LogHttp } from '../src/logclient/http.js';
import { Rfc6962Client } from '../src/logclient/rfc6962.js';
import { StaticCtClient } from '../src/logclient/static-ct.js';
import type { LogReader } from '../src/logclient/reader.js';
import { parseLogList } from '../src/loglist/schema.js';
import { sctLeafHash } from '../src/merkle/hash.js';
import { decodeSct } from '../src/sct/decode.js';
import { x509Entry } from '../src/sct/signed-data.js';
import type { SctV1 } from '../src/sct/types.js';
import { checkpointBody, cosignatureLine, realisticCheckpointNote } from '../log/checkpoint-note.js';
import { LocalCtLog } from '../log/log.js';
import { logListJson } from '../log/log-list.js';
import { startLocalLog } from '../log/server.js';
import { createTestCa, issueWithEmbeddedScts } from '../test/support/test-pki.js';

export interface AuditFigures {
  auditTiledColdMs: number;
  auditTiledWarmMs: number;
  auditRfc6962Ms: number;
  checkpointVerifyPerSecond: number;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[xs.length >> 1]!;

export async function benchAudit(log: (line: string) => void, entries = 5000, runs = 30): Promise<AuditFigures> {
  const ca = await createTestCa('ctlens bench CA');
  const now = Math.floor(Date.now() / 1000) * 1000;
  const leaf = (
    await issueWithEmbeddedScts(ca, { notBefore: now - 86_400_000, notAfter: now + 30 * 86_400_000, logs: [] })
  ).der;
  const figures: Partial<AuditFigures> = {};
  for (const tiled of [true, false]) {
    const ctLog = new LocalCtLog({ description: tiled ? 'bench tiled log' : 'bench RFC 6962 log', tiled });
    const server = await startLocalLog(ctLog);
    try {
      // Our entry early in a tree of `entries`: its proof needs full tiles at the lower levels.
      const sct = decodeSct(ctLog.addChain([leaf, ca.der]).bytes) as SctV1;
      for (let i = 0; i < entries; i++) ctLog.addChain([leaf, ca.der]);
      const info = parseLogList(logListJson(ctLog, { url: server.url, at: now - 30 * 86_400_000 }), 'bench').logs[0]!;
      const leafHash = sctLeafHash(sct, x509Entry(leaf));
      const http = new LogHttp();
      const audit = async (client: LogReader) => {
        const t = performance.now();
        const result = await proveSctInclusion(sct, leafHash, info, {
          client,
          at: Date.now(),
          onTreeHead: async () => undefined,
        });
        if (result.status !== 'included') throw new Error(`bench audit: ${result.status}: ${result.detail}`);
        return performance.now() - t;
      };
      const make = (): LogReader => (tiled ? new StaticCtClient(info, http) : new Rfc6962Client(info, http));
      for (let i = 0; i < 5; i++) await audit(make()); // warm-up (JIT, sockets)
      if (tiled) {
        figures.auditTiledColdMs = median(await sequence(runs, () => audit(make())));
        const warm = make();
        await audit(warm);
        figures.auditTiledWarmMs = median(await sequence(runs, () => audit(warm)));
      } else {
        figures.auditRfc6962Ms = median(await sequence(runs, () => audit(make())));
      }
    } finally {
      await server.close();
    }
  }
  figures.checkpointVerifyPerSecond = await benchCheckpoint();
  const f = figures as AuditFigures;
  log(
    `Audit of one SCT over loopback, tree of ${entries + 1}: ` +
      `tiled log ${f.auditTiledColdMs.toFixed(2)} ms with a cold tile cache, ` +
      `${f.auditTiledWarmMs.toFixed(2)} ms warm; ` +
      `RFC 6962 log ${f.auditRfc6962Ms.toFixed(2)} ms`,
  );
  log(`Checkpoint with 10 signature lines, verify:           ${Math.round(f.checkpointVerifyPerSecond)}/s`);
  return f;
}

/**
 * openCheckpoint, sequentially, on one checkpoint as the local log serves it (the log's
 * RFC6962NoteSignature, its own Ed25519 cosignature, 2 GREASE lines, shuffled) plus 6 witness
 * cosignatures: 10 lines, of which the log's one is verified (ECDSA P-256) and 9 ignored.
 */
async function benchCheckpoint(seconds = 1): Promise<number> {
  const ctLog = new LocalCtLog({ tiled: true, description: 'bench checkpoint log' });
  const url = 'https://bench.ct.example/2026h2/';
  const info = parseLogList(logListJson(ctLog, { url }), 'bench').logs[0]!;
  const origin = 'bench.ct.example/2026h2';
  const sth = ctLog.sth();
  const witnesses = Array.from({ length: 6 }, (_, i) =>
    cosignatureLine(`witness${i}.example`, generateKeyPairSync('ed25519').privateKey, checkpointBody(origin, sth), 1),
  );
  const note = realisticCheckpointNote(origin, ctLog.logId, sth, ctLog.noteKey, witnesses);
  if (note.split('\n\u2014 ').length - 1 !== 10) throw new Error('bench checkpoint: expected 10 signature lines');
  const verifier = new SignatureVerifier();
  await openCheckpoint(note, info, origin, verifier); // warm-up (key import)
  let n = 0;
  const start = performance.now();
  while (performance.now() - start < seconds * 1000) {
    await openCheckpoint(note, info, origin, verifier);
    n++;
  }
  return n / ((performance.now() - start) / 1000);
}

async function sequence(n: number, fn: () => Promise<number>): Promise<number[]> {
  const out: number[] = [];
  for (let i = 0; i < n; i++) out.push(await fn());
  return out;
}
