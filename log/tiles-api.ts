/**
 * The static-ct-api read path (c2sp.org/static-ct-api, "Monitoring APIs") of the test log, at its
 * base URL beside /ct/v1/ and from the same tree: `checkpoint`, hash tiles `tile/<L>/<N>[.p/<W>]`,
 * data tiles `tile/data/<N>[.p/<W>]` and `issuer/<fingerprint>`. The misbehaviour switches act
 * here too: fork (the forked tree's tiles and checkpoints), wrongProofs (the last hash of every
 * hash tile has a byte flipped), badSthSignature (the checkpoint's signature), slowMs, garbage,
 * badGzip. How it serves what real logs vary in is `log.serving` (serving.ts): realistic
 * checkpoints, gzip (content-encoding.ts), partial tiles kept or omitted once full.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { concatBytes, type Bytes } from '../src/bytes.js';
import { TILE_HEIGHT, TILE_WIDTH, parseTilePath, tileWidth } from '../src/logclient/tile-path.js';
import { checkpointBody, checkpointNote, realisticCheckpointNote } from './checkpoint-note.js';
import { encodeAnswer } from './content-encoding.js';
import type { ApiHandler } from './extra-api.js';
import type { LocalCtLog, View } from './log.js';
import { cosignaturesFor } from './witness-api.js';
import { tileLeaf } from './structs.js';

interface Answer {
  readonly status: number;
  readonly type: string;
  readonly body: Bytes;
  readonly cache?: string;
  /** A data tile: gzip-encoded without negotiation (static-ct-api, "Log entries"). */
  readonly data?: boolean;
}

const text = (status: number, message: string): Answer => ({
  status,
  type: 'text/plain; charset=utf-8',
  body: new TextEncoder().encode(`${message}\n`),
});
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
  send(log, req, res, answer);
  return true;
};

function route(log: LocalCtLog, req: IncomingMessage, path: string): Answer {
  if (path === 'checkpoint') {
    // Mutable: no caching beyond a few seconds.
    const origin = originOf(log, req);
    const sth = log.sth();
    // The witnesses' cosignatures of this very checkpoint, as extra signature lines (tlog-witness).
    const cosigned = cosignaturesFor(log, checkpointBody(origin, sth));
    const note = log.serving.realisticCheckpoints
      ? realisticCheckpointNote(origin, log.logId, sth, log.noteKey, cosigned)
      : checkpointNote(origin, log.logId, sth, cosigned);
    return { status: 200, type: 'text/plain; charset=utf-8', body: new TextEncoder().encode(note), cache: 'no-store' };
  }
  if (path.startsWith('issuer/')) {
    const fingerprint = path.slice('issuer/'.length);
    const der = /^[0-9a-f]{64}$/.test(fingerprint) ? log.issuer(fingerprint) : undefined;
    return der
      ? { status: 200, type: 'application/pkix-cert', body: der, cache: IMMUTABLE }
      : text(404, `no issuer ${fingerprint}`);
  }
  // Only the canonical paths (tlog-tiles), as src's client writes them.
  const tile = parseTilePath(path);
  if (!tile) return text(404, `not a tile path: ${path}`);
  const view = log.served();
  const available = tileWidth(tile.level, tile.index, view.tree.size);
  // A full tile once it is full; partial tiles of any width the tree has reached (the test log
  // could checkpoint every size), until the tile is full unless serving.keepPartialTiles.
  const full = tile.width === TILE_WIDTH;
  const partialServed = tile.width <= available && (available < TILE_WIDTH || log.serving.keepPartialTiles);
  const served = full ? available === TILE_WIDTH : partialServed;
  if (!served) return text(404, `${path}: the tree of size ${view.tree.size} has no such tile`);
  const first = tile.index * TILE_WIDTH;
  const body =
    tile.level === 'data'
      ? dataTile(view, first, tile.width)
      : hashTile(view, tile.level, first, tile.width, log.misbehave.wrongProofs === true);
  return { status: 200, type: 'application/octet-stream', body, cache: IMMUTABLE, data: tile.level === 'data' };
}

/** Hashes first … first+width-1 at tree height 8·level: each the MTH of 256^level leaves. */
function hashTile(view: View, level: number, first: number, width: number, wrong: boolean): Bytes {
  const hash = (i: number) => view.tree.completeNode(TILE_HEIGHT * level, first + i);
  const body = concatBytes(...Array.from({ length: width }, (_, i) => hash(i)));
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
 * The log's origin, else the address the request reached ("127.0.0.1:6962", "[::1]:6962"): the server's URL
 * without scheme and slash.
 */
function originOf(log: LocalCtLog, req: IncomingMessage): string {
  if (log.origin) return log.origin;
  const address = (req.socket.localAddress ?? '').replace(/^::ffff:/, '');
  return `${address.includes(':') ? `[${address}]` : address}:${req.socket.localPort}`;
}

function send(log: LocalCtLog, req: IncomingMessage, res: ServerResponse, answer: Answer): void {
  const { status, type, body, cache } = answer;
  let out = Buffer.from(body);
  const garbage = log.misbehave.garbage;
  if (garbage === 'not-json') out = Buffer.from('<html><body><h1>502 Bad Gateway</h1></body></html>');
  else if (garbage) out = out.subarray(0, Math.floor(out.length / 2));
  const encoded = encodeAnswer(out, {
    ok: status === 200,
    data: answer.data === true,
    gzip: log.serving.gzip,
    acceptEncoding: req.headers['accept-encoding'],
    badGzip: log.misbehave.badGzip,
  });
  res
    .writeHead(status, {
      'content-type': type,
      'content-length': String(encoded.body.length),
      ...(cache && status === 200 ? { 'cache-control': cache } : {}),
      ...encoded.headers,
    })
    .end(encoded.body);
}
