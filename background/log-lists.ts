/**
 * The logs the extension checks against: Google's list as last fetched (storage.local, its
 * signature checked again on every load) ahead of the bundled snapshots, plus the extra logs of
 * the options, which may add logs but never change one a signed list holds (LogRegistry).
 * Fetching the list is the only automatic request the extension makes; it says nothing about the
 * sites visited. A fetched list that holds one of Google's mimic logs (src/loglist/mimics.ts) is
 * refused: the list in use stays, and the user is told once per such list (not on each retry).
 */
import { concatBytes, fromBase64, sha256, toBase64, toHex, utf8, type Bytes } from '../src/bytes.js';
import { publicKeyKind } from '../src/crypto/public-key.js';
import { bundledLogLists, type SignedLogList } from '../src/loglist/bundled.js';
import {
  fetchSignedLogList,
  GOOGLE_LOG_LIST_URL,
  loadUpdatedLogList,
  MimicLogListError,
} from '../src/loglist/fetch.js';
import { mimicLogsIn } from '../src/loglist/mimics.js';
import { LogRegistry, logFromKey, type RegistryList } from '../src/loglist/registry.js';
import { parseLogList, type LogInfo, type LogList } from '../src/loglist/schema.js';
import { decodePem } from '../src/pem.js';
import type { BrowserApi, KeyValueStore } from './browser-api.js';
import type { Settings } from './settings.js';

const FETCHED_KEY = 'fetchedLogList';
/** SHA-256 (hex) of the last list refused for its mimic logs that the user was told about. */
const REFUSAL_TOLD_KEY = 'logListRefusalTold';
export const UPDATE_INTERVAL_MS = 24 * 60 * 60 * 1000;
/** How far in the future an extra list may date itself before Options says so (clock skew, time zones). */
const FUTURE_SLACK_MS = 24 * 60 * 60 * 1000;

interface StoredList {
  readonly json: string; // base64 of the exact bytes
  readonly sig: string;
  readonly fetchedAt: number;
}

export interface UpdateStatus {
  readonly lastUpdate: number | null;
  readonly lastError: string | null;
}

export interface LoadedRegistry {
  readonly registry: LogRegistry;
  /**
   * SHA-256 (hex) over everything on the log side that decides verdicts: the exact bytes of every
   * list in use (bundled, fetched, the extra list's text) and every extra key. The same in every
   * worker for the same logs, so it can key verdicts kept across worker restarts.
   */
  readonly logsDigest: string;
  /** What of the extra logs is not used, and why (including entries that restate a signed log). */
  readonly extraLogProblems: readonly string[];
}

/** Where updates come from and how the user is told of a refused one. */
export interface UpdateSource {
  /** Default Google's list (tests point it at a local server). */
  readonly url?: string;
  /** The key the list must be signed with; default Google's (tests sign their own lists). */
  readonly publicKeyPem?: string;
  /** Shows a notification (BrowserApi.notify); without it a refusal is only recorded. */
  readonly notify?: BrowserApi['notify'];
}

export class ExtensionLogLists {
  private loaded: Promise<LoadedRegistry> | undefined;

  constructor(
    private readonly local: KeyValueStore,
    private readonly settings: () => Promise<Settings>,
    private readonly now: () => number,
    private readonly source: UpdateSource = {},
  ) {}

  /** The registry in use (built once, rebuilt after an update or a settings change). */
  registry(): Promise<LoadedRegistry> {
    this.loaded ??= this.build().catch((e) => {
      this.loaded = undefined;
      throw e;
    });
    return this.loaded;
  }

  invalidate(): void {
    this.loaded = undefined;
  }

  async status(): Promise<UpdateStatus> {
    return (await this.local.get<UpdateStatus>('logListUpdate')) ?? { lastUpdate: null, lastError: null };
  }

  /** Fetches, verifies and keeps Google's list. Records the outcome; rethrows a failure. */
  async update(): Promise<void> {
    const { registry } = await this.registry();
    try {
      const url = this.source.url ?? GOOGLE_LOG_LIST_URL;
      const fetched = await fetchSignedLogList(url, registry.listTimestamp, this.source.publicKeyPem);
      const stored: StoredList = {
        json: toBase64(fetched.json),
        sig: toBase64(fetched.signature),
        fetchedAt: this.now(),
      };
      await this.local.set(FETCHED_KEY, stored);
      await this.local.set('logListUpdate', { lastUpdate: this.now(), lastError: null });
      this.invalidate();
    } catch (e) {
      const previous = await this.status();
      await this.local.set('logListUpdate', { lastUpdate: previous.lastUpdate, lastError: (e as Error).message });
      if (e instanceof MimicLogListError) await this.tellRefusal(e);
      throw e;
    }
  }

  /**
   * Notifies that `refusal`'s list was refused, once per list (its SHA-256): the daily retries
   * fetch the same list again until Google serves another, and say nothing more.
   */
  private async tellRefusal(refusal: MimicLogListError): Promise<void> {
    if (!this.source.notify || (await this.local.get<string>(REFUSAL_TOLD_KEY)) === refusal.sha256) return;
    await this.local.set(REFUSAL_TOLD_KEY, refusal.sha256);
    const message =
      `The new log list (version ${refusal.version ?? 'unnamed'}) names Google's mimic logs, whose ` +
      'private keys are public. ctlens keeps the list it had; Options says more.';
    await this.source.notify('ctlens:log-list-refused', 'ctlens: log list update refused', message);
  }

  /** Whether the daily update is due (it is on, and the last one is over a day old). */
  async updateDue(): Promise<boolean> {
    if (!(await this.settings()).autoUpdateLogList) return false;
    const { lastUpdate } = await this.status();
    return lastUpdate === null || this.now() - lastUpdate >= UPDATE_INTERVAL_MS;
  }

  private async build(): Promise<LoadedRegistry> {
    const [bundled, fetched, settings] = await Promise.all([bundledLogLists(), this.fetchedList(), this.settings()]);
    const fetchedIsNewer = fetched !== undefined && (fetched.list.timestamp ?? 0) > (bundled[0]!.list.timestamp ?? 0);
    const signed: SignedLogList[] = [...(fetchedIsNewer ? [fetched] : []), ...bundled];
    const problems: string[] = [];
    const extra = extraLogs(settings, problems);
    // The extra list is shown first; the registry reads the signed lists first whatever the order.
    const lists: RegistryList[] = [...(extra.list ? [{ list: extra.list, signed: false }] : []), ...signed];
    const registry = new LogRegistry(lists, extra.keys);
    if (extra.list) {
      problems.unshift(...registry.lists[0]!.skipped.map((why) => `extra log list: ${why}`));
      const { timestamp } = extra.list;
      if (timestamp !== undefined && timestamp > this.now() + FUTURE_SLACK_MS) {
        problems.push(`extra log list: log_list_timestamp ${new Date(timestamp).toISOString()} is in the future`);
      }
    }
    return { registry, logsDigest: logsDigest(signed, settings), extraLogProblems: problems };
  }

  private async fetchedList(): Promise<SignedLogList | undefined> {
    const stored = await this.local.get<StoredList>(FETCHED_KEY);
    if (!stored) return undefined;
    let fetched: SignedLogList;
    try {
      fetched = await loadUpdatedLogList(fromBase64(stored.json), fromBase64(stored.sig), this.source.publicKeyPem);
    } catch {
      await this.local.remove(FETCHED_KEY); // damaged: fall back to the bundled list
      return undefined;
    }
    // Kept before updates refused mimic logs: not used, as a fresh fetch of it would be refused.
    if (mimicLogsIn(fetched.list.logs).length) {
      await this.local.remove(FETCHED_KEY);
      return undefined;
    }
    return fetched;
  }
}

/**
 * The digest behind LoadedRegistry.logsDigest: each part framed by its kind and length, so no
 * two different sets of inputs give the same bytes.
 */
function logsDigest(signed: readonly SignedLogList[], settings: Settings): string {
  const parts: [string, Bytes][] = [
    ...signed.map((l): [string, Bytes] => ['signed-list-sha256', l.sha256]),
    ['extra-list', utf8(settings.extraLogList ?? '')],
    ...settings.extraLogKeys.map((pem): [string, Bytes] => ['extra-key', utf8(pem)]),
  ];
  return toHex(sha256(concatBytes(...parts.flatMap(([kind, bytes]) => [utf8(`${kind} ${bytes.length}\n`), bytes]))));
}

/** The extra logs of the options; what cannot be used is named in `problems`, never fatal. */
function extraLogs(settings: Settings, problems: string[]): { list?: LogList; keys: LogInfo[] } {
  let list: LogList | undefined;
  if (settings.extraLogList) {
    try {
      list = parseLogList(
        settings.extraLogList,
        (version) => `extra log list${version ? ` v${version}` : ''} (options)`,
      );
    } catch (e) {
      problems.push(`extra log list: ${(e as Error).message}`);
    }
  }
  const keys: LogInfo[] = [];
  settings.extraLogKeys.forEach((pem, i) => {
    try {
      const block = decodePem(pem).find((b) => b.label === 'PUBLIC KEY');
      if (!block) throw new Error('no PUBLIC KEY block');
      const kind = publicKeyKind(block.der);
      if (kind.type === 'unsupported') throw new Error(`unsupported key (${kind.description})`);
      keys.push(logFromKey(block.der, `extra key #${i + 1} (options)`));
    } catch (e) {
      problems.push(`extra log key #${i + 1}: ${(e as Error).message}`);
    }
  });
  return { list, keys };
}
