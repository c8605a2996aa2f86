/**
 * The issuers the extension holds, for a leaf that comes alone (Chromium's automatic checks):
 * every issuer seen in a chain (Firefox's, the debugger's, the audit page's) and every one fetched
 * from a caIssuers URL, kept in storage.local (bounded, the least recently used out first) so a
 * restart keeps them; and the caIssuers URLs that failed, not asked again for an hour. Each URL is
 * fetched once: what it served joins the index, so the next leaf from that CA finds it held.
 * The core does the finding and checking (src/issuer/resolve-issuer.ts).
 */
import { fromBase64, toBase64, type Bytes } from '../src/bytes.js';
import { fetchIssuerCertificates, type Fetch } from '../src/issuer/fetch-issuer.js';
import { IssuerIndex } from '../src/issuer/issuer-index.js';
import { resolveIssuer, type IssuerResolution } from '../src/issuer/resolve-issuer.js';
import type { CertificateView } from '../src/x509/certificate.js';
import type { KeyValueStore } from './browser-api.js';
import { Serial } from './serial.js';

const STORE_KEY = 'issuers';
/** Issuer certificates kept (~1.5 KB each). */
const MAX_ISSUERS = 200;
/** Failed caIssuers URLs remembered. */
const MAX_FAILURES = 100;
export const RETRY_FAILED_AFTER_MS = 60 * 60 * 1000;

interface Stored {
  /** base64 DER, least recently used first. */
  readonly issuers: readonly string[];
  readonly failures: readonly { readonly url: string; readonly at: number; readonly error: string }[];
}

export class IssuerStore {
  private readonly index = new IssuerIndex(MAX_ISSUERS);
  private readonly failures = new Map<string, { at: number; error: string }>();
  private readonly inFlight = new Map<string, Promise<readonly Bytes[]>>();
  private readonly writes = new Serial();
  private loaded: Promise<void> | undefined;
  private dirty = false;
  /** caIssuers requests made since the worker started (tests, figures). */
  fetches = 0;

  /** `fetch` is the browser's (no cookies: fetch-issuer.ts asks for none). */
  constructor(
    private readonly local: KeyValueStore,
    private readonly fetch: Fetch,
    private readonly now: () => number,
  ) {}

  /** Reads what an earlier run kept (once). Never rejects: a store that cannot be read starts empty. */
  load(): Promise<void> {
    this.loaded ??= this.local
      .get<Stored>(STORE_KEY)
      .then((stored) => {
        for (const b64 of Array.isArray(stored?.issuers) ? stored.issuers : []) {
          if (typeof b64 === 'string') this.index.add(fromBase64(b64));
        }
        for (const f of Array.isArray(stored?.failures) ? stored.failures : []) {
          if (typeof f?.url === 'string' && typeof f.at === 'number' && typeof f.error === 'string')
            this.failures.set(f.url, { at: f.at, error: f.error });
        }
      })
      .catch(() => undefined);
    return this.loaded;
  }

  /** The issuers in a chain the browser or the user gave (chain[1..]); CA certificates only are kept. */
  async learn(chain: readonly Bytes[]): Promise<void> {
    await this.load();
    let added = false;
    for (const der of chain.slice(1)) added = this.index.add(der) || added;
    if (added) this.save();
  }

  /** The leaf's issuer: held, else fetched when `fetchAllowed`, else missing with why (resolve-issuer.ts). */
  async resolve(leaf: CertificateView, fetchAllowed: boolean): Promise<IssuerResolution> {
    await this.load();
    const resolution = await resolveIssuer(leaf, {
      known: (cert) => this.index.candidates(cert),
      ...(fetchAllowed ? { fetch: (url: string) => this.fetchOnce(url) } : { fetchOff: 'turned off in the options' }),
    });
    if ('issuer' in resolution) this.index.used(resolution.issuer);
    return resolution;
  }

  /** One request per URL at a time; a failure is remembered and given again for an hour. */
  private fetchOnce(url: string): Promise<readonly Bytes[]> {
    const failed = this.failures.get(url);
    if (failed && this.now() - failed.at < RETRY_FAILED_AFTER_MS) {
      return Promise.reject(
        new Error(`${failed.error} (${new Date(failed.at).toISOString()}; asked again after an hour)`),
      );
    }
    let pending = this.inFlight.get(url);
    if (!pending) {
      this.fetches++;
      pending = fetchIssuerCertificates(url, this.fetch)
        .then(
          (certificates) => {
            this.failures.delete(url);
            for (const der of certificates) this.index.add(der);
            this.save();
            return certificates;
          },
          (e: unknown) => {
            this.failures.set(url, { at: this.now(), error: (e as Error).message });
            while (this.failures.size > MAX_FAILURES) this.failures.delete(this.failures.keys().next().value as string);
            this.save();
            throw e;
          },
        )
        .finally(() => this.inFlight.delete(url));
      this.inFlight.set(url, pending);
    }
    return pending;
  }

  /** Writes the whole store once the current turn is over (several changes, one write). */
  private save(): void {
    if (this.dirty) return;
    this.dirty = true;
    void this.writes
      .run(async () => {
        this.dirty = false;
        const stored: Stored = {
          issuers: this.index.all().map((der) => toBase64(der)),
          failures: [...this.failures].map(([url, f]) => ({ url, ...f })),
        };
        await this.local.set(STORE_KEY, stored);
      })
      .catch(() => undefined);
  }

  /** Resolves once what was saved so far has been written (tests). */
  flushed(): Promise<void> {
    return this.writes.run(async () => undefined);
  }
}
