/** Counting helpers the three CT policies share. */
import { DAY_MS } from '../time.js';
import type { PolicySct } from './types.js';

/** One SCT per log (the earliest); every policy counts logs, not SCTs. */
export function onePerLog(scts: readonly PolicySct[]): PolicySct[] {
  const byLog = new Map<string, PolicySct>();
  for (const sct of scts) {
    const seen = byLog.get(sct.logId);
    if (!seen || sct.timestamp < seen.timestamp) byLog.set(sct.logId, sct);
  }
  return [...byLog.values()];
}

export const operatorCount = (scts: readonly PolicySct[]): number => new Set(scts.map((s) => s.operator)).size;

export const isApprovedNow = (sct: PolicySct): boolean =>
  sct.state === 'qualified' || sct.state === 'usable' || sct.state === 'readonly';

/** A retired log's SCT counts only when issued before the retirement. */
export const retiredBefore = (sct: PolicySct, time: number): boolean =>
  sct.state === 'retired' && sct.log.state !== undefined && time < sct.log.state.since;

export const plural = (n: number, word: string): string => `${n} ${word}${n === 1 ? '' : 's'}`;

export const fromRfc6962Log = (scts: readonly PolicySct[]): boolean => scts.some((s) => s.log.type === 'rfc6962');

/** A duration in days for people: whole, or to two decimals. */
export const days = (ms: number): string =>
  Number.isInteger(ms / DAY_MS) ? String(ms / DAY_MS) : (ms / DAY_MS).toFixed(2);
