/**
 * Fetching Google's signed log list (platform-free: fetch exists in browsers and Node). A list is
 * returned only when its signature verifies, and never when it is older than the one in use.
 */
import { loadSignedLogList, type SignedLogList } from './bundled.js';
import { BodyReadError, readBodyLimited } from '../http-body.js';

/** Google's signed list of all logs (v3 schema); its signature is the .sig beside it. */
export const GOOGLE_LOG_LIST_URL = 'https://www.gstatic.com/ct/log_list/v3/all_logs_list.json';

const MAX_LIST_BYTES = 16 * 1024 * 1024;
const FETCH_TIMEOUT_MS = 30_000;

export class LogListFetchError extends Error {
  override name = 'LogListFetchError';
}

export interface FetchedLogList extends SignedLogList {
  /** The exact bytes: the signature covers them, so they are what gets stored. */
  readonly json: Uint8Array;
  readonly signature: Uint8Array;
}

/**
 * Fetches `url` and its `.sig`, verifies them, and refuses a list older than `currentTimestamp`
 * (a rollback). Throws LogListFetchError naming the URL and the problem.
 */
export async function fetchSignedLogList(url: string, currentTimestamp: number | undefined): Promise<FetchedLogList> {
  const sigUrl = url.replace(/\.json$/, '.sig');
  if (sigUrl === url) throw new LogListFetchError(`${url}: the log list URL must end in .json (its signature is the .sig beside it)`);
  const [json, signature] = await Promise.all([download(url), download(sigUrl)]);
  let fetched: SignedLogList;
  try {
    fetched = await loadSignedLogList(json, signature, 'Google log list (updated)');
  } catch (e) {
    throw new LogListFetchError(`${url}: refused: ${(e as Error).message}`);
  }
  if (currentTimestamp !== undefined && (fetched.list.timestamp ?? 0) < currentTimestamp) {
    throw new LogListFetchError(
      `${url}: refused: version ${fetched.list.version} (${new Date(fetched.list.timestamp ?? 0).toISOString()}) is older than the list in use`,
    );
  }
  return { ...fetched, json, signature };
}

async function download(url: string): Promise<Uint8Array> {
  let response: Response;
  try {
    response = await fetch(url, { signal: AbortSignal.timeout(FETCH_TIMEOUT_MS), redirect: 'follow', credentials: 'omit', cache: 'no-store' });
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
