/**
 * The witnesses of an audit (c2sp.org/tlog-witness, through src/witness/check.ts): for each log,
 * the policy's witnesses are asked once per tree head the log showed, however many SCTs of the
 * log were proven against it, and every SCT gets the result for the very head its proof was
 * checked against. A witness split view is kept with the log's other split views (keepSplitView).
 */
import type { SignatureVerifier } from '../crypto/verify.js';
import type { LogHttp } from '../logclient/http.js';
import type { LogReader } from '../logclient/reader.js';
import type { LogInfo } from '../loglist/schema.js';
import { Ed25519Verifier } from '../note/ed25519.js';
import { checkWitnesses, type WitnessCheck } from '../witness/check.js';
import type { WitnessPolicy } from '../witness/policy.js';
import type { InclusionResult, ShownHead } from './prove-sct.js';
import { keepSplitView, type HeadStore, type SplitViewAlert } from './tree-heads.js';

export class AuditWitnesses {
  private readonly checks = new Map<string, { log: LogInfo; check: Promise<WitnessCheck> }>();
  private readonly ed25519 = new Ed25519Verifier();

  constructor(
    private readonly policy: WitnessPolicy,
    private readonly http: LogHttp,
    private readonly verifier: SignatureVerifier,
    private readonly at: number,
  ) {}

  /** The witnesses of `shown`, asked the first time that head of `log` is seen in this audit. */
  forHead(log: LogInfo, reader: LogReader, shown: ShownHead): Promise<WitnessCheck> {
    const { sth } = shown;
    const key = `${log.logId} ${sth.treeSize} ${[...sth.rootHash].join(',')}`;
    let entry = this.checks.get(key);
    if (!entry) {
      const check = checkWitnesses({
        log,
        shown: shown.note ?? sth,
        policy: this.policy,
        http: this.http,
        verifier: this.verifier,
        prove: (a, b) => reader.getConsistency(a, b),
        at: this.at,
        ed25519: this.ed25519,
      });
      entry = { log, check };
      this.checks.set(key, entry);
    }
    return entry.check;
  }

  /**
   * Every check's split views (each kept in `store` with its log's) and notes, once all are done.
   * Precondition: no other write to the store meanwhile (the audit's proofs are done).
   */
  async outcome(store: HeadStore): Promise<{ alerts: SplitViewAlert[]; notes: string[] }> {
    const alerts: SplitViewAlert[] = [];
    const notes: string[] = [];
    for (const { log, check } of this.checks.values()) {
      const done = await check;
      for (const alert of done.alerts) {
        await keepSplitView(store, alert);
        alerts.push(alert);
      }
      const named = (n: string) => (n.startsWith(log.description) ? n : `${log.description}: witnesses: ${n}`);
      notes.push(...done.notes.map(named));
    }
    return { alerts, notes: [...new Set(notes)] };
  }
}

/** Without a policy, every SCT says so; with one, an SCT whose log showed no head had no witness asked. */
export function witnessDefaults(result: InclusionResult, policyGiven: boolean): InclusionResult {
  if (result.quorum !== undefined) return result;
  if (!policyGiven) return { ...result, witnesses: [], quorum: 'no-policy' };
  const witnessDetail = 'no tree head of the log was verified: no witness was asked';
  return { ...result, witnesses: [], quorum: 'not-met', witnessDetail };
}
