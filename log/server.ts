/**
 * The HTTP front end of the test log: RFC 6962 §4's JSON API under /ct/v1/ on node:http.
 * Input is checked strictly (unknown, missing, repeated or malformed parameters are 400s);
 * the log's `misbehave.slowMs` and `misbehave.garbage` act here.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { EXTRA_APIS } from './extra-api.js';
import type { AddressInfo } from 'node:net';
import { fromBase64, toBase64, type Bytes } from '../src/bytes.js';
import { LogInputError, type IssuedSct, type LocalLogEntry, type LocalCtLog } from './log.js';
import type { LocalWitness } from './witness.js';
import { witnessHandler } from './witness-api.js';
import { readBody } from './request-body.js';

export interface LocalLogServerOptions {
  /** Default 0: a free port. */
  readonly port?: number;
  /** Default 127.0.0.1. */
  readonly host?: string;
  /**
   * A witness served under <url>witness/ (witness-api.ts), trusting the log's checkpoints with the
   * log's origin (default the server's host:port); the log submits its checkpoint before each request.
   */
  readonly witness?: LocalWitness;
}

export interface LocalLogServer {
  /** The log's base URL, e.g. http://127.0.0.1:6962/ (endpoints are under ct/v1/). */
  readonly url: string;
  /** The witness's submission and monitoring prefix, when one was given. */
  readonly witnessUrl?: string;
  close(): Promise<void>;
}

class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

const MAX_BODY = 1 << 20;
const PREFIX = '/ct/v1/';

type Json = unknown;
type Params = Record<string, string>;

interface Endpoint {
  readonly method: 'GET' | 'POST';
  /** The query parameters, all required. */
  readonly params: readonly string[];
  readonly run: (log: LocalCtLog, params: Params, body: Json) => Json;
}

/** §4.1: the SCT's fields, each binary one base64. */
const sctJson = (sct: IssuedSct): Json => ({
  sct_version: 0,
  id: toBase64(sct.logId),
  timestamp: sct.timestamp,
  extensions: toBase64(sct.extensions),
  signature: toBase64(sct.signature),
});

const ENDPOINTS: Record<string, Endpoint> = {
  // §4.1
  'add-chain': { method: 'POST', params: [], run: (log, _, body) => sctJson(log.addChain(chainFrom(body))) },
  // §4.2
  'add-pre-chain': { method: 'POST', params: [], run: (log, _, body) => sctJson(log.addPreChain(chainFrom(body))) },
  // §4.3
  'get-sth': {
    method: 'GET',
    params: [],
    run: (log) => {
      const sth = log.sth();
      return {
        tree_size: sth.treeSize,
        timestamp: sth.timestamp,
        sha256_root_hash: toBase64(sth.rootHash),
        tree_head_signature: toBase64(sth.signature),
      };
    },
  },
  // §4.4
  'get-sth-consistency': {
    method: 'GET',
    params: ['first', 'second'],
    run: (log, p) => ({ consistency: log.consistencyProof(decimal(p, 'first'), decimal(p, 'second')).map(toBase64) }),
  },
  // §4.5
  'get-proof-by-hash': {
    method: 'GET',
    params: ['hash', 'tree_size'],
    run: (log, p) => {
      const treeSize = decimal(p, 'tree_size');
      const proof = log.proofByHash(base64Param(p, 'hash'), treeSize);
      if (!proof) throw new HttpError(404, `no leaf with hash ${p.hash} in the tree of size ${treeSize}`);
      return { leaf_index: proof.leafIndex, audit_path: proof.auditPath.map(toBase64) };
    },
  },
  // §4.6
  'get-entries': {
    method: 'GET',
    params: ['start', 'end'],
    run: (log, p) => {
      const entries = log.entries(decimal(p, 'start'), decimal(p, 'end'));
      return new RawJson(`{"entries":[${entries.map(entryJson).join(',')}]}`);
    },
  },
  // §4.7: any root is accepted; the log's `roots` (default none) are listed.
  'get-roots': { method: 'GET', params: [], run: (log) => ({ certificates: log.roots.map(toBase64) }) },
};

/** JSON text written as is (get-entries: each entry's JSON encoded once, then kept). */
class RawJson {
  constructor(readonly text: string) {}
}

/** Entries never change once merged (a fork's replacement is its own object): their JSON is kept with them. */
const entryJsonCache = new WeakMap<LocalLogEntry, string>();
function entryJson(e: LocalLogEntry): string {
  let json = entryJsonCache.get(e);
  if (json === undefined) {
    const b64 = (bytes: Bytes) => Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length).toString('base64');
    json = `{"leaf_input":"${b64(e.leafInput)}","extra_data":"${b64(e.extraData)}"}`;
    entryJsonCache.set(e, json);
  }
  return json;
}

/**
 * `misbehave.rateLimit`: answers 429 (with Retry-After when set) while requests remain, counting
 * them down; true when it answered.
 */
function rateLimited(log: LocalCtLog, res: ServerResponse): boolean {
  const limit = log.misbehave.rateLimit;
  if (!limit || limit.requests <= 0) return false;
  limit.requests--;
  const retryAfter = limit.retryAfter === undefined ? {} : { 'retry-after': limit.retryAfter };
  const headers = { 'content-type': 'application/json', ...retryAfter };
  res.writeHead(429, headers).end(JSON.stringify({ error: 'too many requests' }));
  return true;
}

/** Starts serving `log` over HTTP; `close()` stops it and drops open connections. */
export async function startLocalLog(log: LocalCtLog, options: LocalLogServerOptions = {}): Promise<LocalLogServer> {
  const timers = new Set<NodeJS.Timeout>();
  const delay = (ms: number): Promise<void> =>
    new Promise((resolve) => {
      const timer = setTimeout(() => {
        timers.delete(timer);
        resolve();
      }, ms);
      timers.add(timer);
    });
  let witness: ReturnType<typeof witnessHandler> | undefined;
  const server = createServer((req, res) => {
    void (async () => {
      if (rateLimited(log, res)) return req.resume();
      if (witness && (await witness(req, res))) return;
      for (const api of EXTRA_APIS) if (await api(log, req, res)) return;
      await respond(log, req, res, delay);
    })().catch(() => res.destroy());
  });
  const host = options.host ?? '127.0.0.1';
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;
  const hostPort = `${host.includes(':') ? `[${host}]` : host}:${port}`;
  if (options.witness) witness = witnessHandler(options.witness, log, log.origin ?? hostPort);
  return {
    url: `http://${hostPort}/`,
    ...(options.witness ? { witnessUrl: `http://${hostPort}/witness` } : {}),
    close: () =>
      new Promise<void>((resolve) => {
        for (const timer of timers) clearTimeout(timer);
        timers.clear();
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

async function respond(
  log: LocalCtLog,
  req: IncomingMessage,
  res: ServerResponse,
  delay: (ms: number) => Promise<void>,
): Promise<void> {
  let status = 200;
  let json: Json;
  const headers: Record<string, string> = {};
  try {
    const body = await readBody(req, MAX_BODY);
    if (body === undefined) throw new HttpError(413, `the body is over ${MAX_BODY} bytes`);
    const slowMs = log.misbehave.slowMs ?? 0;
    if (slowMs > 0) await delay(slowMs);
    json = route(log, req, body, headers);
  } catch (e) {
    if (e instanceof HttpError) status = e.status;
    else if (e instanceof LogInputError) status = 400;
    else status = 500;
    json = { error: (e as Error).message };
  }
  let text = json instanceof RawJson ? json.text : JSON.stringify(json);
  const garbage = log.misbehave.garbage;
  if (garbage === 'not-json') text = '<html><body><h1>502 Bad Gateway</h1></body></html>';
  else if (garbage) text = text.slice(0, Math.floor(text.length / 2));
  res
    .writeHead(status, {
      'content-type': 'application/json',
      'content-length': String(Buffer.byteLength(text)),
      ...headers,
    })
    .end(text);
}

function route(log: LocalCtLog, req: IncomingMessage, body: Bytes, headers: Record<string, string>): Json {
  const url = new URL(req.url ?? '/', 'http://log.invalid');
  const name = url.pathname.startsWith(PREFIX) ? url.pathname.slice(PREFIX.length) : undefined;
  const endpoint = name === undefined ? undefined : ENDPOINTS[name];
  if (!endpoint) throw new HttpError(404, `no such endpoint: ${url.pathname}`);
  if (req.method !== endpoint.method) {
    headers.allow = endpoint.method;
    throw new HttpError(405, `${name} takes ${endpoint.method}, not ${req.method}`);
  }
  const params = queryParams(url.searchParams, endpoint.params);
  return endpoint.run(log, params, endpoint.method === 'POST' ? jsonBody(body) : undefined);
}

/** Exactly the named parameters, each once. */
function queryParams(search: URLSearchParams, names: readonly string[]): Params {
  const params: Params = {};
  for (const [key, value] of search) {
    if (!names.includes(key)) throw new LogInputError(`unknown parameter "${key}"`);
    if (key in params) throw new LogInputError(`parameter "${key}" is repeated`);
    params[key] = value;
  }
  for (const key of names) if (!(key in params)) throw new LogInputError(`missing parameter "${key}"`);
  return params;
}

/** A decimal whole number without sign, leading zeros or exponent. */
function decimal(params: Params, name: string): number {
  const text = params[name]!;
  const n = Number(text);
  if (!/^(0|[1-9][0-9]*)$/.test(text) || !Number.isSafeInteger(n))
    throw new LogInputError(`${name}: "${text}" is not a whole decimal number`);
  return n;
}

/** Strict base64. A '+' sent unescaped arrives as ' ' (form decoding); base64 has no spaces, so it is taken back. */
function base64Param(params: Params, name: string): Bytes {
  try {
    return fromBase64(params[name]!.replaceAll(' ', '+'));
  } catch (e) {
    throw new LogInputError(`${name}: ${(e as Error).message}`);
  }
}

function jsonBody(body: Bytes): Json {
  try {
    return JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(body));
  } catch (e) {
    throw new LogInputError(`the body is not JSON: ${(e as Error).message}`);
  }
}

/** §4.1: `{ "chain": [base64 DER, ...] }`, leaf first. */
function chainFrom(body: Json): Bytes[] {
  if (typeof body !== 'object' || body === null || Array.isArray(body))
    throw new LogInputError('the body must be a JSON object');
  const keys = Object.keys(body);
  if (keys.length !== 1 || keys[0] !== 'chain') throw new LogInputError('the body must hold exactly "chain"');
  const chain = (body as { chain: unknown }).chain;
  if (!Array.isArray(chain) || chain.length === 0) throw new LogInputError('"chain" must be a non-empty array');
  return chain.map((item, i) => {
    if (typeof item !== 'string' || item.length === 0)
      throw new LogInputError(`chain[${i}] must be a non-empty base64 string`);
    try {
      return fromBase64(item);
    } catch (e) {
      throw new LogInputError(`chain[${i}]: ${(e as Error).message}`);
    }
  });
}
