import { describe, expect, it } from 'vitest';
import { addedMs, median, medianDifferenceInterval, toHundredths } from '../../scripts/bench-stats.js';

describe('the benchmark statistics', () => {
  it('takes the median of odd and even counts, and refuses none', () => {
    expect(median([3, 1, 2])).toBe(2);
    expect(median([4, 1, 3, 2])).toBe(2.5);
    expect(() => median([])).toThrow(RangeError);
  });

  it('gives a zero-width interval when one condition is the other shifted', () => {
    const a = Array.from({ length: 101 }, (_, i) => 40 + ((i * 37) % 23));
    expect(medianDifferenceInterval(a, a)).toEqual({ low: 0, high: 0 });
    expect(
      medianDifferenceInterval(
        a,
        a.map((x) => x + 5),
      ),
    ).toEqual({ low: 5, high: 5 });
  });

  it('covers a known shift under noise, and excludes zero when the shift is large against it', () => {
    // A deterministic noise pattern of about ±6 ms around 50 ms.
    const noise = (i: number) => ((i * 7919) % 13) - 6;
    const a = Array.from({ length: 150 }, (_, i) => 50 + noise(i));
    const b = Array.from({ length: 150 }, (_, i) => 52 + noise(i + 5));
    const { low, high } = medianDifferenceInterval(a, b);
    expect(low).toBeLessThanOrEqual(2);
    expect(high).toBeGreaterThanOrEqual(2);
    const far = medianDifferenceInterval(
      a,
      b.map((x) => x + 10),
    );
    expect(far.low).toBeGreaterThan(0);
  });

  it('refuses unpaired samples', () => {
    expect(() => medianDifferenceInterval([1, 2], [1])).toThrow(/equal, non-zero length/);
    expect(() => medianDifferenceInterval([], [])).toThrow(RangeError);
  });

  it('prints an added figure signed, with its interval when given, to hundredths', () => {
    expect(toHundredths({ low: -0.123, high: 2.456 })).toEqual({ low: -0.12, high: 2.46 });
    expect(addedMs(1.5)).toBe('+1.5 ms');
    expect(addedMs(0, { low: -0.2, high: 3.1 })).toBe('+0 ms (95%: -0.2…+3.1)');
  });
});
