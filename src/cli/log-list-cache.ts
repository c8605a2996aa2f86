/**
 * A verified, pre-parsed copy of each signed log list the CLI reads, kept between runs: checking
 * a list's RSA-4096 signature and parsing its JSON cost a `verify` run more than everything else
 * it does. Every signature check stays, by these rules:
 *
 * - An entry is written only after the list's signature verified in this process (the `verify`
 *   callback: loadBundledSnapshot or loadSignedLogList), and it holds that list as parsed then.
 * - It is bound to the SHA-256 of the exact bytes that verified (in its name and its content), to
 *   the kind of list (bundled, updated) and to this build of ctlens (`__CTLENS_BUILD__`, a digest
 *   of its sources: the parser, Google's key, the bundled lists). It is used only for a list whose
 *   bytes have that digest: a changed list (an update, a damaged file) is verified again, and so
 *   is every list after an upgrade.
 * - It is kept where only the user can write (private-files.ts), checked at every read.
 *
 * Without user ids (Windows), or in a run of the sources rather than a build, nothing is kept.
 */
import { createHash } from 'node:crypto';
import { join } from 'node:path';
import type { Bytes } from '../bytes.js';
import type { SignedLogList } from '../loglist/bundled.js';
import type { LogInfo, LogList } from '../loglist/schema.js';
import { cacheDir } from './config.js';
import { pruneOtherBuilds, readOwnFile, userId, writeOwnFile } from './private-files.js';

declare const __CTLENS_BUILD__: string | undefined;
const BUILD = typeof __CTLENS_BUILD__ === 'string' ? __CTLENS_BUILD__ : undefined;
const FORMAT = 1;

export type ListKind = 'bundled' | 'updated';

/** A log as kept: its key in base64. */
type KeptLog = Omit<LogInfo, 'key'> & { readonly key: string };

interface Entry {
  readonly format: number;
  readonly build: string;
  readonly kind: ListKind;
  readonly sha256: string;
  readonly list: Omit<LogList, 'logs'> & { readonly logs: readonly KeptLog[] };
}

/** SHA-256 of `bytes` (OpenSSL). */
export const digest = (bytes: Bytes): Uint8Array => new Uint8Array(createHash('sha256').update(bytes).digest());

export class LogListCache {
  private constructor(
    private readonly dir: string,
    private readonly build: string,
    private readonly uid: number,
    private readonly warn: (line: string) => void,
  ) {}

  /** The cache in cacheDir(env), or undefined where none is kept (see above). */
  static open(env: NodeJS.ProcessEnv, warn: (line: string) => void, build = BUILD): LogListCache | undefined {
    const uid = userId();
    if (build === undefined || uid === undefined) return undefined;
    return new LogListCache(cacheDir(env), build, uid, warn);
  }

  /**
   * The signed list whose exact bytes have the SHA-256 `sha256`: the entry bound to that digest
   * when a safe one is kept, else `verify()`, which reads those bytes, checks the signature over
   * them and parses them; kept for the next run when the digest of what it verified is `sha256`.
   */
  async signedList(kind: ListKind, sha256: Uint8Array, verify: () => Promise<SignedLogList>): Promise<SignedLogList> {
    const hex = Buffer.from(sha256).toString('hex');
    const prefix = `${this.build.slice(0, 16)}-`;
    const path = join(this.dir, `${prefix}${kind}-${hex}.json`);
    const kept = this.read(path, kind, hex);
    if (kept) return kept;
    const verified = await verify();
    if (Buffer.from(verified.sha256).toString('hex') === hex) {
      await writeOwnFile(path, JSON.stringify(this.entry(kind, hex, verified.list)));
      await pruneOtherBuilds(this.dir, prefix);
    }
    return verified;
  }

  private read(path: string, kind: ListKind, sha256: string): SignedLogList | undefined {
    const bytes = readOwnFile(path, this.uid, this.warn);
    if (!bytes) return undefined;
    try {
      const entry = JSON.parse(bytes.toString('utf8')) as Entry;
      const wanted = { format: FORMAT, build: this.build, kind, sha256 };
      if (Object.entries(wanted).some(([k, v]) => entry[k as keyof Entry] !== v)) return undefined;
      const list = { ...entry.list, logs: entry.list.logs.map(logFromEntry) };
      return { list, signed: true, sha256: new Uint8Array(Buffer.from(sha256, 'hex')) };
    } catch {
      return undefined; // damaged: verified again and rewritten
    }
  }

  private entry(kind: ListKind, sha256: string, list: LogList): Entry {
    const logs = list.logs.map((log) => ({ ...log, key: Buffer.from(log.key).toString('base64') }));
    return { format: FORMAT, build: this.build, kind, sha256, list: { ...list, logs } };
  }
}

/** A log as kept, its key decoded (in place: the entry was parsed for this). */
function logFromEntry(kept: KeptLog): LogInfo {
  if (typeof kept.key !== 'string' || typeof kept.logId !== 'string') throw new TypeError('log without key or id');
  const log = kept as unknown as { key: Uint8Array | string };
  log.key = new Uint8Array(Buffer.from(kept.key, 'base64'));
  return log as unknown as LogInfo;
}
