/**
 * The log lists the CLI uses: a list fetched with `ctlens loglist --update` (kept in the config
 * directory, its signature checked on every load) ahead of the bundled snapshots; or, with
 * --log-list, only the lists given. --log-key adds bare keys either way.
 */
import { mkdir, readFile, rename, rm } from 'node:fs/promises';
import { dirname } from 'node:path';
import { bundledLogLists, loadSignedLogList, type SignedLogList } from '../loglist/bundled.js';
import { LogRegistry } from '../loglist/registry.js';
import type { LogInfo, LogList } from '../loglist/schema.js';
import { storedLogListPaths } from './config.js';
import { fetchSignedLogList, GOOGLE_LOG_LIST_URL, LogListFetchError, type FetchedLogList } from '../loglist/fetch.js';
import { InputError } from './errors.js';
import { writeTemporaryBeside } from './exclusive-write.js';

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

/**
 * Fetches Google's signed list and its signature, verifies them, and stores them for later runs.
 * Refuses a list that does not verify, or one older than the list already in use (a rollback).
 */
export async function updateLogList(configDir: string, url = GOOGLE_LOG_LIST_URL, warn: (line: string) => void = () => {}): Promise<SignedLogList> {
  const current = (await defaultLists(configDir, warn))[0]!;
  let fetched: FetchedLogList;
  try {
    fetched = await fetchSignedLogList(url, current.list.timestamp);
  } catch (e) {
    if (e instanceof LogListFetchError) throw new InputError(e.message);
    throw e;
  }
  const paths = storedLogListPaths(configDir);
  await mkdir(dirname(paths.json), { recursive: true });
  // Both temporaries first (exclusive, random names: never a planted symlink), then both renames,
  // so a failed write leaves the old pair. A pair left mismatched fails its signature check at load.
  const temporaries: string[] = [];
  try {
    temporaries.push(await writeTemporaryBeside(paths.json, fetched.json));
    temporaries.push(await writeTemporaryBeside(paths.sig, fetched.signature));
    await rename(temporaries[0]!, paths.json);
    await rename(temporaries[1]!, paths.sig);
  } catch (e) {
    await Promise.all(temporaries.map((path) => rm(path, { force: true })));
    throw e;
  }
  return fetched;
}
