/**
 * Inclusion proofs for a chain's SCTs: each valid SCT's inclusion checked with its log, the logs in
 * parallel, every tree head recorded and checked for a split view. RFC 6962 logs, and RFC 9162
 * logs marked so in the log list (LogInfo.api), and tiled logs through the static-ct-api
 * (checkpoint and tiles). The split views kept from earlier checks of the SCTs' logs are reported
 * again (tree-heads.ts: a log that split once stays flagged).
 */
import { LogHttp } from '../logclient/http.js';
import { Rfc6962Client } from '../logclient/rfc6962.js';
import { StaticCtClient } from '../logclient/static-ct.js';
import { Rfc9162Client } from '../logclient/rfc9162.js';
import type { LogReader } from '../logclient/reader.js';
import type { LogInfo } from '../loglist/schema.js';
import { SignatureVerifier } from '../crypto/verify.js';
import type { SctVerification } from '../verify/verify-scts.js';
import type { WitnessPolicy } from '../witness/policy.js';
import { AuditWitnesses, witnessDefaults } from './audit-witnesses.js';
import { proveSctInclusion, type InclusionResult, type ShownHead } from './prove-sct.js';
import { earlierSplitViews, recordTreeHead, splitViewKey, type HeadStore, type SplitViewAlert } from './tree-heads.js';

export interface InclusionProofs {
  /** One per SCT of the verification, in order. */
  readonly inclusion: readonly InclusionResult[];
  /** This check's split views first, then those kept from earlier checks (`earlier`), each once. */
  readonly alerts: readonly SplitViewAlert[];
  readonly notes: readonly string[];
  /** A log showed a split view or gave a proof that does not verify. */
  readonly misbehaved: boolean;
}

export interface ProveOptions {
  readonly store: HeadStore;
  readonly at: number;
  readonly http?: LogHttp;
  readonly verifier?: SignatureVerifier;
  /**
   * The witnesses whose cosignatures count (c2sp.org/tlog-policy): each log's shown head is checked
   * with them (audit-witnesses.ts). Asking a witness tells it which log is checked, nothing more.
   */
  readonly witnessPolicy?: WitnessPolicy;
  /** The client for a log's API (default: RFC 6962 for `logs`, static-ct-api for `tiled_logs`). */
  readonly readerFor?: (log: LogInfo, http: LogHttp, verifier?: SignatureVerifier) => LogReader;
}

/**
 * static-ct-api for tiled logs; RFC 9162 (/ct/v2/) when the log list's entry says so (LogInfo.api);
 * else RFC 6962 (/ct/v1/).
 */
const defaultReader = (log: LogInfo, http: LogHttp, verifier?: SignatureVerifier): LogReader =>
  log.type === 'tiled'
    ? new StaticCtClient(log, http, verifier)
    : log.api === 'rfc9162'
      ? new Rfc9162Client(log, http, verifier)
      : new Rfc6962Client(log, http, verifier);

export async function proveInclusion(verification: SctVerification, options: ProveOptions): Promise<InclusionProofs> {
  const http = options.http ?? new LogHttp();
  const policy = options.witnessPolicy;
  const witnesses = policy
    ? new AuditWitnesses(policy, http, options.verifier ?? new SignatureVerifier(), options.at)
    : undefined;
  const alerts: SplitViewAlert[] = [];
  const notes: string[] = [];
  const checkedAt = new Date(options.at).toISOString();
  const clients = new Map<string, LogReader>();
  // Recording a log's heads one at a time keeps its store consistent when several SCTs share a log.
  const queues = new Map<string, Promise<unknown>>();
  const serialized = <T>(logId: string, work: () => Promise<T>): Promise<T> => {
    const next = (queues.get(logId) ?? Promise.resolve()).then(work, work);
    queues.set(
      logId,
      next.catch(() => undefined),
    );
    return next;
  };
  // The split views kept before this check, for every log it asks.
  const audited = new Set(verification.scts.flatMap((r) => (r.status === 'valid' && r.log ? [r.log.logId] : [])));
  const kept = (await Promise.all([...audited].map((logId) => earlierSplitViews(options.store, logId)))).flat();

  const inclusion = await Promise.all(
    verification.scts.map(async (result): Promise<InclusionResult> => {
      const { log, leaf } = result;
      if (result.status !== 'valid' || !leaf || !log) {
        return { status: 'error', treeSize: null, checkedAt, detail: `not audited: the SCT is ${result.status}` };
      }
      let client = clients.get(log.logId);
      if (!client) {
        try {
          client = (options.readerFor ?? defaultReader)(log, http, options.verifier);
        } catch (e) {
          return { status: 'unavailable', treeSize: null, checkedAt, detail: (e as Error).message };
        }
        clients.set(log.logId, client);
      }
      const c = client;
      // The leaf verification checked the signature over (verify-scts.ts), never a second rebuild.
      return proveSctInclusion(leaf.sct, leaf.leafHash, log, {
        client: c,
        at: options.at,
        ...(witnesses ? { witnesses: (shown: ShownHead) => witnesses.forHead(log, c, shown) } : {}),
        onTreeHead: (head) =>
          serialized(log.logId, async () => {
            const outcome = await recordTreeHead(options.store, log, head, (first, second) =>
              c.getConsistency(first, second),
            );
            alerts.push(...outcome.alerts);
            notes.push(...outcome.notes.map((n) => `${log.description}: ${n}`));
          }),
      });
    }),
  );
  const results = inclusion.map((r) => witnessDefaults(r, policy !== undefined));
  if (witnesses) {
    const outcome = await witnesses.outcome(options.store);
    alerts.push(...outcome.alerts);
    notes.push(...outcome.notes);
  }
  const all = [...alerts, ...kept];
  const unique = all.filter((a, i) => all.findIndex((b) => splitViewKey(b) === splitViewKey(a)) === i);
  return {
    inclusion: results,
    alerts: unique,
    notes,
    misbehaved: unique.length > 0 || results.some((r) => r.misbehaved),
  };
}

/**
 * Readers kept across inclusion checks, one per log: a tiled log's full tiles never change, so a
 * reader that lives on answers later checks from its tile cache (the extension keeps one of these).
 */
export function lastingReaders(): (log: LogInfo, http: LogHttp, verifier?: SignatureVerifier) => LogReader {
  const readers = new Map<string, LogReader>();
  return (log, http, verifier) => {
    const key = `${log.logId}|${log.type}|${log.api ?? ''}|${log.url ?? log.monitoringUrl ?? ''}`;
    let reader = readers.get(key);
    if (!reader) {
      reader = defaultReader(log, http, verifier);
      readers.set(key, reader);
    }
    return reader;
  };
}
