/**
 * Firefox's CT policy (CTPolicyEnforcer) through the full pipeline, with SCTs signed by test
 * logs and a custom log list; see test/support/policy-harness.ts for the world.
 */
import { describe } from 'vitest';
import { DAY, SECOND, T, commonRowsFor, policyTable, type Row } from '../support/policy-harness.js';

const EMBEDDED: Row[] = [
  { name: 'two approved logs of two operators (90 days)', embedded: ['A1', 'B1'], expect: 'compliant' },
  {
    name: 'one log: not-compliant',
    embedded: ['A1'],
    expect: 'not-compliant',
    reasons: ['embedded SCTs: 1 counted log, 2 needed'],
  },
  { name: 'no SCTs at all: not-compliant', expect: 'not-compliant', reasons: ['no valid SCTs'] },
  // Lifetime: ≤ 180 days → 2, else 3.
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
  // Log states.
  { name: 'ReadOnly log counts', embedded: ['A1', 'B3'], expect: 'compliant' },
  { name: 'RSA log counts', embedded: ['A1', 'C1'], expect: 'compliant' },
  {
    name: 'Pending log does not count',
    embedded: ['A1', 'C2'],
    expect: 'not-compliant',
    reasons: ['1 counted log, 2 needed'],
  },
  {
    name: 'Rejected log does not count',
    embedded: ['A1', 'C3'],
    expect: 'not-compliant',
    reasons: ['1 counted log, 2 needed'],
  },
  { name: 'Retired log with an SCT from before its retirement counts', embedded: ['A3', 'B1'], expect: 'compliant' },
  {
    name: 'Retired log with an SCT from after its retirement does not count',
    notBefore: T.retired + 10 * DAY,
    embedded: ['A3', 'B1'],
    expect: 'not-compliant',
    reasons: ['1 counted log, 2 needed'],
  },
  {
    name: 'only Retired logs: none Qualified/Usable/ReadOnly',
    embedded: ['A3', 'B4'],
    expect: 'not-compliant',
    reasons: ['none is from a log that is Qualified, Usable or ReadOnly now'],
  },
  // Distinct logs, operators.
  {
    name: 'two SCTs from one log count once',
    embedded: ['A1', { log: 'A1', time: T.issued + 1 }],
    expect: 'not-compliant',
    reasons: ['1 counted log, 2 needed'],
  },
  {
    name: 'two logs of one operator',
    embedded: ['A1', 'A2'],
    expect: 'not-compliant',
    reasons: ['1 log operator, 2 needed'],
  },
  {
    name: 'log that changed operators after the SCT counts for its old operator (B1 + D1 both Op B)',
    embedded: ['B1', 'D1'],
    expect: 'not-compliant',
    reasons: ['1 log operator, 2 needed'],
  },
  {
    name: 'log that changed operators before the SCT counts for its new operator',
    notBefore: T.opSwitch + DAY,
    embedded: ['B1', 'D1'],
    expect: 'compliant',
  },
  // No RFC 6962 rule for Firefox.
  {
    name: 'all-tiled logs at 2026-04-01: compliant',
    at: Date.UTC(2026, 3, 1),
    notBefore: Date.UTC(2026, 2, 10),
    embedded: ['A2', 'B2'],
    expect: 'compliant',
  },
];

const DELIVERED: Row[] = [
  { name: 'TLS: two approved logs', tls: ['A1', 'B1'], expect: 'compliant' },
  { name: 'OCSP: two approved logs', ocsp: ['A1', 'B1'], expect: 'compliant' },
  { name: 'TLS + OCSP: one each from distinct approved logs', tls: ['A1'], ocsp: ['B1'], expect: 'compliant' },
  {
    name: 'TLS: one SCT',
    tls: ['A1'],
    expect: 'not-compliant',
    reasons: ['TLS/OCSP SCTs: 1 SCT from distinct Qualified, Usable or ReadOnly logs, 2 needed'],
  },
  {
    name: 'TLS: two SCTs from one log count once',
    tls: ['A1', { log: 'A1', time: T.issued + 1 }],
    expect: 'not-compliant',
    reasons: ['TLS/OCSP SCTs: 1 SCT from distinct'],
  },
  {
    name: 'TLS + OCSP from the same log count once',
    tls: ['A1'],
    ocsp: ['A1'],
    expect: 'not-compliant',
    reasons: ['TLS/OCSP SCTs: 1 SCT from distinct'],
  },
  { name: 'TLS: ReadOnly log counts', tls: ['A1', 'B3'], expect: 'compliant' },
  {
    name: 'TLS: Retired log does not count, even before its retirement',
    tls: ['A3', 'B1'],
    expect: 'not-compliant',
    reasons: ['TLS/OCSP SCTs: 1 SCT from distinct'],
  },
  {
    name: 'TLS: Pending log does not count',
    tls: ['A1', 'C2'],
    expect: 'not-compliant',
    reasons: ['TLS/OCSP SCTs: 1 SCT from distinct'],
  },
  {
    name: 'TLS: Rejected log does not count',
    tls: ['A1', 'C3'],
    expect: 'not-compliant',
    reasons: ['TLS/OCSP SCTs: 1 SCT from distinct'],
  },
  {
    name: 'TLS: 2 SCTs suffice for a 398-day certificate',
    lifetime: 398 * DAY,
    tls: ['A1', 'B1'],
    expect: 'compliant',
  },
  { name: 'TLS SCTs complete what embedded SCTs lack', embedded: ['A1'], tls: ['B1', 'C1'], expect: 'compliant' },
];

describe('Firefox CT policy: embedded SCTs', () => policyTable('firefox', EMBEDDED));
describe('Firefox CT policy: TLS and OCSP SCTs', () => policyTable('firefox', DELIVERED));
describe('Firefox CT policy: common rules', () => policyTable('firefox', commonRowsFor('firefox')));
