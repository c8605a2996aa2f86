/**
 * The log lists the CLI uses: a list fetched with `ctlens loglist --update` (kept in the config
 * directory, its signature checked on every load) ahead of the bundled snapshots; or, with
 * --log-list, only the lists given. --log-key adds bare keys either way.
 *
 * Lists are read in tiers, each only when needed: first the newest (the stored list when it is
 * newer than the newest bundled snapshot, and that snapshot), then the older bundled snapshots
 * (v83.1 keeps the logs v89.25 dropped, which older certificates' SCTs need). A chain is judged
 * with the first tier; when one of its SCTs names a log that no list read so far holds, the next
 * tier is read and the chain judged again with every list read. The verdict is the one all the
 * lists would give: a log is taken from the first list that holds it (LogRegistry), so a list read
 * later never changes what the earlier ones answered, it only answers what they could not.
 * Each list's signature is checked when it is read, before anything in it is used.
 */
import { mkdirSync, readFileSync, renameSync, rmSync } from 'node:fs';
import { dirname } from 'node:path';
import { toBase64 } from '../bytes.js';
import { decide, type CheckInput, type Verdicts } from '../decide.js';
import { loadSignedLogList, type SignedLogList } from '../loglist/bundled.js';
import { LogRegistry, type RegistryList } from '../loglist/registry.js';
import type { LogInfo, LogList } from '../loglist/schema.js';
import { decodeSct } from '../sct/decode.js';
import type { SctVerification } from '../verify/verify-scts.js';
import { parseCertificate } from '../x509/certificate.js';
import { embeddedSctList } from '../x509/embedded-scts.js';
import { bundledSnapshot, SNAPSHOT_VERSIONS } from './bundled-snapshots.js';
import { configDir, storedLogListPaths } from './config.js';
import { fetchSignedLogList, GOOGLE_LOG_LIST_URL, LogListFetchError, type FetchedLogList } from '../loglist/fetch.js';
import { InputError } from './errors.js';
import { writeTemporaryBeside } from './exclusive-write.js';
import { digest, LogListCache } from './log-list-cache.js';

export interface RegistryOptions {
  /** The environment: where the stored list (configDir) and the cache (cacheDir) are. */
  readonly env: NodeJS.ProcessEnv;
  readonly logListFiles: readonly LogList[];
  readonly extraLogs: readonly LogInfo[];
  /** Called with one line when a stored list is ignored. */
  readonly warn: (line: string) => void;
}

type Tier = () => Promise<readonly RegistryList[]>;
type Warn = (line: string) => void;

/** The registry of the tiers read so far, and the ids of the logs their lists hold. */
interface Reading {
  readonly registry: LogRegistry;
  readonly held: ReadonlySet<string>;
}

/** A run's log lists, read tier by tier (see above). */
export class LogLists {
  private readonly tierLists: Promise<readonly RegistryList[]>[] = [];
  private readonly readings: Promise<Reading>[] = [];

  constructor(
    private readonly tiers: readonly Tier[],
    private readonly extraLogs: readonly LogInfo[],
  ) {}

  /** The CLI's usual lists: --log-list files alone when given, else the stored and bundled lists. */
  static forRun(options: RegistryOptions): LogLists {
    if (options.logListFiles.length) {
      const files = options.logListFiles.map((list) => ({ list, signed: false }));
      return new LogLists([async () => files], options.extraLogs);
    }
    const cache = LogListCache.open(options.env, options.warn);
    const dir = configDir(options.env);
    return new LogLists([() => newestLists(dir, options.warn, cache), () => olderSnapshots(cache)], options.extraLogs);
  }

  /** Every list, all tiers read (`ctlens loglist`). */
  async all(): Promise<LogRegistry> {
    return (await this.reading(this.tiers.length)).registry;
  }

  /**
   * Parse → verify → policy with the fewest tiers whose lists hold the log of every SCT of the
   * chain (all of them when none does). The SCTs' log ids are read first (sctLogIds); should the
   * verification still find an SCT whose log the lists read do not hold, it is done again with
   * every tier. The registry returned is the one the verdicts were reached with.
   */
  async decide(input: Omit<CheckInput, 'registry'>): Promise<Verdicts & { readonly registry: LogRegistry }> {
    const ids = sctLogIds(input);
    let depth = 1;
    for (; depth < this.tiers.length; depth++) {
      const { held } = await this.reading(depth);
      if (ids.every((id) => held.has(id))) break;
    }
    const first = await this.reading(depth);
    const verdicts = await decide({ ...input, registry: first.registry });
    if (depth === this.tiers.length || holdsEveryLog(first.held, verdicts.verification)) {
      return { ...verdicts, registry: first.registry };
    }
    const { registry } = await this.reading(this.tiers.length);
    return { ...(await decide({ ...input, registry })), registry };
  }

  private reading(depth: number): Promise<Reading> {
    this.readings[depth - 1] ??= (async () => {
      const lists = (await Promise.all(this.tiers.slice(0, depth).map((_, i) => this.tier(i)))).flat();
      const held = new Set(lists.flatMap(({ list }) => list.logs.map((log) => log.logId)));
      return { registry: new LogRegistry(lists, this.extraLogs), held };
    })();
    return this.readings[depth - 1]!;
  }

  private tier(index: number): Promise<readonly RegistryList[]> {
    this.tierLists[index] ??= this.tiers[index]!();
    return this.tierLists[index]!;
  }
}

/**
 * The base64 log ids of the chain's SCTs that can be read: embedded (RFC 6962 §3.3) and delivered.
 * Only a guide to which lists to read: LogLists.decide checks the verification's own SCTs after.
 */
function sctLogIds({ chain, delivered = [] }: Omit<CheckInput, 'registry'>): string[] {
  const raw: Uint8Array[] = delivered.map((d) => d.bytes);
  try {
    const list = embeddedSctList(parseCertificate(chain[0]!));
    if (list.status === 'ok') raw.push(...list.scts);
  } catch {
    // an unreadable leaf: the verification says why
  }
  return raw.flatMap((bytes) => {
    const sct = decodeSct(bytes);
    return sct.kind === 'v1' ? [toBase64(sct.logId)] : [];
  });
}

/** Whether the lists hold the log of every SCT whose log id could be read. */
function holdsEveryLog(held: ReadonlySet<string>, verification: SctVerification): boolean {
  return verification.scts.every(({ sct }) => sct.kind !== 'v1' || held.has(toBase64(sct.logId)));
}

/** The first tier: the stored list when it verifies and is newer than the newest bundled one, and that one. */
async function newestLists(configDir: string, warn: Warn, cache?: LogListCache): Promise<SignedLogList[]> {
  const [newest, stored] = await Promise.all([
    bundledSnapshot(SNAPSHOT_VERSIONS[0]!, cache),
    loadStoredList(configDir, warn, cache),
  ]);
  if (stored && (stored.list.timestamp ?? 0) > (newest.list.timestamp ?? 0)) return [stored, newest];
  return [newest];
}

/** The older bundled snapshots, newest first. */
const olderSnapshots = (cache?: LogListCache): Promise<SignedLogList[]> =>
  Promise.all(SNAPSHOT_VERSIONS.slice(1).map((version) => bundledSnapshot(version, cache)));

/** Every list `ctlens` uses by default, newest first: the stored list when newer, then the bundled ones. */
export async function defaultLists(configDir: string, warn: (line: string) => void): Promise<SignedLogList[]> {
  const [newest, older] = await Promise.all([newestLists(configDir, warn), olderSnapshots()]);
  return [...newest, ...older];
}

async function loadStoredList(configDir: string, warn: Warn, cache?: LogListCache): Promise<SignedLogList | undefined> {
  const paths = storedLogListPaths(configDir);
  let json: Uint8Array;
  let sig: Uint8Array;
  try {
    [json, sig] = [readFileSync(paths.json), readFileSync(paths.sig)];
  } catch {
    return undefined; // never updated
  }
  try {
    const verify = () => loadSignedLogList(json, sig, 'Google log list (updated)');
    return await (cache ? cache.signedList('updated', digest(json), verify) : verify());
  } catch (e) {
    warn(`ignoring the stored log list ${paths.json}: ${(e as Error).message}`);
    return undefined;
  }
}

/**
 * Fetches Google's signed list and its signature, verifies them (with `publicKeyPem`, default
 * Google's key; tests sign their own), and stores them for later runs. Refuses a list that does
 * not verify, one that holds a mimic log (src/loglist/fetch.ts), or one older than the list
 * already in use (a rollback): an InputError (exit 2), the stored list left as it was.
 */
export async function updateLogList(
  configDir: string,
  url = GOOGLE_LOG_LIST_URL,
  warn: (line: string) => void = () => {},
  publicKeyPem?: string,
): Promise<SignedLogList> {
  const current = (await newestLists(configDir, warn))[0]!;
  let fetched: FetchedLogList;
  try {
    fetched = await fetchSignedLogList(url, current.list.timestamp, publicKeyPem);
  } catch (e) {
    if (e instanceof LogListFetchError) throw new InputError(e.message);
    throw e;
  }
  const paths = storedLogListPaths(configDir);
  mkdirSync(dirname(paths.json), { recursive: true });
  // Both temporaries first (exclusive, random names: never a planted symlink), then both renames,
  // so a failed write leaves the old pair. A pair left mismatched fails its signature check at load.
  const temporaries: string[] = [];
  try {
    temporaries.push(await writeTemporaryBeside(paths.json, fetched.json));
    temporaries.push(await writeTemporaryBeside(paths.sig, fetched.signature));
    renameSync(temporaries[0]!, paths.json);
    renameSync(temporaries[1]!, paths.sig);
  } catch (e) {
    for (const path of temporaries) rmSync(path, { force: true });
    throw e;
  }
  return fetched;
}
