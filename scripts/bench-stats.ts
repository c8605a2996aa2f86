/**
 * Statistics for the benchmark's interleaved page loads: the median, and how sure a run can be of
 * a difference between two medians (a percentile bootstrap, Efron & Tibshirani, "An Introduction to
 * the Bootstrap", ch. 13). Rounds are resampled whole, so each resample keeps the pairing of loads
 * made in the same round, under the same spell of the machine.
 */

export function median(xs: readonly number[]): number {
  if (xs.length === 0) throw new RangeError('the median of no values');
  const s = [...xs].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
}

export interface Interval {
  readonly low: number;
  readonly high: number;
}

/**
 * A 95% interval for median(b) − median(a), where a[i] and b[i] were measured in round i.
 * Deterministic: the resampling draws from a fixed-seed generator, so one run's figures repeat.
 */
export function medianDifferenceInterval(a: readonly number[], b: readonly number[], resamples = 2000): Interval {
  if (a.length !== b.length || a.length === 0)
    throw new RangeError(`paired samples of equal, non-zero length needed (${a.length} and ${b.length})`);
  const random = mulberry32(0x6374_6c65); // "ctle"
  const n = a.length;
  const differences: number[] = [];
  const ra = new Array<number>(n);
  const rb = new Array<number>(n);
  for (let r = 0; r < resamples; r++) {
    for (let i = 0; i < n; i++) {
      const round = Math.floor(random() * n);
      ra[i] = a[round]!;
      rb[i] = b[round]!;
    }
    differences.push(median(rb) - median(ra));
  }
  differences.sort((x, y) => x - y);
  return { low: differences[Math.floor(0.025 * resamples)]!, high: differences[Math.ceil(0.975 * resamples) - 1]! };
}

/** A small, fast 32-bit generator (Tommy Ettinger's Mulberry32), uniform in [0, 1). */
function mulberry32(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** An interval to hundredths of a millisecond, as the benchmark's figures are given. */
export const toHundredths = ({ low, high }: Interval): Interval => ({
  low: Number(low.toFixed(2)),
  high: Number(high.toFixed(2)),
});

/** An added figure as the benchmark prints it: "+1.5 ms", and its interval when given, "(95%: -0.2…+3.1)". */
export function addedMs(ms: number, interval?: Interval): string {
  const sign = (x: number) => `${x >= 0 ? '+' : ''}${x}`;
  return `${sign(ms)} ms${interval ? ` (95%: ${sign(interval.low)}…${sign(interval.high)})` : ''}`;
}
