/**
 * Apple's CT policy (support.apple.com/en-us/103214) through the full pipeline, with SCTs signed
 * by test logs and a custom log list; see test/support/policy-harness.ts for the world.
 *
 * Lifetime is counted in days of 86,400 s from notBefore to notAfter inclusive, so
 * notAfter = notBefore + 180 days − 1 s is 180 days, and + 180 days is over 180.
 */
import { describe } from 'vitest';
import { DAY, SECOND, T, commonRowsFor, policyTable, type Row } from '../support/policy-harness.js';

const EMBEDDED: Row[] = [
  { name: 'two approved logs of two operators (90 days)', embedded: ['A1', 'B1'], expect: 'compliant' },
  {
    name: 'one SCT: not-compliant',
    embedded: ['A1'],
    expect: 'not-compliant',
    reasons: ['1 SCT from logs approved now or in the past, 2 needed'],
  },
  {
    name: 'no SCTs at all: not-compliant',
    expect: 'not-compliant',
    reasons: ['0 SCTs from logs approved now or in the past, 2 needed'],
  },
  // ≤ 180 days: 2 embedded SCTs, at most 1 per operator.
  {
    name: '≤180 days: two logs of one operator count once',
    embedded: ['A1', 'A2'],
    expect: 'not-compliant',
    reasons: ['1 embedded SCT counted (at most 1 per operator), 2 needed'],
  },
  { name: '≤180 days: three logs, two of one operator', embedded: ['A1', 'A2', 'B1'], expect: 'compliant' },
  {
    name: 'lifetime 180 days − 1 s is 180 days: 2 SCTs suffice',
    lifetime: 180 * DAY - SECOND,
    embedded: ['A1', 'B1'],
    expect: 'compliant',
  },
  {
    name: 'lifetime 180 days + 0 s is over 180 days: 2 SCTs are too few',
    lifetime: 180 * DAY,
    embedded: ['A1', 'B1'],
    expect: 'not-compliant',
    reasons: ['3 needed'],
  },
  // 181–398 days: 3 embedded SCTs, at most 2 per operator.
  {
    name: '181–398 days: three logs of two operators',
    lifetime: 180 * DAY,
    embedded: ['A1', 'A2', 'B1'],
    expect: 'compliant',
  },
  {
    name: '181–398 days: three logs of one operator count twice',
    lifetime: 180 * DAY,
    embedded: ['A1', 'A2', { log: 'A3', time: T.issued }],
    expect: 'not-compliant',
    reasons: ['2 embedded SCTs counted (at most 2 per operator), 3 needed'],
  },
  {
    name: 'lifetime 398 days (notAfter = notBefore + 398 d − 1 s): 3 SCTs suffice',
    lifetime: 398 * DAY - SECOND,
    embedded: ['A1', 'B1', 'C1'],
    expect: 'compliant',
  },
  {
    name: 'lifetime over 398 days (notBefore + 398 d): not-compliant',
    lifetime: 398 * DAY,
    embedded: ['A1', 'B1', 'C1', 'A2', 'B2'],
    expect: 'not-compliant',
    reasons: ['exceeds the 398 days'],
  },
  {
    name: 'lifetime over 398 days fails even with SCTs delivered by TLS',
    lifetime: 400 * DAY,
    embedded: ['A1', 'B1', 'C1'],
    tls: ['A2', 'B2'],
    expect: 'not-compliant',
    reasons: ['398'],
  },
  // Log states.
  { name: 'ReadOnly log is currently approved', embedded: ['A1', 'B3'], expect: 'compliant' },
  { name: 'RSA log counts', embedded: ['A1', 'C1'], expect: 'compliant' },
  {
    name: 'Pending log does not count',
    embedded: ['A1', 'C2'],
    expect: 'not-compliant',
    reasons: ['1 SCT from logs approved now or in the past'],
  },
  {
    name: 'Rejected log does not count',
    embedded: ['A1', 'C3'],
    expect: 'not-compliant',
    reasons: ['1 SCT from logs approved now or in the past'],
  },
  {
    name: 'Retired log (approved in the past) with an SCT from before retirement counts',
    embedded: ['A3', 'B1'],
    expect: 'compliant',
  },
  {
    name: 'Retired log with an SCT from after its retirement does not count',
    notBefore: T.retired + 10 * DAY,
    embedded: ['A3', 'B1'],
    expect: 'not-compliant',
    reasons: ['1 SCT from logs approved now or in the past'],
  },
  {
    name: 'only Retired logs: no embedded SCT from a currently approved log',
    embedded: ['A3', 'B4'],
    expect: 'not-compliant',
    reasons: ['no embedded SCT from a currently approved log'],
  },
  // Distinct logs.
  {
    name: 'two SCTs from one log count once',
    embedded: ['A1', { log: 'A1', time: T.issued + 1 }],
    expect: 'not-compliant',
    reasons: ['1 SCT from logs approved now or in the past, 2 needed'],
  },
  // Operator at the SCT's time.
  {
    name: 'log that changed operators after the SCT counts for its old operator (B1 + D1 both Op B)',
    embedded: ['B1', 'D1'],
    expect: 'not-compliant',
    reasons: ['1 embedded SCT counted (at most 1 per operator), 2 needed'],
  },
  {
    name: 'log that changed operators before the SCT counts for its new operator',
    notBefore: T.opSwitch + DAY,
    embedded: ['B1', 'D1'],
    expect: 'compliant',
  },
  // ≥ 1 SCT from an RFC 6962 log (no end date for Apple).
  {
    name: 'all-tiled logs: not-compliant',
    embedded: ['A2', 'B2'],
    expect: 'not-compliant',
    reasons: ['none is from an RFC 6962 log'],
  },
  {
    name: 'all-tiled logs at 2026-05-01: still not-compliant',
    at: Date.UTC(2026, 4, 1),
    notBefore: Date.UTC(2026, 3, 10),
    embedded: ['A2', 'B2'],
    expect: 'not-compliant',
    reasons: ['none is from an RFC 6962 log'],
  },
  { name: 'tiled + RFC 6962 log: compliant', embedded: ['A2', 'B1'], expect: 'compliant' },
  {
    name: 'RFC 6962 log that does not count (Pending) does not satisfy the rule',
    embedded: ['A2', 'B2', 'C2'],
    expect: 'not-compliant',
    reasons: ['none is from an RFC 6962 log'],
  },
];

const DELIVERED: Row[] = [
  { name: 'TLS: two currently approved logs', tls: ['A1', 'B1'], expect: 'compliant' },
  { name: 'OCSP: two currently approved logs', ocsp: ['A1', 'B1'], expect: 'compliant' },
  { name: '1 embedded + 1 TLS from currently approved logs', embedded: ['A1'], tls: ['B1'], expect: 'compliant' },
  { name: '1 embedded + 1 OCSP from currently approved logs', embedded: ['B1'], ocsp: ['A1'], expect: 'compliant' },
  {
    name: 'TLS: two logs of one operator (no operator rule for delivered SCTs)',
    tls: ['A1', 'A2'],
    expect: 'compliant',
  },
  {
    name: 'TLS: 2 SCTs suffice for a 398-day certificate',
    lifetime: 398 * DAY - SECOND,
    tls: ['A1', 'B1'],
    expect: 'compliant',
  },
  {
    name: 'TLS: one SCT',
    tls: ['A1'],
    expect: 'not-compliant',
    reasons: ['1 SCT from logs approved now or in the past, 2 needed', '1 SCT from currently approved logs, 2 needed'],
  },
  {
    name: 'TLS: two SCTs from one log count once',
    tls: ['A1', { log: 'A1', time: T.issued + 1 }],
    expect: 'not-compliant',
    reasons: ['1 SCT from currently approved logs, 2 needed'],
  },
  {
    name: 'TLS + embedded from a Retired log: not two currently approved logs',
    embedded: ['A3'],
    tls: ['A1'],
    expect: 'not-compliant',
    reasons: ['no embedded SCT from a currently approved log', '1 SCT from currently approved logs, 2 needed'],
  },
  {
    name: 'TLS: Pending log does not count',
    tls: ['A1', 'C2'],
    expect: 'not-compliant',
    reasons: ['1 SCT from currently approved logs, 2 needed'],
  },
  {
    name: 'TLS: all-tiled logs fail the RFC 6962 rule',
    tls: ['A2', 'B2'],
    expect: 'not-compliant',
    reasons: ['none is from an RFC 6962 log'],
  },
];

describe('Apple CT policy: embedded SCTs', () => policyTable('apple', EMBEDDED));
describe('Apple CT policy: TLS and OCSP SCTs', () => policyTable('apple', DELIVERED));
describe('Apple CT policy: common rules', () => policyTable('apple', commonRowsFor('apple')));
