/**
 * The logs an inclusion check contacts, as the popup and the audit page ask for and disclose them
 * (issue 7 §4). Only a valid SCT's log is audited (src/inclusion/prove-inclusion.ts), and only a log with
 * an address is reached; its address must have a plain host (src/loglist/log-url.ts, which every
 * log list's parser applies too). Chromium's host permission request and the disclosure both come
 * from this one list, so the permission asked for is never wider than the hosts people are shown.
 */
import type { Report } from '../src/report.js';
import { logUrlProblem } from '../src/loglist/log-url.js';
import { parseWitnessPolicy, PolicyError } from '../src/witness/policy.js';

export interface ContactedLog {
  /** "Google 'Argon2020' log (Google)": the log and its operator at the SCT's time. */
  readonly name: string;
  /** The host (and port, when the address has one) the log is reached at. */
  readonly host: string;
  /** The match pattern Chromium's host permission needs for it: the origin's every path. */
  readonly pattern: string;
}

/** The logs `report`'s inclusion check would contact, each once. */
export function logsToContact(report: Report | undefined): ContactedLog[] {
  const logs = new Map<string, ContactedLog>();
  for (const sct of report?.scts ?? []) {
    const log = sct.log;
    if (sct.status !== 'valid' || !log?.url || logUrlProblem(log.url)) continue;
    const url = new URL(log.url);
    const contacted = { name: `${log.description} (${log.operator})`, host: url.host, pattern: `${url.origin}/*` };
    logs.set(`${contacted.name}|${contacted.pattern}`, contacted);
  }
  return [...logs.values()];
}

/** The host permissions to ask for: one per origin contacted. */
export const hostPatterns = (logs: readonly ContactedLog[]): string[] => [...new Set(logs.map((l) => l.pattern))];

/** What checking reveals and to whom, naming every log and the exact host it is reached at. */
export function contactDisclosure(logs: readonly ContactedLog[]): string {
  if (logs.length === 0) return 'No valid SCT from a log with an address: there is nothing to prove.';
  const named = logs.map((l) => `${l.name} at ${l.host}`).join(', ');
  return (
    `Checks that the logs kept their promise by asking them for proofs. This contacts ${named}: ` +
    'their operators learn which certificate you are looking at, and your IP address.'
  );
}

/**
 * The witnesses a check asks (Options' witness policy, c2sp.org/tlog-policy): those with a URL
 * whose host is plain, as logs' must be. None when there are no logs to check, no policy, or
 * the policy does not parse (the worker then says so in the check's notes).
 */
export function witnessesToContact(
  logs: readonly ContactedLog[],
  policyText: string | null | undefined,
): ContactedLog[] {
  if (!logs.length || !policyText) return [];
  let witnesses: ReturnType<typeof parseWitnessPolicy>['witnesses'];
  try {
    witnesses = parseWitnessPolicy(policyText).witnesses;
  } catch (e) {
    if (e instanceof PolicyError) return [];
    throw e;
  }
  return witnesses.flatMap((w) => {
    if (w.url === undefined || logUrlProblem(w.url)) return [];
    const url = new URL(w.url);
    return [{ name: `witness ${w.name}`, host: url.host, pattern: `${url.origin}/*` }];
  });
}

/** What asking the witnesses reveals: only which log is being checked (tlog-witness retrieval by origin hash). */
export function witnessDisclosure(witnesses: readonly ContactedLog[]): string {
  if (!witnesses.length) return '';
  const named = witnesses.map((w) => `${w.name} at ${w.host}`).join(', ');
  return (
    `It also asks ${named} for the latest tree head each cosigned for those logs: ` +
    'contacting a witness reveals only which log is being checked (and your IP address), not the certificate.'
  );
}
