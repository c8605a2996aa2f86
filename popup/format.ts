/** Formatting for people: times in UTC, sources and verdict words. No decisions are made here. */
import type { SctReport } from '../src/report.js';
import type { Level } from '../src/summary.js';

/** "2020-04-01 12:58:56 UTC". */
export function utc(time: number | string | null | undefined): string {
  if (time === null || time === undefined) return '—';
  const date = new Date(time);
  if (Number.isNaN(date.getTime())) return String(time);
  return `${date.toISOString().slice(0, 19).replace('T', ' ')} UTC`;
}

/** "2020-04-01". */
export function day(time: number | string | null | undefined): string {
  if (time === null || time === undefined) return '—';
  const date = new Date(time);
  return Number.isNaN(date.getTime()) ? String(time) : date.toISOString().slice(0, 10);
}

export const SOURCE_LABELS: Record<SctReport['source'], string> = {
  embedded: 'in the certificate',
  'tls-extension': 'TLS extension',
  ocsp: 'OCSP response',
};

export const POLICY_LABELS = { chrome: 'Chrome', apple: 'Apple', firefox: 'Firefox' } as const;

/** The word and sign shown beside a level, so that a level never rests on colour alone. */
export const LEVEL_LABELS: Record<Level, { readonly sign: string; readonly word: string }> = {
  ok: { sign: '✓', word: 'OK' },
  alert: { sign: '!', word: 'Problem' },
  unknown: { sign: '?', word: 'Unknown' },
};

/** Signs beside a policy verdict or an SCT status; the verdict or status itself is always shown as text. */
export function verdictSign(verdict: string): string {
  switch (verdict) {
    case 'compliant':
    case 'valid':
      return '✓';
    case 'not-compliant':
    case 'invalid-signature':
    case 'malformed':
    case 'unsupported-algorithm':
    case 'unsupported-version':
    case 'future-timestamp':
      return '✗';
    case 'not-applicable':
      return '–';
    default:
      return '?';
  }
}

/** A hex digest in groups of two, for reading. */
export function groupHex(hex: string): string {
  return hex.replace(/(..)(?=.)/g, '$1:');
}

/** A name safe for a downloaded file. */
export function fileSafe(name: string): string {
  return (
    name
      .replace(/[^a-z0-9.-]+/gi, '_')
      .replace(/^_+|_+$/g, '')
      .slice(0, 80) || 'certificate'
  );
}
