/**
 * Fetching from CT logs, with the hygiene a client of untrusted servers needs: HTTPS only (plain
 * HTTP to loopback for local test logs), a timeout, bounded retries with backoff, a response size
 * limit (on the decoded bytes: http-body.ts), strict JSON (or raw bytes), and one request in flight
 * per URL. Platform-free (fetch). A refusal (4xx) carries what the log said about it.
 */
import { BodyReadError, contentEncoding, readBodyLimited } from '../http-body.js';

/** What went wrong, as the audit reports it: unavailable is never misbehaviour. */
export type LogHttpFailure = 'unavailable' | 'rate-limited' | 'not-found' | 'malformed' | 'refused';

export class LogHttpError extends Error {
  override name = 'LogHttpError';
  constructor(
    readonly kind: LogHttpFailure,
    message: string,
    readonly status?: number,
    /** How long the log asked to wait (RFC 9110 §10.2.3 Retry-After, on a 429 or 503), ms. */
    readonly retryAfterMs?: number,
  ) {
    super(message);
  }
}

/** RFC 9110 §10.2.3: Retry-After = HTTP-date / delay-seconds, as ms from `now`; undefined when absent or unreadable */
function retryAfterMs(value: string | null, now = Date.now()): number | undefined {
  if (value === null) return undefined;
  const text = value.trim();
  if (/^\d{1,9}$/.test(text)) return Number(text) * 1000;
  const at = /^[A-Za-z]{3}, \d\d [A-Za-z]{3} \d{4} \d\d:\d\d:\d\d GMT$/.test(text) ? Date.parse(text) : NaN;
  return Number.isNaN(at) ? undefined : Math.max(0, at - now);
}

export interface HttpPolicy {
  readonly timeoutMs: number;
  /** Further attempts after the first, for network failures, 5xx and 429. */
  readonly retries: number;
  readonly backoffMs: number;
  readonly maxBytes: number;
}

const DEFAULT_HTTP_POLICY: HttpPolicy = {
  timeoutMs: 15_000,
  retries: 2,
  backoffMs: 500,
  maxBytes: 4 * 1024 * 1024,
};

const LOOPBACK = new Set(['127.0.0.1', 'localhost', '[::1]', '::1']);

/**
 * static-ct-api v1.1.0, "Log entries": "Clients MUST support Content-Encoding: gzip ... Clients
 * SHOULD include gzip and identity in their Accept-Encoding headers." Node's fetch sends this;
 * browsers treat Accept-Encoding as theirs to set (a forbidden request header, silently left out)
 * and send their own, which has gzip. Either way fetch decodes the body.
 */
const ACCEPT_ENCODING = 'gzip, identity';
/** How much of an error answer is read for the log's reason (the rest is dropped). */
const MAX_ERROR_BYTES = 4096;
/** How much of the log's reason goes into the message. */
const MAX_REASON_CHARS = 300;

/** A body as read, and the content coding fetch decoded it from (undefined: identity). */
export interface LogBody {
  readonly bytes: Uint8Array;
  readonly encoding: string | undefined;
}

/**
 * For a body that does not parse: fetch decodes gzip leniently, so a gzip stream cut short arrives
 * as a short body (http-body.ts). Said when the body came gzip-encoded; '' otherwise.
 */
export const gzipHint = (body: LogBody): string =>
  body.encoding === undefined
    ? ''
    : ` (it came with Content-Encoding: ${body.encoding}; a gzip stream cut short decodes short)`;

/** Refuses anything but HTTPS, or HTTP to loopback. */
function checkLogUrl(url: string): URL {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new LogHttpError('refused', `${url}: not a URL`);
  }
  if (parsed.protocol === 'https:') return parsed;
  const loopback = LOOPBACK.has(parsed.hostname) || parsed.hostname.startsWith('127.');
  if (parsed.protocol === 'http:' && loopback) return parsed;
  throw new LogHttpError('refused', `${url}: logs are reached over HTTPS only (plain HTTP only on loopback)`);
}

export class LogHttp {
  private readonly inFlight = new Map<string, Promise<unknown>>();

  constructor(
    private readonly policy: HttpPolicy = DEFAULT_HTTP_POLICY,
    private readonly sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms)),
  ) {}

  /** GET and parse JSON. Concurrent calls for one URL share one request. */
  getJson(url: string): Promise<unknown> {
    return this.shared(`json ${url}`, () => this.request(url, undefined, 'json'));
  }

  /**
   * GET the body as bytes (static-ct-api tiles, checkpoints): the same timeout, retries, size
   * limit and URL rules. Concurrent calls for one URL share one request.
   */
  async getBytes(url: string): Promise<Uint8Array> {
    return (await this.getBody(url)).bytes;
  }

  /** As getBytes, with the content coding the body came in (to explain a body a truncated gzip cut short). */
  getBody(url: string): Promise<LogBody> {
    return this.shared(`bytes ${url}`, () => this.request(url, undefined, 'bytes')) as Promise<LogBody>;
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
        headers: {
          accept: as === 'bytes' ? '*/*' : 'application/json',
          'accept-encoding': ACCEPT_ENCODING,
          ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        },
        signal: AbortSignal.timeout(this.policy.timeoutMs),
        redirect: 'error',
        credentials: 'omit',
      });
    } catch (e) {
      const timeout = (e as Error).name === 'TimeoutError';
      const cause = (e as { cause?: { code?: string } }).cause?.code;
      const why = timeout ? `no answer within ${this.policy.timeoutMs} ms` : `fetch failed${cause ? `: ${cause}` : ''}`;
      throw new LogHttpError('unavailable', `${url}: ${why}`);
    }
    if (!response.ok) {
      const status = response.status;
      const kind: LogHttpFailure =
        status === 429 ? 'rate-limited' : status === 404 ? 'not-found' : status >= 500 ? 'unavailable' : 'malformed';
      const reason = status >= 400 && status < 500 ? await logReason(response) : undefined;
      if (reason === undefined) await response.body?.cancel().catch(() => undefined);
      const wait = status === 429 || status === 503 ? retryAfterMs(response.headers.get('retry-after')) : undefined;
      throw new LogHttpError(kind, `${url}: HTTP ${status}${reason ? `: the log says "${reason}"` : ''}`, status, wait);
    }
    const bytes = await readLimited(response, this.policy.maxBytes, url);
    if (as === 'bytes') return { bytes, encoding: contentEncoding(response) } satisfies LogBody;
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

/**
 * Why the log refused the request, from the first bytes of its answer: RFC 9162 §5's
 * `error_message` (or an `error` / `message` string, as RFC 6962 logs write it) of a JSON body,
 * else the text itself; whitespace and control characters folded into single spaces, shortened.
 * Undefined when there is no readable text. Never throws.
 */
async function logReason(response: Response): Promise<string | undefined> {
  let text: string;
  try {
    const bytes = await readBodyLimited(response, MAX_ERROR_BYTES);
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    await response.body?.cancel().catch(() => undefined);
    return undefined;
  }
  try {
    const json: unknown = JSON.parse(text);
    if (typeof json === 'object' && json !== null) {
      const fields = json as Record<string, unknown>;
      const said = [fields.error_message, fields.error, fields.message].find((v) => typeof v === 'string');
      if (typeof said === 'string') text = said;
    }
  } catch {
    // Not JSON: the text is the reason.
  }
  const folded = text.replace(/[\s\u0000-\u001f\u007f-\u009f]+/g, ' ').trim();
  if (folded === '') return undefined;
  return folded.length > MAX_REASON_CHARS ? `${folded.slice(0, MAX_REASON_CHARS)}…` : folded;
}

async function readLimited(response: Response, maxBytes: number, url: string): Promise<Uint8Array> {
  try {
    return await readBodyLimited(response, maxBytes);
  } catch (e) {
    if (e instanceof BodyReadError) {
      throw new LogHttpError(e.reason === 'broken' ? 'unavailable' : 'malformed', `${url}: ${e.message}`);
    }
    throw e;
  }
}
