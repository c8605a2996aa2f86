/**
 * Fetching a caIssuers URL (RFC 5280 §4.2.2.1), through an injected fetch (the browser's or
 * Node's), bounded: one time limit for the whole exchange, a size limit on the body (decoded
 * bytes, http-body.ts), no cookies or other credentials, no referrer, and redirects only to http
 * or https (what fetch itself allows; the final URL is checked again). What the request reveals:
 * that someone sees a certificate from that CA, nothing about the site.
 */
import type { Bytes } from '../bytes.js';
import { BodyReadError, readBodyLimited } from '../http-body.js';
import { certificatesFromIssuerResponse, IssuerResponseError } from './issuer-response.js';

export type Fetch = (url: string, init: RequestInit) => Promise<Response>;

interface IssuerFetchPolicy {
  /** The whole exchange, headers and body. */
  readonly timeoutMs: number;
  readonly maxBytes: number;
}

/** An intermediate is 1–2 KB; a PKCS#7 bundle a few of them. */
const ISSUER_FETCH_POLICY: IssuerFetchPolicy = { timeoutMs: 5_000, maxBytes: 64 * 1024 };

class IssuerFetchError extends Error {
  override name = 'IssuerFetchError';
}

/**
 * The certificates `url` serves (which one is the issuer is the caller's to check). Throws
 * IssuerFetchError naming the URL and what went wrong. Precondition: `url` is http(s) (aia.ts).
 */
export async function fetchIssuerCertificates(
  url: string,
  fetch: Fetch,
  policy = ISSUER_FETCH_POLICY,
): Promise<Bytes[]> {
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), policy.timeoutMs);
  try {
    let response: Response;
    try {
      response = await fetch(url, {
        method: 'GET',
        credentials: 'omit',
        redirect: 'follow',
        referrerPolicy: 'no-referrer',
        signal: controller.signal,
      });
    } catch (e) {
      throw new IssuerFetchError(
        controller.signal.aborted
          ? `${url}: no answer within ${policy.timeoutMs / 1000} s`
          : `${url}: cannot be reached (${(e as Error).message})`,
      );
    }
    const final = response.url ? new URL(response.url).protocol : new URL(url).protocol;
    if (response.type === 'opaqueredirect' || (final !== 'http:' && final !== 'https:')) {
      await response.body?.cancel().catch(() => undefined);
      throw new IssuerFetchError(`${url}: redirected to a scheme other than http or https`);
    }
    if (response.status !== 200) {
      await response.body?.cancel().catch(() => undefined);
      throw new IssuerFetchError(`${url}: HTTP ${response.status}`);
    }
    let body: Bytes;
    try {
      body = await readBodyLimited(response, policy.maxBytes);
    } catch (e) {
      if (controller.signal.aborted)
        throw new IssuerFetchError(`${url}: the answer took over ${policy.timeoutMs / 1000} s`);
      if (e instanceof BodyReadError) throw new IssuerFetchError(`${url}: ${e.message}`);
      throw e;
    }
    try {
      return certificatesFromIssuerResponse(body);
    } catch (e) {
      if (e instanceof IssuerResponseError) throw new IssuerFetchError(`${url}: ${e.message}`);
      throw e;
    }
  } finally {
    clearTimeout(timer);
  }
}
