/** Reading a command's arguments: options (node:util parseArgs, strict) and --at times. */
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { parseRfc3339 } from '../time.js';
import { UsageError } from './errors.js';

/**
 * `args` against `options`, with exactly `operands` operands (a number), or one or more
 * (`'some'`), or any number (`'any'`). Every problem is a UsageError naming it.
 */
export function parse<T extends ParseArgsConfig['options']>(
  args: readonly string[],
  options: T,
  operands: number | 'some' | 'any',
) {
  const config = { args: [...args], options, allowPositionals: true as const, strict: true as const };
  let parsed: ReturnType<typeof parseArgs<typeof config>>;
  try {
    parsed = parseArgs(config);
  } catch (e) {
    throw new UsageError((e as Error).message.split('\n')[0]!.replace(/\. To specify.*$/, ''));
  }
  const count = parsed.positionals.length;
  if (operands === 'some' && count === 0) throw new UsageError('missing the certificate file');
  if (typeof operands === 'number' && count !== operands) {
    const extra = parsed.positionals[operands === 0 ? 0 : operands];
    throw new UsageError(count < operands ? 'missing the certificate file' : `unexpected argument "${extra}"`);
  }
  return parsed;
}

/** --at: an ISO 8601 date or date-time; a date is midnight UTC, a date-time without a zone is UTC. */
export function parseTime(text: string): number {
  const m = /^(\d{4}-\d\d-\d\d)(?:[T ](\d\d:\d\d)(:\d\d(?:\.\d+)?)?(Z|[+-]\d\d:?\d\d)?)?$/i.exec(text);
  if (!m) throw new UsageError(`--at: "${text}" is not an ISO 8601 time (e.g. 2026-01-31 or 2026-01-31T12:00:00Z)`);
  const [, date, hm = '00:00', seconds = ':00', zone = 'Z'] = m;
  const offset = zone.length === 5 ? `${zone.slice(0, 3)}:${zone.slice(3)}` : zone;
  const ms = parseRfc3339(`${date}T${hm}${seconds}${offset}`);
  if (ms === undefined) throw new UsageError(`--at: "${text}" is not a valid time`);
  return ms;
}
