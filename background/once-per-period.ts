/**
 * "At most once per period per id", remembered in storage so that a restarted worker (Firefox
 * stops an idle background after 30 s) keeps the promise: the opt-in automatic inclusion check
 * asks the logs about a certificate at most once a day, since every request tells the log
 * operators which certificate the person is looking at.
 *
 * The record is bounded (`max` ids, the newest kept) and expiring (an id older than the period is
 * dropped at the next claim). Stored values are never trusted: anything but a number per id is
 * ignored, and a time in the future (the clock moved back) counts as no claim. When storage
 * cannot be read or written, `claim` rejects: the caller then makes no request.
 */
import type { KeyValueStore } from './browser-api.js';
import { Serial } from './serial.js';

type Claims = Map<string, number>;

export class OncePerPeriod {
  private claims: Promise<Claims> | undefined;
  private readonly serial = new Serial();

  constructor(
    private readonly store: KeyValueStore,
    private readonly storageKey: string,
    private readonly now: () => number,
    private readonly periodMs: number,
    private readonly max: number,
  ) {}

  /**
   * True when `id` was not claimed within the period, and then records the claim (in storage
   * before it resolves); false otherwise. Claims made at the same moment are serialised.
   */
  claim(id: string): Promise<boolean> {
    return this.serial.run(async () => {
      const claims = await this.load();
      const now = this.now();
      for (const [known, at] of claims) if (!this.recent(at, now)) claims.delete(known);
      if (claims.has(id)) return false;
      claims.set(id, now); // Map order: oldest claim first
      for (const old of [...claims.keys()].slice(0, Math.max(0, claims.size - this.max))) claims.delete(old);
      await this.store.set(this.storageKey, Object.fromEntries(claims));
      return true;
    });
  }

  private recent(at: number, now: number): boolean {
    return at <= now && now - at < this.periodMs;
  }

  private load(): Promise<Claims> {
    // A failed read rejects the claim (no automatic request) rather than forgetting the record.
    this.claims ??= this.store
      .get<unknown>(this.storageKey)
      .then((saved) => {
        const entries = typeof saved === 'object' && saved !== null ? Object.entries(saved) : [];
        const valid = entries.filter((e): e is [string, number] => typeof e[1] === 'number' && Number.isFinite(e[1]));
        return new Map(valid.sort((a, b) => a[1] - b[1]));
      })
      .catch((e: unknown) => {
        this.claims = undefined;
        throw e;
      });
    return this.claims;
  }
}
