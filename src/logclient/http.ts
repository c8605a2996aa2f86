/**
 * Fetching from CT logs, with the hygiene a client of untrusted servers needs: HTTPS only (plain
 * HTTP to loopback for local test logs), a timeout, bounded retries with backoff, a response size
 * limit, strict JSON (or raw bytes), and one request in flight per URL. Platform-free (fetch).
 */
import { BodyReadError, readBodyLimited } from '../http-body.js';

/** What went wrong, as the audit reports it: unavailable is never misbehaviour. */
export type LogHttpFailure = 'unavailable' | 'rate-limited' | 'not-found' | 'malformed' | 'refused';

export class LogHttpError extends Error {
  override name = 'LogHttpError';
  constructor(readonly kind: LogHttpFailure, message: string, readonly status?: number) {
    super(message);
  }
}

export interface HttpPolicy {
  readonly timeoutMs: number;
  /** Further attempts after the first, for network failures, 5xx and 429. */
  readonly retries: number;
  readonly backoffMs: number;
  readonly maxBytes: number;
}

export const DEFAULT_HTTP_POLICY: HttpPolicy = { timeoutMs: 15_000, retries: 2, backoffMs: 500, maxBytes: 4 * 1024 * 1024 };

const LOOPBACK = new Set(['127.0.0.1', 'localhost', '[::1]', '::1']);

/** Refuses anything but HTTPS, or HTTP to loopback. */
export function checkLogUrl(url: string): URL {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new LogHttpError('refused', `${url}: not a URL`);
  }
  if (parsed.protocol === 'https:') return parsed;
  if (parsed.protocol === 'http:' && (LOOPBACK.has(parsed.hostname) || parsed.hostname.startsWith('127.'))) return parsed;
  throw new LogHttpError('refused', `${url}: logs are reached over HTTPS only (plain HTTP only on loopback)`);
}

export class LogHttp {
  private readonly inFlight = new Map<string, Promise<unknown>>();

  constructor(private readonly policy: HttpPolicy = DEFAULT_HTTP_POLICY, private readonly sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms))) {}

  /** GET and parse JSON. Concurrent calls for one URL share one request. */
  getJson(url: string): Promise<unknown> {
    return this.shared(`json ${url}`, () => this.request(url, undefined, 'json'));
  }

  /**
   * GET the body as bytes (static-ct-api tiles, checkpoints): the same timeout, retries, size
   * limit and URL rules. Concurrent calls for one URL share one request.
   */
  getBytes(url: string): Promise<Uint8Array> {
    return this.shared(`bytes ${url}`, () => this.request(url, undefined, 'bytes')) as Promise<Uint8Array>;
  }

  /** POST JSON and parse the JSON answer (not shared: each submission is its own). */
  postJson(url: string, body: unknown): Promise<unknown> {
    return this.request(url, JSON.stringify(body), 'json');
  }

  private shared(key: string, start: () => Promise<unknown>): Promise<unknown> {
    let pending = this.inFlight.get(key);
    if (!pending) {
      pending = start().finally(() => this.inFlight.delete(key));
      this.inFlight.set(key, pending);
    }
    return pending;
  }

  private async request(url: string, body: string | undefined, as: 'json' | 'bytes'): Promise<unknown> {
    checkLogUrl(url);
    let last: LogHttpError | undefined;
    for (let attempt = 0; attempt <= this.policy.retries; attempt++) {
      if (attempt) await this.sleep(this.policy.backoffMs * 2 ** (attempt - 1));
      try {
        return await this.once(url, body, as);
      } catch (e) {
        if (!(e instanceof LogHttpError)) throw e;
        last = e;
        if (e.kind !== 'unavailable' && e.kind !== 'rate-limited') throw e;
      }
    }
    throw last!;
  }

  private async once(url: string, body: string | undefined, as: 'json' | 'bytes'): Promise<unknown> {
    let response: Response;
    try {
      response = await fetch(url, {
        method: body === undefined ? 'GET' : 'POST',
        body,
        headers: as === 'bytes' ? { accept: '*/*' } : body === undefined ? { accept: 'application/json' } : { 'content-type': 'application/json', accept: 'application/json' },
        signal: AbortSignal.timeout(this.policy.timeoutMs),
        redirect: 'error',
        credentials: 'omit',
      });
    } catch (e) {
      const timeout = (e as Error).name === 'TimeoutError';
      const cause = (e as { cause?: { code?: string } }).cause?.code;
      throw new LogHttpError('unavailable', `${url}: ${timeout ? `no answer within ${this.policy.timeoutMs} ms` : `fetch failed${cause ? `: ${cause}` : ''}`}`);
    }
    if (!response.ok) {
      await response.body?.cancel().catch(() => undefined);
      const kind: LogHttpFailure = response.status === 429 ? 'rate-limited' : response.status === 404 ? 'not-found' : response.status >= 500 ? 'unavailable' : 'malformed';
      throw new LogHttpError(kind, `${url}: HTTP ${response.status}`, response.status);
    }
    const bytes = await readLimited(response, this.policy.maxBytes, url);
    if (as === 'bytes') return bytes;
    let text: string;
    try {
      text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
    } catch {
      throw new LogHttpError('malformed', `${url}: response is not UTF-8`);
    }
    try {
      return JSON.parse(text);
    } catch (e) {
      throw new LogHttpError('malformed', `${url}: response is not JSON (${(e as Error).message})`);
    }
  }
}

async function readLimited(response: Response, maxBytes: number, url: string): Promise<Uint8Array> {
  try {
    return await readBodyLimited(response, maxBytes);
  } catch (e) {
    if (e instanceof BodyReadError) throw new LogHttpError(e.reason === 'broken' ? 'unavailable' : 'malformed', `${url}: ${e.message}`);
    throw e;
  }
}
