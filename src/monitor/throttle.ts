/**
 * How hard the monitor presses one log: at most `maxInFlight` requests at once; a 429 halves that
 * (back up by one after a run of successes) and pauses every request for the log's Retry-After
 * (RFC 9110 §10.2.3; RFC 6585 §4) or, without one, an exponential backoff; a 5xx or network
 * failure backs off the same way. A request is given up after `maxAttempts` failures in a row.
 * Platform-free; the clock and sleep are injected.
 */
import { LogHttpError } from '../logclient/http.js';

export interface ThrottleOptions {
  readonly maxInFlight: number;
  readonly maxAttempts: number;
  /** The first backoff (doubled each failure, up to maxBackoffMs), ms. */
  readonly backoffMs: number;
  readonly maxBackoffMs: number;
  readonly now: () => number;
  readonly sleep: (ms: number) => Promise<void>;
  /** Told of each pause: how long and why (for the progress line). */
  readonly onPause?: (ms: number, error: LogHttpError) => void;
}

export class Throttle {
  private inFlight = 0;
  private limit: number;
  private pausedUntil = 0;
  private successes = 0;
  private readonly waiters: (() => void)[] = [];

  constructor(private readonly options: ThrottleOptions) {
    this.limit = options.maxInFlight;
  }

  /** Runs `request` within the limits, again after a 429, 5xx or network failure. */
  async run<T>(request: () => Promise<T>): Promise<T> {
    for (let attempt = 1; ; attempt++) {
      await this.acquire();
      try {
        const value = await request();
        this.succeeded();
        return value;
      } catch (e) {
        if (!(e instanceof LogHttpError) || (e.kind !== 'rate-limited' && e.kind !== 'unavailable')) throw e;
        if (attempt >= this.options.maxAttempts) throw e;
        this.failed(e, attempt);
      } finally {
        this.release();
      }
    }
  }

  private failed(e: LogHttpError, attempt: number): void {
    const { backoffMs, maxBackoffMs, now, onPause } = this.options;
    this.successes = 0;
    if (e.kind === 'rate-limited') {
      this.limit = Math.max(1, Math.floor(this.limit / 2));
    }
    const backoff = Math.min(maxBackoffMs, backoffMs * 2 ** (attempt - 1));
    // A Retry-After longer than the longest backoff is honoured: the log said so.
    const wait = e.retryAfterMs ?? backoff;
    const until = now() + wait;
    if (until > this.pausedUntil) {
      this.pausedUntil = until;
      onPause?.(wait, e);
    }
  }

  private succeeded(): void {
    if (++this.successes >= 4 * this.limit && this.limit < this.options.maxInFlight) {
      this.limit++;
      this.successes = 0;
    }
  }

  private async acquire(): Promise<void> {
    for (;;) {
      const pause = this.pausedUntil - this.options.now();
      if (pause > 0) await this.options.sleep(pause);
      else if (this.inFlight >= this.limit) await new Promise<void>((resolve) => this.waiters.push(resolve));
      else break;
    }
    this.inFlight++;
  }

  private release(): void {
    this.inFlight--;
    this.waiters.shift()?.();
  }
}
