/**
 * The log lists bundled with ctlens (src/loglist/data, see PROVENANCE.md there) as the CLI reads
 * them: each snapshot is a chunk of its own in the build, read only when asked for (a chain whose
 * SCTs all come from logs of the newest list never reads the older one) and then verified, or its
 * verified copy taken from the cache (log-list-cache.ts): the build knows the SHA-256 of every
 * snapshot it ships (__CTLENS_SNAPSHOT_SHA256__, computed from the files by vite.cli.config.ts),
 * so a kept copy bound to that digest serves without reading the snapshot again. The same
 * snapshots, newest first, as src/loglist/bundled.ts, which the extension loads all at once
 * (test/unit/cli-log-lists.test.ts checks that they agree).
 */
import { fromHex } from '../bytes.js';
import { loadBundledSnapshot, type SignedLogList } from '../loglist/bundled.js';
import type { LogListCache } from './log-list-cache.js';

interface Snapshot {
  readonly version: string;
  /** The list's JSON text and its signature (base64). */
  readonly load: () => Promise<{ readonly json: string; readonly sig: string }>;
}

const SNAPSHOTS: readonly Snapshot[] = [
  { version: '89.25', load: () => import('./snapshots/v89.25.js') },
  { version: '83.1', load: () => import('./snapshots/v83.1.js') },
];

declare const __CTLENS_SNAPSHOT_SHA256__: Readonly<Record<string, string>> | undefined;
/** Hex SHA-256 of each snapshot's JSON file, by version, in a build; undefined when run from the sources. */
const SHIPPED = typeof __CTLENS_SNAPSHOT_SHA256__ === 'object' ? __CTLENS_SNAPSHOT_SHA256__ : undefined;

/** The bundled snapshots' versions, newest first. */
export const SNAPSHOT_VERSIONS: readonly string[] = SNAPSHOTS.map((s) => s.version);

const loaded = new Map<string, Promise<SignedLogList>>();

/** One bundled snapshot, its signature verified (once per process, or once per build with `cache`). */
export function bundledSnapshot(version: string, cache?: LogListCache): Promise<SignedLogList> {
  const snapshot = SNAPSHOTS.find((s) => s.version === version);
  if (!snapshot) throw new RangeError(`no bundled log list v${version}`);
  let list = loaded.get(version);
  if (!list) {
    const verify = async () => {
      const { json, sig } = await snapshot.load();
      return loadBundledSnapshot(json, sig);
    };
    const shipped = SHIPPED?.[version];
    list = cache && shipped ? cache.signedList('bundled', fromHex(shipped), verify) : verify();
    loaded.set(version, list);
  }
  return list;
}
