/**
 * A static-ct-api log as files on disk, for the monitor's benchmark at sizes the in-memory local
 * log cannot hold (1,000,000 entries): data tiles (TileLeaf entries, log/structs.ts), hash
 * tiles at every level (c2sp.org/tlog-tiles), the issuer, and a checkpoint signed by the local
 * log's key (log/checkpoint-note.ts), served from the directory by a plain HTTP file server
 * on loopback. Entries are copies of one certificate with serials 1…n (withSerial). Written in one
 * pass keeping O(tiles) hashes: the tree's root comes from a compact range.
 */
import { sign } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { dirname, join, normalize } from 'node:path';
import { concatBytes, sha256, toHex, type Bytes } from '../src/bytes.js';
import { TILE_WIDTH, tilePath, tileWidth } from '../src/logclient/tile-path.js';
import { CompactRange } from '../src/merkle/compact-range.js';
import { leafHash, nodeHash } from '../src/merkle/hash.js';
import { leafIndexExtensions } from '../src/sct/extensions.js';
import { x509Entry } from '../src/sct/signed-data.js';
import { checkpointNote } from '../log/checkpoint-note.js';
import type { LocalCtLog } from '../log/log.js';
import { digitallySigned, merkleTreeLeaf, tileLeaf, treeHeadSignatureInput } from '../log/structs.js';
import { withSerial } from '../test/support/monitor-certs.js';

/** The root of a perfect subtree from its 2^k hashes. */
function perfectRoot(hashes: readonly Bytes[]): Bytes {
  let level = hashes;
  while (level.length > 1) {
    level = Array.from({ length: level.length / 2 }, (_, i) => nodeHash(level[2 * i]!, level[2 * i + 1]!));
  }
  return level[0]!;
}

function write(dir: string, path: string, bytes: Bytes | string): void {
  const file = join(dir, path);
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, bytes);
}

/**
 * Writes the tile set of `count` entries to `dir`, signed with `log`'s key under `origin`;
 * returns the bytes of data tiles written.
 */
export function writeTileSet(
  dir: string,
  log: LocalCtLog,
  origin: string,
  count: number,
  template: Bytes,
  issuer: Bytes,
): number {
  const range = CompactRange.empty();
  // The hashes of each level's current tile: level 0 holds leaf hashes, level l the roots of 256^l leaves.
  const levels: Bytes[][] = [[]];
  let dataBytes = 0;
  let dataTile: Bytes[] = [];
  const timestamp = Date.now();
  for (let i = 0; i < count; i++) {
    const der = withSerial(template, i + 1);
    const leafInput = merkleTreeLeaf(timestamp, x509Entry(der), leafIndexExtensions(i));
    const hash = leafHash(leafInput);
    range.append(hash);
    dataTile.push(tileLeaf(leafInput, false, [der, issuer]));
    levels[0]!.push(hash);
    if (dataTile.length === TILE_WIDTH) {
      const body = concatBytes(...dataTile);
      dataBytes += body.length;
      write(dir, tilePath({ level: 'data', index: Math.floor(i / TILE_WIDTH), width: TILE_WIDTH }), body);
      dataTile = [];
    }
    // Each full tile is written, and its root joins the level above.
    for (let level = 0; levels[level]!.length === TILE_WIDTH; level++) {
      const full = levels[level]!;
      const index = Math.floor(i / TILE_WIDTH ** (level + 1));
      write(dir, tilePath({ level, index, width: TILE_WIDTH }), concatBytes(...full));
      (levels[level + 1] ??= []).push(perfectRoot(full));
      levels[level] = [];
    }
  }
  // The partial tiles of this tree size (static-ct-api, "Partial Tiles").
  if (dataTile.length) {
    const body = concatBytes(...dataTile);
    dataBytes += body.length;
    write(dir, tilePath({ level: 'data', index: Math.floor(count / TILE_WIDTH), width: dataTile.length }), body);
  }
  levels.forEach((hashes, level) => {
    if (hashes.length === 0) return;
    const index = Math.floor(count / TILE_WIDTH ** (level + 1));
    if (tileWidth(level, index, count) !== hashes.length) {
      throw new Error(`tile ${level}/${index}: ${hashes.length} hashes`);
    }
    write(dir, tilePath({ level, index, width: hashes.length }), concatBytes(...hashes));
  });
  const rootHash = range.root();
  const signed = sign('sha256', treeHeadSignatureInput(timestamp, count, rootHash), log.privateKey);
  const signature = digitallySigned(new Uint8Array(signed));
  write(dir, 'checkpoint', checkpointNote(origin, log.logId, { treeSize: count, timestamp, rootHash, signature }));
  write(dir, `issuer/${toHex(sha256(issuer))}`, issuer);
  return dataBytes;
}

/** Serves `dir` read-only on 127.0.0.1 (404 for anything missing); returns the base URL and a stop. */
export async function serveDirectory(dir: string): Promise<{ url: string; close: () => Promise<void> }> {
  const server = createServer((req, res) => {
    const path = normalize(decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname)).replace(/^\/+/, '');
    if (path.startsWith('..')) return void res.writeHead(404).end();
    try {
      const body = readFileSync(join(dir, path));
      const headers = { 'content-length': String(body.length), 'content-type': 'application/octet-stream' };
      res.writeHead(200, headers).end(body);
    } catch {
      res.writeHead(404).end();
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/`,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
