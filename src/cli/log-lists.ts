/**
 * The log lists the CLI uses: a list fetched with `ctlens loglist --update` (kept in the config
 * directory, its signature checked on every load) ahead of the bundled snapshots; or, with
 * --log-list, only the lists given. --log-key adds bare keys either way.
 */
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { bundledLogLists, loadSignedLogList, type SignedLogList } from '../loglist/bundled.js';
import { LogRegistry } from '../loglist/registry.js';
import type { LogInfo, LogList } from '../loglist/schema.js';
import { DEFAULT_LOG_LIST_URL, storedLogListPaths } from './config.js';
import { InputError } from './errors.js';

export interface RegistryOptions {
  readonly configDir: string;
  readonly logListFiles: readonly LogList[];
  readonly extraLogs: readonly LogInfo[];
  /** Called with one line when a stored list is ignored. */
  readonly warn: (line: string) => void;
}

export async function buildRegistry(options: RegistryOptions): Promise<LogRegistry> {
  if (options.logListFiles.length) {
    return new LogRegistry(options.logListFiles.map((list) => ({ list, signed: false })), options.extraLogs);
  }
  return new LogRegistry(await defaultLists(options.configDir, options.warn), options.extraLogs);
}

/** Stored list (when it verifies and is newer than the bundled one) first, then the bundled lists. */
export async function defaultLists(configDir: string, warn: (line: string) => void): Promise<SignedLogList[]> {
  const bundled = await bundledLogLists();
  const stored = await loadStoredList(configDir, warn);
  if (stored && (stored.list.timestamp ?? 0) > (bundled[0]!.list.timestamp ?? 0)) return [stored, ...bundled];
  return bundled;
}

async function loadStoredList(configDir: string, warn: (line: string) => void): Promise<SignedLogList | undefined> {
  const paths = storedLogListPaths(configDir);
  let json: Uint8Array;
  let sig: Uint8Array;
  try {
    [json, sig] = await Promise.all([readFile(paths.json), readFile(paths.sig)]);
  } catch {
    return undefined; // never updated
  }
  try {
    return await loadSignedLogList(json, sig, 'Google log list (updated)');
  } catch (e) {
    warn(`ignoring the stored log list ${paths.json}: ${(e as Error).message}`);
    return undefined;
  }
}

const MAX_LIST_BYTES = 16 * 1024 * 1024;
const FETCH_TIMEOUT_MS = 30_000;

/**
 * Fetches Google's signed list and its signature, verifies them, and stores them for later runs.
 * Refuses a list that does not verify, or one older than the list already in use (a rollback).
 */
export async function updateLogList(configDir: string, url = DEFAULT_LOG_LIST_URL, warn: (line: string) => void = () => {}): Promise<SignedLogList> {
  const sigUrl = url.replace(/\.json$/, '.sig');
  if (sigUrl === url) throw new InputError(`${url}: the log list URL must end in .json (its signature is the .sig beside it)`);
  const [json, sig] = await Promise.all([download(url), download(sigUrl)]);
  let fetched: SignedLogList;
  try {
    fetched = await loadSignedLogList(json, sig, 'Google log list (updated)');
  } catch (e) {
    throw new InputError(`${url}: refused: ${(e as Error).message}`);
  }
  const current = (await defaultLists(configDir, warn))[0]!;
  if ((fetched.list.timestamp ?? 0) < (current.list.timestamp ?? 0)) {
    throw new InputError(`${url}: refused: version ${fetched.list.version} is older than the list in use (version ${current.list.version})`);
  }
  const paths = storedLogListPaths(configDir);
  await mkdir(dirname(paths.json), { recursive: true });
  // Write both beside their final names, then rename: a crash never leaves a mismatched pair.
  await writeFile(`${paths.json}.tmp`, json);
  await writeFile(`${paths.sig}.tmp`, sig);
  await rename(`${paths.json}.tmp`, paths.json);
  await rename(`${paths.sig}.tmp`, paths.sig);
  return fetched;
}

async function download(url: string): Promise<Uint8Array> {
  let response: Response;
  try {
    response = await fetch(url, { signal: AbortSignal.timeout(FETCH_TIMEOUT_MS), redirect: 'follow' });
  } catch (e) {
    const cause = (e as { cause?: { code?: string; message?: string } }).cause;
    throw new InputError(`${url}: fetch failed: ${cause?.code ?? cause?.message ?? (e as Error).message}`);
  }
  if (!response.ok) {
    await response.body?.cancel();
    throw new InputError(`${url}: HTTP ${response.status} ${response.statusText}`);
  }
  const declared = Number(response.headers.get('content-length') ?? 0);
  if (declared > MAX_LIST_BYTES) throw new InputError(`${url}: response of ${declared} bytes exceeds the ${MAX_LIST_BYTES}-byte limit`);
  const chunks: Uint8Array[] = [];
  let total = 0;
  for await (const chunk of response.body ?? []) {
    total += chunk.length;
    if (total > MAX_LIST_BYTES) throw new InputError(`${url}: response exceeds the ${MAX_LIST_BYTES}-byte limit`);
    chunks.push(chunk);
  }
  const out = new Uint8Array(total);
  let offset = 0;
  for (const c of chunks) {
    out.set(c, offset);
    offset += c.length;
  }
  return out;
}
