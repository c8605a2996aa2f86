/**
 * Witnesses for one log's tree head (c2sp.org/tlog-cosignature, tlog-witness, tlog-policy): which
 * of the policy's witnesses cosigned the checkpoint the log showed, what each witness's latest
 * cosigned checkpoint for the log says (tlog-witness, "Monitor Retrieval Mechanism"), and whether
 * the witnesses vouching for the shown tree meet the policy's quorum. A witness vouches when its
 * cosignature on the shown checkpoint verifies, or when it cosigned a checkpoint of the same or a
 * larger tree that the shown one is proven (by the log's consistency proof) a prefix of. A witness
 * checkpoint the shown one contradicts is a split view: both log-signed notes are the evidence.
 */
import { equalBytes, toBase64, type Bytes } from '../bytes.js';
import type { ConsistencyProver, SplitViewAlert, StoredHead } from '../inclusion/tree-heads.js';
import type { SignatureVerifier } from '../crypto/verify.js';
import { CheckpointError, originFromUrl } from '../logclient/checkpoint.js';
import { LogHttpError, type LogHttp } from '../logclient/http.js';
import type { SignedTreeHead } from '../logclient/tree-head.js';
import type { LogInfo } from '../loglist/schema.js';
import { Ed25519Verifier } from '../note/ed25519.js';
import { checkKnownKeys, type KeyVerdict } from '../note/known-keys.js';
import type { SignatureTools } from '../note/note-signature.js';
import type { Vkey } from '../note/vkey.js';
import { fetchWitnessCheckpoint } from './client.js';
import { relate, type Relation } from './consistency.js';
import { checkpointFromTreeHead, openLogCheckpoint, rfc6962Vkey, type LogCheckpoint } from './log-checkpoint.js';
import type { PolicyWitness, WitnessPolicy } from './policy.js';
import { quorumMet } from './quorum.js';

export type QuorumVerdict = 'met' | 'not-met' | 'no-policy';

type LatestStatus =
  | Relation
  /** The policy gives the witness no URL. */
  | 'not-asked'
  /** 404: the witness never cosigned a checkpoint for this log. */
  | 'never-cosigned'
  /** Unreachable, too slow, rate-limiting: never a sign of misbehaviour. */
  | 'unavailable'
  /** A malformed answer: a bad note, no valid signature of the log or of the witness. */
  | 'error';

export interface WitnessResult {
  /** The policy's name for the witness. */
  readonly name: string;
  /** Its vkey's key name, as signature lines name it. */
  readonly keyName: string;
  /** Its cosignature on the checkpoint the log showed. */
  readonly cosignature: 'verified' | 'absent' | 'invalid';
  /** When it cosigned (ISO 8601, from the cosignature's timestamp), for a verified one with a timestamp. */
  readonly cosignedAt?: string;
  /** Its latest cosigned checkpoint for the log, related to the shown one. */
  readonly latest: LatestStatus;
  readonly latestTreeSize?: number;
  /** Counts for the quorum. */
  readonly vouches: boolean;
  readonly detail: string;
}

/** A signed note kept as evidence, with the head it holds (StoredHead's fields, so stores can keep it). */
interface NoteEvidence extends StoredHead {
  /** The whole signed note, as received (or as rebuilt from the log's get-sth head). */
  readonly note: string;
  /** "log" (shown to this client) or "witness <name>". */
  readonly from: string;
}

interface WitnessSplitViewAlert extends SplitViewAlert {
  readonly witness: string;
  /** The checkpoint the witness cosigned, then the one the log showed this client: both signed by the log. */
  readonly evidence: readonly [NoteEvidence, NoteEvidence];
}

export interface WitnessCheck {
  readonly witnesses: readonly WitnessResult[];
  readonly quorum: QuorumVerdict;
  readonly alerts: readonly WitnessSplitViewAlert[];
  readonly notes: readonly string[];
}

export interface WitnessCheckInput {
  readonly log: LogInfo;
  /**
   * The tree head the log showed, already verified by the caller: the checkpoint note as a
   * static-ct-api log served it, or an RFC 6962 get-sth head (made into its checkpoint here; an
   * RFC 9162 head has none: no-policy).
   */
  readonly shown: Bytes | string | SignedTreeHead;
  readonly policy: WitnessPolicy | undefined;
  readonly http: LogHttp;
  /** The log's consistency proofs (LogReader.getConsistency). */
  readonly prove: ConsistencyProver;
  readonly verifier: SignatureVerifier;
  readonly ed25519?: Ed25519Verifier;
  /** Evaluation time, ms. */
  readonly at: number;
}

/** Cosignature timestamps later than this past the evaluation time are refused (tlog-cosignature: MAY). */
const CLOCK_SKEW_MS = 10 * 60_000;

/** Checks the witnesses of `input.policy` for the log's shown tree head. Never throws for bad remote input. */
export async function checkWitnesses(input: WitnessCheckInput): Promise<WitnessCheck> {
  const { log, policy } = input;
  if (!policy) return { witnesses: [], quorum: 'no-policy', alerts: [], notes: [] };
  const notes: string[] = [];
  if (isTreeHead(input.shown) && input.shown.transItemV2) {
    return noPolicy(`${log.description}: an RFC 9162 tree head has no checkpoint form for witnesses to cosign`);
  }
  const origin = logOrigin(log, policy);
  if (origin === undefined) return noPolicy(`${log.description}: no address to derive its checkpoint origin from`);
  const keys = logKeys(log, policy, origin, notes);
  if (!keys) return noPolicy(`the witness policy lists other logs, not ${log.description}`);
  const tools: SignatureTools = { ed25519: input.ed25519 ?? new Ed25519Verifier(), verifier: input.verifier, log };
  let shown: LogCheckpoint;
  try {
    const note = isTreeHead(input.shown) ? checkpointFromTreeHead(origin, input.shown) : input.shown;
    shown = await openLogCheckpoint(note, origin, keys, tools);
  } catch (e) {
    if (!(e instanceof CheckpointError)) throw e;
    const problem = `the shown checkpoint: ${e.message}`;
    const witnesses = policy.witnesses.map((w) => result(w, 'absent', 'not-asked', problem));
    return { witnesses, quorum: 'not-met', alerts: [], notes: [...notes, problem] };
  }
  const cosigned = await checkKnownKeys(
    shown.note,
    policy.witnesses.map((w) => w.key),
    tools,
  );
  const alerts: WitnessSplitViewAlert[] = [];
  const witnesses = await Promise.all(
    policy.witnesses.map(async (witness, i) => {
      const own = cosignatureOf(cosigned[i]!, input.at);
      const latest = await latestOf(witness, input, origin, keys, tools, shown);
      if (latest.alert) alerts.push(latest.alert);
      const provenLater = latest.status === 'same' || latest.status === 'ahead';
      const vouches = latest.status !== 'split-view' && (own.cosignature === 'verified' || provenLater);
      const detail = [own.detail, latest.detail].filter((d) => d !== '').join('; ');
      return {
        name: witness.name,
        keyName: witness.key.name,
        ...own.fields,
        latest: latest.status,
        ...(latest.treeSize === undefined ? {} : { latestTreeSize: latest.treeSize }),
        vouches,
        detail,
      } satisfies WitnessResult;
    }),
  );
  const vouching = new Set(policy.witnesses.filter((_, i) => witnesses[i]!.vouches).map((w) => w.id));
  return { witnesses, quorum: quorumMet(policy, vouching) ? 'met' : 'not-met', alerts, notes };

  function noPolicy(note: string): WitnessCheck {
    return { witnesses: [], quorum: 'no-policy', alerts: [], notes: [note] };
  }
}

const isTreeHead = (shown: WitnessCheckInput['shown']): shown is SignedTreeHead =>
  typeof shown === 'object' && !(shown instanceof Uint8Array);

/**
 * The log's checkpoint origin: the name of the policy's rfc6962 vkey holding its log list key, else
 * its submission prefix without scheme and trailing slashes (static-ct-api, "Checkpoints").
 */
function logOrigin(log: LogInfo, policy: WitnessPolicy): string | undefined {
  const named = policy.logs.find((l) => l.key.type === 'rfc6962' && equalBytes(l.key.publicKey, log.key));
  if (named) return named.key.name;
  const url = log.submissionUrl ?? log.monitoringUrl ?? log.url;
  return url === undefined ? undefined : originFromUrl(url);
}

/**
 * The keys a checkpoint of the log may be signed with: its log list key, and the policy's other log
 * keys named by the origin. Undefined when the policy lists logs and none of them is this one.
 */
function logKeys(log: LogInfo, policy: WitnessPolicy, origin: string, notes: string[]): Vkey[] | undefined {
  const listed: Vkey[] = [];
  for (const { key } of policy.logs) {
    if (key.type === 'rfc6962') {
      if (equalBytes(key.publicKey, log.key)) listed.push(key);
      else if (key.name === origin) {
        notes.push(`the policy's rfc6962 key for "${origin}" is not ${log.description}'s log list key: not used`);
      }
    } else if (key.name === origin) {
      listed.push(key);
    }
  }
  if (policy.logs.length > 0 && listed.length === 0) return undefined;
  return [rfc6962Vkey(origin, log), ...listed.filter((k) => k.type !== 'rfc6962')];
}

type Own = {
  cosignature: WitnessResult['cosignature'];
  fields: Pick<WitnessResult, 'cosignature' | 'cosignedAt'>;
  detail: string;
};

function cosignatureOf(verdict: KeyVerdict, at: number): Own {
  const own = (cosignature: WitnessResult['cosignature'], detail: string, cosignedAt?: string): Own => ({
    cosignature,
    fields: cosignedAt ? { cosignature, cosignedAt } : { cosignature },
    detail,
  });
  if (verdict.status === 'absent') return own('absent', '');
  if (verdict.status === 'invalid') return own('invalid', `its cosignature on the shown checkpoint: ${verdict.reason}`);
  const seconds = verdict.timestamp ?? 0;
  if (seconds * 1000 > at + CLOCK_SKEW_MS) {
    return own('invalid', `its cosignature on the shown checkpoint is dated ${seconds}, in the future`);
  }
  const when = seconds > 0 ? new Date(seconds * 1000).toISOString() : undefined;
  return own('verified', `cosigned the shown checkpoint${when ? ` at ${when}` : ''}`, when);
}

type Latest = { status: LatestStatus; detail: string; treeSize?: number; alert?: WitnessSplitViewAlert };

/** The witness's latest checkpoint for the log, opened, its own cosignature checked, and related to the shown one. */
async function latestOf(
  witness: PolicyWitness,
  input: WitnessCheckInput,
  origin: string,
  keys: Vkey[],
  tools: SignatureTools,
  shown: LogCheckpoint,
): Promise<Latest> {
  if (witness.url === undefined) return { status: 'not-asked', detail: '' };
  let theirs: LogCheckpoint;
  try {
    const bytes = await fetchWitnessCheckpoint(input.http, witness.url, origin);
    theirs = await openLogCheckpoint(bytes, origin, keys, tools);
  } catch (e) {
    if (e instanceof LogHttpError) {
      if (e.kind === 'not-found') {
        return { status: 'never-cosigned', detail: 'the witness never cosigned a checkpoint of the log' };
      }
      return { status: e.kind === 'malformed' || e.kind === 'refused' ? 'error' : 'unavailable', detail: e.message };
    }
    if (e instanceof CheckpointError) return { status: 'error', detail: `its checkpoint: ${e.message}` };
    throw e;
  }
  const [mine] = await checkKnownKeys(theirs.note, [witness.key], tools);
  const treeSize = theirs.checkpoint.treeSize;
  if (mine!.status !== 'signed') {
    const why = mine!.status === 'invalid' ? mine!.reason : 'it carries none';
    return { status: 'error', treeSize, detail: `its checkpoint has no valid cosignature of its key: ${why}` };
  }
  const { relation, detail } = await relate(shown.checkpoint, theirs.checkpoint, input.prove);
  if (relation !== 'split-view') return { status: relation, treeSize, detail };
  const alert: WitnessSplitViewAlert = {
    type: 'split-view',
    logId: input.log.logId,
    log: input.log.description,
    witness: witness.name,
    detail: `witness ${witness.name}: ${detail}`,
    evidence: [evidence(theirs, `witness ${witness.name}`, input.at), evidence(shown, 'log', input.at)],
  };
  return { status: 'split-view', treeSize, detail, alert };
}

function evidence(cp: LogCheckpoint, from: string, seenAt: number): NoteEvidence {
  return {
    treeSize: cp.checkpoint.treeSize,
    timestamp: cp.rfc6962?.timestamp ?? 0,
    rootHash: toBase64(cp.checkpoint.rootHash),
    signature: cp.rfc6962 ? toBase64(cp.rfc6962.signature) : '',
    seenAt,
    note: cp.text,
    from,
  };
}

function result(
  w: PolicyWitness,
  cosignature: WitnessResult['cosignature'],
  latest: LatestStatus,
  detail: string,
): WitnessResult {
  return { name: w.name, keyName: w.key.name, cosignature, latest, vouches: false, detail };
}
