/**
 * The static-ct-api read path (c2sp.org/static-ct-api, "Monitoring APIs") of the test log, at its
 * base URL beside /ct/v1/ and from the same tree: `checkpoint`, hash tiles `tile/<L>/<N>[.p/<W>]`,
 * data tiles `tile/data/<N>[.p/<W>]` and `issuer/<fingerprint>`. The misbehaviour switches act
 * here too: fork (the forked tree's tiles and checkpoints), wrongProofs (the last hash of every
 * hash tile has a byte flipped), badSthSignature (the checkpoint's signature), slowMs, garbage.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { concatBytes, type Bytes } from '../../src/bytes.js';
import { checkpointNote } from './checkpoint-note.js';
import type { ApiHandler } from './extra-api.js';
import type { TestCtLog, View } from './log.js';
import { tileLeaf } from './structs.js';

/** Hashes (or entries) in a full tile; tiles are 8 tree levels high (tlog-tiles). */
const FULL = 256;
/** static-ct-api: `<L>` is 0 to 5. */
const MAX_LEVEL = 5;

interface Answer {
  readonly status: number;
  readonly type: string;
  readonly body: Bytes;
  readonly cache?: string;
}

const text = (status: number, message: string): Answer => ({ status, type: 'text/plain; charset=utf-8', body: new TextEncoder().encode(`${message}\n`) });
const IMMUTABLE = 'public, max-age=31536000, immutable';

export const handleTiles: ApiHandler = async (log, req, res) => {
  const path = new URL(req.url ?? '/', 'http://log.invalid').pathname;
  if (path !== '/checkpoint' && !path.startsWith('/tile/') && !path.startsWith('/issuer/')) return false;
  const slowMs = log.misbehave.slowMs ?? 0;
  if (slowMs > 0) await new Promise((resolve) => setTimeout(resolve, slowMs).unref());
  let answer: Answer;
  if (req.method !== 'GET') {
    res.setHeader('allow', 'GET');
    answer = text(405, `${path} takes GET, not ${req.method}`);
  } else {
    answer = route(log, req, path.slice(1));
  }
  send(log, res, answer);
  return true;
};

function route(log: TestCtLog, req: IncomingMessage, path: string): Answer {
  if (path === 'checkpoint') {
    // Mutable: no caching beyond a few seconds.
    const note = checkpointNote(originOf(log, req), log.logId, log.sth());
    return { status: 200, type: 'text/plain; charset=utf-8', body: new TextEncoder().encode(note), cache: 'no-store' };
  }
  if (path.startsWith('issuer/')) {
    const fingerprint = path.slice('issuer/'.length);
    const der = /^[0-9a-f]{64}$/.test(fingerprint) ? log.issuer(fingerprint) : undefined;
    return der ? { status: 200, type: 'application/pkix-cert', body: der, cache: IMMUTABLE } : text(404, `no issuer ${fingerprint}`);
  }
  const tile = parseTile(path);
  if (!tile) return text(404, `not a tile path: ${path}`);
  const view = log.served();
  const level = tile.level === 'data' ? 0 : tile.level;
  // The tree has floor(size / 256^L) hashes at tile level L; this tile holds up to 256 of them.
  const available = Math.max(0, Math.min(FULL, Math.floor(view.tree.size / FULL ** level) - tile.index * FULL));
  // A full tile once it is full; partial tiles of any width the tree has reached until then.
  const served = tile.width === FULL ? available === FULL : available < FULL && tile.width <= available;
  if (!served) return text(404, `${path}: the tree of size ${view.tree.size} has no such tile`);
  const first = tile.index * FULL;
  const body = tile.level === 'data' ? dataTile(view, first, tile.width) : hashTile(view, tile.level, first, tile.width, log.misbehave.wrongProofs === true);
  return { status: 200, type: 'application/octet-stream', body, cache: IMMUTABLE };
}

/** Hashes first … first+width-1 at tree height 8·level: each the MTH of 256^level leaves. */
function hashTile(view: View, level: number, first: number, width: number, wrong: boolean): Bytes {
  const body = concatBytes(...Array.from({ length: width }, (_, i) => view.tree.completeNode(8 * level, first + i)));
  if (wrong) body[body.length - 1]! ^= 0x01;
  return body;
}

/** TileLeaf entries first … first+width-1 (static-ct-api, "Log entries"). */
function dataTile(view: View, first: number, width: number): Bytes {
  return concatBytes(
    ...Array.from({ length: width }, (_, i) => {
      const entry = view.entry(first + i);
      return tileLeaf(entry.leafInput, entry.entry.type === 'precert_entry', entry.chain);
    }),
  );
}

/**
 * `tile/<L>/<N>[.p/<W>]`: L 0..5 or `data`; N in 3-digit elements, all but the last prefixed
 * with `x`, without leading zero elements; W 1..255. Anything else is undefined.
 */
function parseTile(path: string): { level: number | 'data'; index: number; width: number } | undefined {
  const parts = path.split('/');
  if (parts[0] !== 'tile' || parts.length < 3) return undefined;
  const levelText = parts[1]!;
  let level: number | 'data';
  if (levelText === 'data') level = 'data';
  else if (/^[0-5]$/.test(levelText)) level = Number(levelText);
  else return undefined;
  let rest = parts.slice(2);
  let width = FULL;
  const last = rest.at(-1)!;
  if (rest.length >= 2 && rest.at(-2)!.endsWith('.p')) {
    if (!/^[1-9][0-9]{0,2}$/.test(last) || Number(last) >= FULL) return undefined;
    width = Number(last);
    rest = [...rest.slice(0, -2), rest.at(-2)!.slice(0, -2)];
  }
  let digits = '';
  for (const [i, element] of rest.entries()) {
    const isLast = i === rest.length - 1;
    if (!(isLast ? /^[0-9]{3}$/ : /^x[0-9]{3}$/).test(element)) return undefined;
    if (i === 0 && !isLast && element === 'x000') return undefined;
    digits += isLast ? element : element.slice(1);
  }
  const index = Number(digits);
  if (!Number.isSafeInteger(index) || (level !== 'data' && level > MAX_LEVEL)) return undefined;
  return { level, index, width };
}

/** The log's origin, else the address the request reached ("127.0.0.1:6962", "[::1]:6962"): the server's URL without scheme and slash. */
function originOf(log: TestCtLog, req: IncomingMessage): string {
  if (log.origin) return log.origin;
  const address = (req.socket.localAddress ?? '').replace(/^::ffff:/, '');
  return `${address.includes(':') ? `[${address}]` : address}:${req.socket.localPort}`;
}

function send(log: TestCtLog, res: ServerResponse, { status, type, body, cache }: Answer): void {
  let out = Buffer.from(body);
  const garbage = log.misbehave.garbage;
  if (garbage === 'not-json') out = Buffer.from('<html><body><h1>502 Bad Gateway</h1></body></html>');
  else if (garbage) out = out.subarray(0, Math.floor(out.length / 2));
  res.writeHead(status, { 'content-type': type, 'content-length': String(out.length), ...(cache && status === 200 ? { 'cache-control': cache } : {}) }).end(out);
}
