/**
 * Fetching Google's signed log list (platform-free: fetch exists in browsers and Node). A list is
 * returned only when its signature verifies, when it lists none of Google's mimic logs (their
 * private keys are public, mimics.ts: the list Google serves third-party CT libraries), and never
 * when it is older than the one in use.
 */
import { sha256, toHex, type Bytes } from '../bytes.js';
import { googlePublicKeyPem, type SignedLogList } from './bundled.js';
import { describeMimic, mimicLogsIn } from './mimics.js';
import { parseLogList } from './schema.js';
import { verifyLogListSignature } from './signature.js';
import { BodyReadError, readBodyLimited } from '../http-body.js';

/** Google's signed list of all logs (v3 schema); its signature is the .sig beside it. */
export const GOOGLE_LOG_LIST_URL = 'https://www.gstatic.com/ct/log_list/v3/all_logs_list.json';

const MAX_LIST_BYTES = 16 * 1024 * 1024;
const FETCH_TIMEOUT_MS = 30_000;

export class LogListFetchError extends Error {
  override name = 'LogListFetchError';
}

/**
 * A list whose signature verified but that lists a mimic log: refused as an update, the list in
 * use stays. `sha256` (hex, of the exact bytes) and `version` say which list, so a caller can tell
 * the user once per list rather than on every retry.
 */
export class MimicLogListError extends LogListFetchError {
  override name = 'MimicLogListError';
  constructor(
    message: string,
    readonly version: string | undefined,
    readonly sha256: string,
  ) {
    super(message);
  }
}

export interface FetchedLogList extends SignedLogList {
  /** The exact bytes: the signature covers them, so they are what gets stored. */
  readonly json: Uint8Array;
  readonly signature: Uint8Array;
}

/**
 * Fetches `url` and its `.sig`, verifies them with `publicKeyPem` (Google's log list key; tests
 * give their own), refuses a list that holds a mimic log (MimicLogListError: a rule after the
 * signature check, since Google signs that list too) and a list older than `currentTimestamp` (a
 * rollback). Throws LogListFetchError naming the URL and the problem.
 */
export async function fetchSignedLogList(
  url: string,
  currentTimestamp: number | undefined,
  publicKeyPem = googlePublicKeyPem,
): Promise<FetchedLogList> {
  const sigUrl = url.replace(/\.json$/, '.sig');
  if (sigUrl === url)
    throw new LogListFetchError(`${url}: the log list URL must end in .json (its signature is the .sig beside it)`);
  const [json, signature] = await Promise.all([download(url), download(sigUrl)]);
  let fetched: SignedLogList;
  try {
    fetched = await loadUpdatedLogList(json, signature, publicKeyPem);
  } catch (e) {
    throw new LogListFetchError(`${url}: refused: ${(e as Error).message}`);
  }
  const mimics = mimicLogsIn(fetched.list.logs);
  if (mimics.length) {
    const what =
      `version ${fetched.list.version ?? '(none)'} lists ` + `${mimics.length === 1 ? 'a mimic log' : 'mimic logs'}`;
    throw new MimicLogListError(
      `${url}: refused: ${what}, whose private keys are public (Google's frozen list for third-party CT libraries; ` +
        `an SCT from a mimic proves nothing): ${mimics.map(describeMimic).join('; ')}`,
      fetched.list.version,
      toHex(fetched.sha256),
    );
  }
  if (currentTimestamp !== undefined && (fetched.list.timestamp ?? 0) < currentTimestamp) {
    throw new LogListFetchError(
      `${url}: refused: version ${fetched.list.version} ` +
        `(${new Date(fetched.list.timestamp ?? 0).toISOString()}) is older than the list in use`,
    );
  }
  return { ...fetched, json, signature };
}

/**
 * An updated list from its exact bytes and signature, as fetched or as kept since: refused unless
 * the signature verifies with `publicKeyPem` (default Google's), parsed only then.
 */
export async function loadUpdatedLogList(
  json: Bytes,
  signature: Bytes,
  publicKeyPem = googlePublicKeyPem,
): Promise<SignedLogList> {
  await verifyLogListSignature(json, signature, publicKeyPem);
  const text = new TextDecoder('utf-8', { fatal: true }).decode(json);
  const list = parseLogList(text, (version) => `Google log list (updated) v${version}`);
  return { list, signed: true, sha256: sha256(json) };
}

async function download(url: string): Promise<Uint8Array> {
  let response: Response;
  try {
    response = await fetch(url, {
      signal: AbortSignal.timeout(FETCH_TIMEOUT_MS),
      redirect: 'follow',
      credentials: 'omit',
      cache: 'no-store',
    });
  } catch (e) {
    const cause = (e as { cause?: { code?: string; message?: string } }).cause;
    throw new LogListFetchError(`${url}: fetch failed: ${cause?.code ?? cause?.message ?? (e as Error).message}`);
  }
  if (!response.ok) {
    await response.body?.cancel();
    throw new LogListFetchError(`${url}: HTTP ${response.status} ${response.statusText}`);
  }
  try {
    return await readBodyLimited(response, MAX_LIST_BYTES);
  } catch (e) {
    if (e instanceof BodyReadError) throw new LogListFetchError(`${url}: ${e.message}`);
    throw e;
  }
}
