/**
 * The monitor's per-log Throttle (src/monitor/throttle.ts) on a fake clock: Retry-After honoured,
 * exponential backoff without it, concurrency halved by a 429 and never above the maximum, and a
 * request given up after maxAttempts; errors that are the log's answer (malformed) are not retried.
 */
import { describe, expect, it } from 'vitest';
import { LogHttpError } from '../../src/logclient/http.js';
import { Throttle } from '../../src/monitor/throttle.js';

function clock() {
  let now = 0;
  const sleeps: number[] = [];
  return {
    now: () => now,
    sleep: async (ms: number) => {
      sleeps.push(ms);
      now += ms;
    },
    sleeps,
  };
}

const limited = (retryAfterMs?: number) => new LogHttpError('rate-limited', 'HTTP 429', 429, retryAfterMs);
const options = (c: ReturnType<typeof clock>, maxInFlight = 4) => ({
  maxInFlight,
  maxAttempts: 4,
  backoffMs: 1000,
  maxBackoffMs: 60_000,
  now: c.now,
  sleep: c.sleep,
});

/** A request failing with `errors` in turn, then answering 'ok'. */
const failing = (errors: Error[]) => async () => {
  const e = errors.shift();
  if (e) throw e;
  return 'ok';
};

describe('Throttle', () => {
  it('waits as long as Retry-After says, else 1 s, 2 s, 4 s', async () => {
    const c = clock();
    const t = new Throttle(options(c));
    const errors = [limited(5000), limited(), new LogHttpError('unavailable', 'HTTP 503', 503)];
    expect(await t.run(failing(errors))).toBe('ok');
    expect(c.sleeps).toEqual([5000, 2000, 4000]);
  });

  it('gives up after maxAttempts failures in a row, with the last error', async () => {
    const c = clock();
    const t = new Throttle(options(c));
    const errors = Array.from({ length: 4 }, () => limited());
    await expect(t.run(failing(errors))).rejects.toThrow('HTTP 429');
    expect(c.sleeps).toEqual([1000, 2000, 4000]);
  });

  it('does not retry an answer that is wrong (malformed) or a refusal', async () => {
    const c = clock();
    const t = new Throttle(options(c));
    await expect(t.run(failing([new LogHttpError('malformed', 'bad JSON')]))).rejects.toThrow('bad JSON');
    await expect(t.run(failing([new TypeError('a bug')]))).rejects.toThrow('a bug');
    expect(c.sleeps).toEqual([]);
  });

  it('keeps at most maxInFlight requests at once, and halves that after a 429', async () => {
    const c = clock();
    const t = new Throttle(options(c, 4));
    let inFlight = 0;
    let most = 0;
    const tracked = (first?: Error) => {
      const errors = first ? [first] : [];
      return () =>
        t.run(async () => {
          inFlight++;
          most = Math.max(most, inFlight);
          await new Promise((resolve) => setTimeout(resolve, 5));
          inFlight--;
          const e = errors.shift();
          if (e) throw e;
        });
    };
    await Promise.all(Array.from({ length: 12 }, () => tracked()()));
    expect(most).toBe(4);
    most = 0;
    await tracked(limited(10))();
    await Promise.all(Array.from({ length: 12 }, () => tracked()()));
    // Halved to 2, back up by one after 4 × 2 successes.
    expect(most).toBeLessThanOrEqual(3);
  });
});
