/**
 * Chrome's CT policy through the full pipeline, with SCTs signed by test logs
 * (test/support/test-pki.ts) and a custom log list; see test/support/policy-harness.ts for the
 * world (logs A1…D1, their states and operators).
 */
import { describe } from 'vitest';
import { DAY, SECOND, T, commonRowsFor, policyTable, type Row } from '../support/policy-harness.js';

const RFC6962_RULE_ENDS = Date.UTC(2026, 3, 15);

const EMBEDDED: Row[] = [
  { name: 'two approved logs of two operators (90 days)', embedded: ['A1', 'B1'], expect: 'compliant' },
  {
    name: 'one log: not-compliant',
    embedded: ['A1'],
    expect: 'not-compliant',
    reasons: ['embedded SCTs: 1 counted log, 2 needed'],
  },
  { name: 'no SCTs at all: not-compliant', expect: 'not-compliant', reasons: ['no valid SCTs'] },
  // Lifetime: notAfter − notBefore ≤ 180 days → 2 logs, else 3.
  {
    name: 'lifetime exactly 180 days: 2 logs suffice',
    lifetime: 180 * DAY,
    embedded: ['A1', 'B1'],
    expect: 'compliant',
  },
  {
    name: 'lifetime 180 days + 1 s: 2 logs are too few',
    lifetime: 180 * DAY + SECOND,
    embedded: ['A1', 'B1'],
    expect: 'not-compliant',
    reasons: ['2 counted logs, 3 needed'],
  },
  {
    name: 'lifetime 180 days + 1 s: 3 logs suffice',
    lifetime: 180 * DAY + SECOND,
    embedded: ['A1', 'B1', 'C1'],
    expect: 'compliant',
  },
  { name: 'lifetime 398 days: 3 logs suffice', lifetime: 398 * DAY, embedded: ['A1', 'B1', 'C1'], expect: 'compliant' },
  // Log states.
  { name: 'Qualified + Usable logs count', embedded: ['B1', 'A1'], expect: 'compliant' },
  { name: 'ReadOnly log counts', embedded: ['A1', 'B3'], expect: 'compliant' },
  { name: 'RSA log counts', embedded: ['A1', 'C1'], expect: 'compliant' },
  {
    name: 'Pending log never counts',
    embedded: ['A1', 'C2'],
    expect: 'not-compliant',
    reasons: ['1 counted log, 2 needed'],
  },
  {
    name: 'Rejected log never counts',
    embedded: ['A1', 'C3'],
    expect: 'not-compliant',
    reasons: ['1 counted log, 2 needed'],
  },
  {
    name: 'Pending and Rejected beside enough approved logs: compliant',
    embedded: ['A1', 'C2', 'C3', 'B1'],
    expect: 'compliant',
  },
  // Retired logs.
  { name: 'Retired log with an SCT from before its retirement counts', embedded: ['A3', 'B1'], expect: 'compliant' },
  {
    name: 'Retired log with an SCT from after its retirement does not count',
    notBefore: T.retired + 10 * DAY,
    embedded: ['A3', 'B1'],
    expect: 'not-compliant',
    reasons: ['1 counted log, 2 needed'],
  },
  {
    name: 'Retired log with an SCT at the instant of its retirement does not count',
    embedded: [{ log: 'A3', time: T.retired }, 'B1'],
    expect: 'not-compliant',
    reasons: ['1 counted log, 2 needed'],
  },
  {
    name: 'only Retired logs: none Qualified/Usable/ReadOnly at evaluation time',
    embedded: ['A3', 'B4'],
    expect: 'not-compliant',
    reasons: ['none is from a log that is Qualified, Usable or ReadOnly now'],
  },
  {
    name: 'same Retired logs judged before their retirement (then Usable): compliant',
    embedded: ['A3', 'B4'],
    at: T.retired - DAY,
    expect: 'compliant',
  },
  // One SCT per log.
  {
    name: 'two SCTs from one log count once',
    embedded: ['A1', { log: 'A1', time: T.issued + 1 }],
    expect: 'not-compliant',
    reasons: ['1 counted log, 2 needed'],
  },
  {
    name: 'three SCTs from two logs with a 181-day lifetime: 2 logs, 3 needed',
    lifetime: 181 * DAY,
    embedded: ['A1', 'B1', { log: 'B1', time: T.issued + 5 }],
    expect: 'not-compliant',
    reasons: ['2 counted logs, 3 needed'],
  },
  // Operators.
  {
    name: 'two logs of one operator',
    embedded: ['A1', 'A2'],
    expect: 'not-compliant',
    reasons: ['1 log operator, 2 needed'],
  },
  { name: 'three logs, two of one operator', lifetime: 200 * DAY, embedded: ['A1', 'A2', 'B1'], expect: 'compliant' },
  {
    name: 'log that changed operators after the SCT counts for its old operator (B1 + D1 both Op B)',
    embedded: ['B1', 'D1'],
    expect: 'not-compliant',
    reasons: ['1 log operator, 2 needed'],
  },
  {
    name: 'log that changed operators before the SCT counts for its new operator (B1 + D1: Op B, Op D)',
    notBefore: T.opSwitch + DAY,
    embedded: ['B1', 'D1'],
    expect: 'compliant',
  },
  {
    name: 'D1 before its operator change counts for Op B, beside Op A: compliant',
    embedded: ['A1', 'D1'],
    expect: 'compliant',
  },
  // RFC 6962 (not tiled) log until 2026-04-15.
  {
    name: 'all-tiled logs at 2026-04-01: fails the RFC 6962 rule',
    at: Date.UTC(2026, 3, 1),
    notBefore: Date.UTC(2026, 2, 10),
    embedded: ['A2', 'B2'],
    expect: 'not-compliant',
    reasons: ['none is from an RFC 6962 log'],
  },
  {
    name: 'all-tiled logs one second before 2026-04-15: fails the RFC 6962 rule',
    at: RFC6962_RULE_ENDS - SECOND,
    notBefore: Date.UTC(2026, 2, 10),
    embedded: ['A2', 'B2'],
    expect: 'not-compliant',
    reasons: ['none is from an RFC 6962 log'],
  },
  {
    name: 'all-tiled logs at 2026-05-01: compliant',
    at: Date.UTC(2026, 4, 1),
    notBefore: Date.UTC(2026, 3, 10),
    embedded: ['A2', 'B2'],
    expect: 'compliant',
  },
  {
    name: 'tiled + RFC 6962 log at 2026-04-01: compliant',
    at: Date.UTC(2026, 3, 1),
    notBefore: Date.UTC(2026, 2, 10),
    embedded: ['A2', 'B1'],
    expect: 'compliant',
  },
  {
    name: 'RFC 6962 log that does not count (Pending) does not satisfy the RFC 6962 rule',
    embedded: ['A2', 'B2', 'C2'],
    expect: 'not-compliant',
    reasons: ['none is from an RFC 6962 log'],
  },
];

const DELIVERED: Row[] = [
  { name: 'TLS: two approved logs of two operators', tls: ['A1', 'B1'], expect: 'compliant' },
  {
    name: 'TLS: one SCT',
    tls: ['A1'],
    expect: 'not-compliant',
    reasons: ['TLS-extension SCTs: 1 SCT from Qualified, Usable or ReadOnly logs, 2 needed'],
  },
  {
    name: 'TLS: two logs of one operator',
    tls: ['A1', 'A2'],
    expect: 'not-compliant',
    reasons: ['TLS-extension SCTs: 1 log operator, 2 needed'],
  },
  {
    name: 'TLS: two SCTs from one log count once',
    tls: ['A1', { log: 'A1', time: T.issued + 1 }],
    expect: 'not-compliant',
    reasons: ['TLS-extension SCTs: 1 SCT from Qualified'],
  },
  { name: 'TLS: ReadOnly + Qualified logs count', tls: ['B3', 'A1'], expect: 'compliant' },
  {
    name: 'TLS: Retired log does not count, even before its retirement',
    tls: ['A3', 'B1'],
    expect: 'not-compliant',
    reasons: ['TLS-extension SCTs: 1 SCT from Qualified'],
  },
  {
    name: 'TLS: Pending log does not count',
    tls: ['A1', 'C2'],
    expect: 'not-compliant',
    reasons: ['TLS-extension SCTs: 1 SCT from Qualified'],
  },
  {
    name: 'TLS: Rejected log does not count',
    tls: ['A1', 'C3'],
    expect: 'not-compliant',
    reasons: ['TLS-extension SCTs: 1 SCT from Qualified'],
  },
  {
    name: 'TLS: 2 SCTs suffice for a 398-day certificate',
    lifetime: 398 * DAY,
    tls: ['A1', 'B1'],
    expect: 'compliant',
  },
  { name: 'TLS SCTs complete what embedded SCTs lack', embedded: ['A1'], tls: ['B1', 'C1'], expect: 'compliant' },
  {
    name: 'embedded and TLS SCTs are not pooled (1 embedded + 1 TLS)',
    embedded: ['A1'],
    tls: ['B1'],
    expect: 'not-compliant',
    reasons: ['embedded SCTs: 1 counted log, 2 needed', 'TLS-extension SCTs: 1 SCT'],
  },
  {
    name: 'OCSP SCTs never count',
    ocsp: ['A1', 'B1'],
    statuses: ['valid', 'valid'],
    expect: 'not-compliant',
    reasons: ['no valid SCTs embedded in the certificate or delivered in the TLS extension', 'OCSP'],
  },
  {
    name: 'OCSP SCTs do not complete embedded ones',
    embedded: ['A1'],
    ocsp: ['B1', 'C1'],
    expect: 'not-compliant',
    reasons: ['embedded SCTs: 1 counted log, 2 needed', '2 OCSP SCTs not counted'],
  },
];

describe('Chrome CT policy: embedded SCTs', () => policyTable('chrome', EMBEDDED));
describe('Chrome CT policy: TLS and OCSP SCTs', () => policyTable('chrome', DELIVERED));
describe('Chrome CT policy: common rules', () => policyTable('chrome', commonRowsFor('chrome')));
