/**
 * The test log's witness on the log's HTTP server, under `<log URL>witness/` (its submission and
 * monitoring prefix, tlog-witness "HTTP Interface"): `POST witness/add-checkpoint` and
 * `GET witness/<origin hash>/checkpoint`. And the log's side of the protocol: before serving any
 * request the log submits the checkpoint of the tree it shows witnesses (LocalCtLog.witnessSth,
 * the honest tree under `splitWitness`) with a consistency proof from the size the witness last
 * cosigned, learning that size from a 409 answer as tlog-witness describes.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { checkpointBody, checkpointNote } from './checkpoint-note.js';
import type { LocalCtLog } from './log.js';
import type { LocalWitness, WitnessAnswer } from './witness.js';
import { readBody } from './request-body.js';

const PREFIX = '/witness/';
const MAX_BODY = 64 * 1024;
const b64 = (bytes: Uint8Array): string => Buffer.from(bytes).toString('base64');

/** What the log believes each witness last cosigned, per origin. */
const known = new WeakMap<LocalWitness, Map<string, number>>();
/** The witnesses' latest add-checkpoint answers per log: the checkpoint body each cosigned, and the line. */
const cosignatures = new WeakMap<LocalCtLog, Map<string, { body: string; line: string }>>();

/**
 * The witnesses' cosignature lines (tlog-witness add-checkpoint answers) on the checkpoint `body`
 * (origin, size, root, final newline), to append to the note the log serves; none under
 * `splitWitness` when the client's tree is not the one the witnesses saw.
 */
export function cosignaturesFor(log: LocalCtLog, body: string): string[] {
  return [...(cosignatures.get(log)?.values() ?? [])].filter((c) => c.body === body).map((c) => c.line);
}

/** The log submits its witness view to `witness` (tlog-witness add-checkpoint); returns the answer. */
export function submitCheckpoint(witness: LocalWitness, log: LocalCtLog, origin: string): WitnessAnswer {
  const sizes = known.get(witness) ?? new Map<string, number>();
  known.set(witness, sizes);
  const sth = log.witnessSth();
  let answer: WitnessAnswer | undefined;
  for (let attempt = 0; attempt < 2; attempt++) {
    const old = sizes.get(origin) ?? 0;
    // A witness ahead of the tree the log shows it (a fork turned off) cannot be caught up.
    if (old > sth.treeSize) return { status: 409, type: 'text/x.tlog.size', body: `${old}\n` };
    const proof = old === 0 ? [] : log.witnessConsistencyProof(old, sth.treeSize);
    const proofLines = proof.map((h) => `${b64(h)}\n`).join('');
    const note = checkpointNote(origin, log.logId, sth);
    answer = witness.addCheckpoint(`old ${old}\n${proofLines}\n${note}`);
    if (answer.status === 200) {
      sizes.set(origin, sth.treeSize);
      const lines = cosignatures.get(log) ?? new Map<string, { body: string; line: string }>();
      cosignatures.set(log, lines);
      lines.set(witness.name, { body: checkpointBody(origin, sth), line: answer.body });
    }
    if (answer.status !== 409) return answer;
    sizes.set(origin, Number(answer.body.trim()));
  }
  return answer!;
}

/**
 * A request handler for the server: submits the log's checkpoint to the witness, then serves
 * the request when it is one of the witness's (returns true), else returns false.
 */
export function witnessHandler(witness: LocalWitness, log: LocalCtLog, origin: string) {
  witness.trustLog(origin, log);
  return async (req: IncomingMessage, res: ServerResponse): Promise<boolean> => {
    submitCheckpoint(witness, log, origin);
    const path = new URL(req.url ?? '/', 'http://log.invalid').pathname;
    if (!path.startsWith(PREFIX)) return false;
    const rest = path.slice(PREFIX.length);
    const method = rest === 'add-checkpoint' ? 'POST' : 'GET';
    let answer: WitnessAnswer;
    if (rest !== 'add-checkpoint' && !/^[0-9a-f]{64}\/checkpoint$/.test(rest)) {
      answer = { status: 404, type: 'text/plain; charset=utf-8', body: `no such witness endpoint: ${path}\n` };
    } else if (req.method !== method) {
      res.setHeader('allow', method);
      answer = { status: 405, type: 'text/plain; charset=utf-8', body: `${path} takes ${method}\n` };
    } else if (method === 'POST') {
      const body = await readBody(req, MAX_BODY);
      answer =
        body === undefined
          ? { status: 413, type: 'text/plain; charset=utf-8', body: `the body is over ${MAX_BODY} bytes\n` }
          : witness.addCheckpoint(Buffer.from(body).toString('utf8'));
    } else {
      answer = witness.retrieve(rest.slice(0, 64));
    }
    const length = String(Buffer.byteLength(answer.body));
    res.writeHead(answer.status, { 'content-type': answer.type, 'content-length': length });
    res.end(answer.body);
    return true;
  };
}
