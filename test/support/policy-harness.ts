/**
 * Table-driven CT policy tests through the whole pipeline (decide() from src/check.ts): a test
 * CA issues a certificate whose SCTs the test logs of test-pki.ts signed, checked against a
 * custom v3 log list.
 *
 * The world: operators A–D with logs in every state, one log that changed operators, one RSA
 * log, and one log (X) that no list knows.
 */
import { expect, test } from 'vitest';
import { decide, type Verdicts } from '../../src/check.js';
import type { LogRegistry } from '../../src/loglist/registry.js';
import type { LogStateName } from '../../src/loglist/schema.js';
import type { PolicyName } from '../../src/policy/evaluate.js';
import type { Verdict } from '../../src/policy/types.js';
import type { SctStatus } from '../../src/verify/sct-status.js';
import type { DeliveredSct } from '../../src/verify/verify-scts.js';
import {
  createTestCa,
  createTestLog,
  issuePrecertificate,
  issueWithEmbeddedScts,
  registryFromList,
  signTlsSct,
  type LogListEntry,
  type TestCa,
  type TestLog,
} from './test-pki.js';

export const SECOND = 1000;
export const DAY = 86_400_000;

/** The times the world is built around. */
export const T = {
  /** Default notBefore and SCT time. */
  issued: Date.UTC(2026, 0, 10),
  /** Default evaluation time: before Chrome's RFC 6962 rule ends (2026-04-15). */
  at: Date.UTC(2026, 2, 1),
  /** A3 and B4 became Retired. */
  retired: Date.UTC(2026, 1, 1),
  /** D1 was run by "Op B" until this time, by "Op D" since. */
  opSwitch: Date.UTC(2026, 0, 20),
} as const;

const SINCE = Date.UTC(2024, 5, 1);

interface LogDef {
  readonly operator: string;
  readonly state: LogStateName;
  readonly since: number;
  readonly type: 'rfc6962' | 'tiled';
  readonly rsa?: boolean;
  readonly previousOperators?: LogListEntry['previousOperators'];
}

const LOGS = {
  A1: { operator: 'Op A', state: 'usable', since: SINCE, type: 'rfc6962' },
  A2: { operator: 'Op A', state: 'usable', since: SINCE, type: 'tiled' },
  A3: { operator: 'Op A', state: 'retired', since: T.retired, type: 'rfc6962' },
  B1: { operator: 'Op B', state: 'qualified', since: Date.UTC(2025, 9, 1), type: 'rfc6962' },
  B2: { operator: 'Op B', state: 'usable', since: SINCE, type: 'tiled' },
  B3: { operator: 'Op B', state: 'readonly', since: Date.UTC(2025, 5, 1), type: 'rfc6962' },
  B4: { operator: 'Op B', state: 'retired', since: T.retired, type: 'rfc6962' },
  C1: { operator: 'Op C', state: 'usable', since: SINCE, type: 'rfc6962', rsa: true },
  C2: { operator: 'Op C', state: 'pending', since: Date.UTC(2025, 11, 1), type: 'rfc6962' },
  C3: { operator: 'Op C', state: 'rejected', since: Date.UTC(2025, 11, 1), type: 'rfc6962' },
  C4: { operator: 'Op C', state: 'usable', since: SINCE, type: 'tiled' },
  D1: {
    operator: 'Op D',
    state: 'usable',
    since: SINCE,
    type: 'rfc6962',
    previousOperators: [{ name: 'Op B', endTime: T.opSwitch }],
  },
} as const satisfies Record<string, LogDef>;

/** A log of the list, or X: a log no list knows. */
type LogName = keyof typeof LOGS | 'X';

interface World {
  readonly ca: TestCa;
  /** Another CA: not the leaves' issuer. */
  readonly otherCa: TestCa;
  readonly logs: Record<LogName, TestLog>;
}

let world: Promise<World> | undefined;
const getWorld = (): Promise<World> =>
  (world ??= (async () => {
    const logs = {} as Record<LogName, TestLog>;
    for (const [name, def] of Object.entries(LOGS) as [keyof typeof LOGS, LogDef][]) {
      logs[name] = createTestLog(`Test log ${name}`, def.rsa ? 'rsa' : 'ecdsa');
    }
    logs.X = createTestLog('Test log X (unlisted)');
    return { ca: await createTestCa('ctlens Test CA'), otherCa: await createTestCa('ctlens Other CA'), logs };
  })());

const registries = new Map<number, LogRegistry>();
function registry(w: World, timestamp: number): LogRegistry {
  let r = registries.get(timestamp);
  if (!r) {
    const operators = new Map<string, LogListEntry[]>();
    for (const [name, def] of Object.entries(LOGS) as [keyof typeof LOGS, LogDef][]) {
      const entry: LogListEntry = {
        log: w.logs[name],
        state: def.state,
        stateSince: def.since,
        type: def.type,
        previousOperators: def.previousOperators,
      };
      operators.set(def.operator, [...(operators.get(def.operator) ?? []), entry]);
    }
    r = registryFromList({ timestamp, operators: [...operators].map(([name, logs]) => ({ name, logs })) });
    registries.set(timestamp, r);
  }
  return r;
}

interface SctSpec {
  readonly log: LogName;
  /** SCT timestamp (ms); default the certificate's notBefore. */
  readonly time?: number;
  readonly tamper?: boolean;
  readonly extensions?: Uint8Array;
}

export interface Scenario {
  readonly name: string;
  /** Default T.issued. */
  readonly notBefore?: number;
  /** notAfter − notBefore (ms); default 90 days. */
  readonly lifetime?: number;
  readonly embedded?: readonly (LogName | SctSpec)[];
  readonly tls?: readonly (LogName | SctSpec)[];
  readonly ocsp?: readonly (LogName | SctSpec)[];
  /** Evaluation time; default T.at. */
  readonly at?: number;
  /** Age of the log list at `at`; default 1 day. */
  readonly listAge?: number;
  /** full: [leaf, CA]; leaf-only: [leaf]; wrong-issuer: [leaf, another CA]. */
  readonly chain?: 'full' | 'leaf-only' | 'wrong-issuer';
  /** final (default), a precertificate, or the CA certificate itself. */
  readonly leaf?: 'final' | 'precertificate' | 'ca';
  /** Expected SCT statuses: embedded, then TLS, then OCSP, in order. */
  readonly statuses?: readonly SctStatus[];
}

export interface Row extends Scenario {
  readonly expect: Verdict;
  /** Substrings every one of which some reason must contain (required unless compliant). */
  readonly reasons?: readonly string[];
  readonly wouldBe?: Verdict;
}

const spec = (s: LogName | SctSpec): SctSpec => (typeof s === 'string' ? { log: s } : s);

export async function runScenario(s: Scenario): Promise<Verdicts> {
  const w = await getWorld();
  const notBefore = s.notBefore ?? T.issued;
  const notAfter = notBefore + (s.lifetime ?? 90 * DAY);
  const at = s.at ?? T.at;
  let leaf: Uint8Array;
  if (s.leaf === 'ca') leaf = w.ca.der;
  else if (s.leaf === 'precertificate') leaf = await issuePrecertificate(w.ca, { notBefore, notAfter });
  else {
    const logs = (s.embedded ?? [])
      .map(spec)
      .map((e) => ({ log: w.logs[e.log], timestamp: e.time ?? notBefore, tamper: e.tamper, extensions: e.extensions }));
    leaf = (await issueWithEmbeddedScts(w.ca, { notBefore, notAfter, logs })).der;
  }
  const delivered: DeliveredSct[] = [];
  for (const [source, list] of [
    ['tls-extension', s.tls],
    ['ocsp', s.ocsp],
  ] as const) {
    for (const d of (list ?? []).map(spec)) {
      delivered.push({
        source,
        bytes: signTlsSct(w.logs[d.log], leaf, d.time ?? notBefore, { tamper: d.tamper, extensions: d.extensions }),
      });
    }
  }
  const chain =
    s.chain === 'leaf-only' ? [leaf] : s.chain === 'wrong-issuer' ? [leaf, w.otherCa.der] : [leaf, w.ca.der];
  return decide({ chain, delivered, registry: registry(w, at - (s.listAge ?? DAY)), at });
}

/** Checks one row's expectation for `policy`. */
async function checkRow(policy: PolicyName, row: Row): Promise<void> {
  if (row.expect !== 'compliant' && !row.reasons?.length)
    throw new Error(`table row "${row.name}" needs an expected reason`);
  const { verification, policies } = await runScenario(row);
  const result = policies[policy];
  const context =
    `${policy}: ${JSON.stringify(result)}; SCTs: ` +
    verification.scts.map((r) => `${r.source}#${r.position} ${r.status}${r.detail ? ` (${r.detail})` : ''}`).join(', ');
  if (row.statuses)
    expect(
      verification.scts.map((r) => r.status),
      context,
    ).toEqual(row.statuses);
  expect(result.verdict, context).toBe(row.expect);
  if (row.expect === 'compliant') expect(result.reasons, context).toEqual([]);
  for (const wanted of row.reasons ?? []) {
    expect(
      result.reasons.some((r) => r.includes(wanted)),
      `${context}\nwanted a reason containing "${wanted}"`,
    ).toBe(true);
  }
  if (row.wouldBe) expect(result.wouldBe, context).toBe(row.wouldBe);
}

/** Declares one vitest test per row. */
export function policyTable(policy: PolicyName, rows: readonly Row[]): void {
  const names = new Set<string>();
  for (const row of rows) {
    if (names.has(row.name)) throw new Error(`duplicate row name "${row.name}"`);
    names.add(row.name);
    test(row.name, () => checkRow(policy, row));
  }
}

// ---------------------------------------------------------------------------------------------
// Rules common to the three policies

export interface CommonRow extends Scenario {
  readonly expect: Record<PolicyName, Verdict>;
  readonly reasons?: readonly string[] | Partial<Record<PolicyName, readonly string[]>>;
  readonly wouldBe?: Record<PolicyName, Verdict>;
}

const ALL = (v: Verdict): Record<PolicyName, Verdict> => ({ chrome: v, apple: v, firefox: v });

/** Three logs of three operators, all RFC 6962 and approved: compliant everywhere (90 days). */
const GOOD: readonly LogName[] = ['A1', 'B1', 'C1'];

export const COMMON_ROWS: readonly CommonRow[] = [
  {
    name: 'baseline: three approved logs of three operators',
    embedded: GOOD,
    expect: ALL('compliant'),
    statuses: ['valid', 'valid', 'valid'],
  },
  // Log list freshness: more than 70 days old → unknown, never not-compliant.
  { name: 'list exactly 70 days old is still fresh', embedded: GOOD, listAge: 70 * DAY, expect: ALL('compliant') },
  {
    name: 'list 70 days + 1 s old: unknown, would be compliant',
    embedded: GOOD,
    listAge: 70 * DAY + SECOND,
    expect: ALL('unknown'),
    wouldBe: ALL('compliant'),
    reasons: ['days old (over 70)'],
  },
  {
    name: 'list 71 days old with too few SCTs: unknown (would be not-compliant), never not-compliant',
    embedded: ['A1'],
    listAge: 71 * DAY,
    expect: ALL('unknown'),
    wouldBe: ALL('not-compliant'),
    reasons: ['71 days old'],
  },
  {
    name: 'fresh list with too few SCTs: not-compliant',
    embedded: ['A1'],
    expect: ALL('not-compliant'),
    reasons: ['2 needed'],
  },
  // Invalid signatures never count.
  {
    name: 'embedded SCT with a tampered signature does not count',
    embedded: ['A1', { log: 'B1', tamper: true }],
    statuses: ['valid', 'invalid-signature'],
    expect: ALL('not-compliant'),
    reasons: ['2 needed'],
  },
  {
    name: 'tampered RSA SCT does not count',
    embedded: ['A1', 'B1', { log: 'C1', tamper: true }],
    lifetime: 200 * DAY,
    statuses: ['valid', 'valid', 'invalid-signature'],
    expect: ALL('not-compliant'),
    reasons: ['3 needed'],
  },
  {
    name: 'TLS SCT with a tampered signature does not count',
    tls: ['A1', { log: 'B1', tamper: true }],
    statuses: ['valid', 'invalid-signature'],
    expect: ALL('not-compliant'),
    reasons: ['2 needed'],
  },
  {
    name: 'SCT extensions are covered by the signature (static-ct-api leaf_index)',
    embedded: [{ log: 'A2', extensions: Uint8Array.of(0, 0, 5, 0, 0, 0, 0, 42) }, 'B1'],
    statuses: ['valid', 'valid'],
    expect: ALL('compliant'),
  },
  // Unknown logs never count.
  {
    name: 'SCT from a log not in the list does not count',
    embedded: ['A1', 'X'],
    statuses: ['valid', 'unknown-log'],
    expect: ALL('not-compliant'),
    reasons: ['not in the log list in use did not count'],
  },
  { name: 'unknown log beside enough known ones: compliant', embedded: [...GOOD, 'X'], expect: ALL('compliant') },
  // What the policies apply to.
  {
    name: 'a precertificate is not-applicable',
    leaf: 'precertificate',
    expect: ALL('not-applicable'),
    reasons: ['precertificate is never served'],
  },
  {
    name: 'a CA certificate is not-applicable',
    leaf: 'ca',
    expect: ALL('not-applicable'),
    reasons: ['CA certificates are not subject'],
  },
  {
    name: 'issued 2018-04-29: before Chrome requires CT',
    notBefore: Date.UTC(2018, 3, 29),
    embedded: GOOD,
    expect: { chrome: 'not-applicable', apple: 'not-applicable', firefox: 'compliant' },
    reasons: { chrome: ['2018-04-30'], apple: ['2018-10-15'] },
  },
  {
    name: 'issued 2018-04-30: Chrome requires CT',
    notBefore: Date.UTC(2018, 3, 30),
    embedded: ['A1'],
    expect: { chrome: 'not-compliant', apple: 'not-applicable', firefox: 'not-compliant' },
    reasons: { chrome: ['2 needed'], apple: ['2018-10-15'], firefox: ['2 needed'] },
  },
  {
    name: 'issued 2018-10-15 00:00: before Apple requires CT',
    notBefore: Date.UTC(2018, 9, 15),
    embedded: ['A1'],
    expect: { chrome: 'not-compliant', apple: 'not-applicable', firefox: 'not-compliant' },
    reasons: { chrome: ['2 needed'], apple: ['2018-10-15'], firefox: ['2 needed'] },
  },
  {
    name: 'issued 2018-10-16: Apple requires CT',
    notBefore: Date.UTC(2018, 9, 16),
    embedded: ['A1'],
    expect: ALL('not-compliant'),
    reasons: ['2 needed'],
  },
  // Missing issuer: embedded SCTs cannot be checked → unknown, not not-compliant.
  {
    name: 'no issuer certificate: embedded SCTs missing-issuer, verdict unknown',
    embedded: GOOD,
    chain: 'leaf-only',
    statuses: ['missing-issuer', 'missing-issuer', 'missing-issuer'],
    expect: ALL('unknown'),
    wouldBe: ALL('not-compliant'),
    reasons: ['could not be checked without the issuer'],
  },
  // Wrong issuer (issue 8): a given issuer that did not issue the leaf is its own status, also unknown.
  {
    name: 'second certificate is not the issuer: wrong-issuer, verdict unknown',
    embedded: GOOD,
    chain: 'wrong-issuer',
    statuses: ['wrong-issuer', 'wrong-issuer', 'wrong-issuer'],
    expect: ALL('unknown'),
    wouldBe: ALL('not-compliant'),
    reasons: ['could not be checked: the certificate given as issuer did not issue this one'],
  },
  {
    name: 'no issuer but TLS SCTs suffice: x509_entry SCTs need no issuer',
    chain: 'leaf-only',
    tls: ['A1', 'B1'],
    statuses: ['valid', 'valid'],
    expect: ALL('compliant'),
  },
  // Future timestamps.
  {
    name: 'embedded SCT timestamped after the evaluation time does not count',
    embedded: ['A1', { log: 'B1', time: T.at + 1 }],
    statuses: ['valid', 'future-timestamp'],
    expect: ALL('not-compliant'),
    reasons: ['2 needed'],
  },
  {
    name: 'embedded SCT timestamped exactly at the evaluation time counts',
    embedded: ['A1', { log: 'B1', time: T.at }],
    statuses: ['valid', 'valid'],
    expect: ALL('compliant'),
  },
  {
    name: 'TLS SCT timestamped after the evaluation time does not count',
    tls: ['A1', { log: 'B1', time: T.at + DAY }],
    statuses: ['valid', 'future-timestamp'],
    expect: ALL('not-compliant'),
    reasons: ['2 needed'],
  },
];

/** The common rows as rows of one policy. */
export const commonRowsFor = (policy: PolicyName): Row[] =>
  COMMON_ROWS.map((c) => ({
    ...c,
    name: `common: ${c.name}`,
    expect: c.expect[policy],
    wouldBe: c.wouldBe?.[policy],
    reasons: Array.isArray(c.reasons)
      ? c.reasons
      : (c.reasons as Partial<Record<PolicyName, readonly string[]>> | undefined)?.[policy],
  }));
