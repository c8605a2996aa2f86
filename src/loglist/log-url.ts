/**
 * A log's address as a log list gives it (`url`, `submission_url`, `monitoring_url`, v3 schema).
 * It must be an absolute http(s) URL (WHATWG URL) whose host is a plain DNS name or an IP address:
 * the host becomes a host permission the extension asks for, and the host people are told will
 * learn which certificate they look at. So a wildcard host "*" (whose origin is "https://*", which
 * a permission request reads as every site), an underscore, an empty label or credentials in the
 * URL are refused.
 * (Plain http is refused later, by the log clients, except on loopback.)
 */

/** An LDH label (RFC 1035 §2.3.1, RFC 1123 §2.1: may start with a digit), 1 to 63 characters. */
const LABEL = /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/;
/** The URL parser's serialization of an IPv4 address (it normalizes "1.2.3" to "1.2.0.3"). */
const IPV4 = /^(?:\d{1,3}\.){3}\d{1,3}$/;
/** The URL parser's serialization of an IPv6 address (it validated the address itself). */
const IPV6 = /^\[[0-9a-f:.]+\]$/;

/**
 * Whether `hostname` (as `URL.hostname` gives it: lower case, IDNs in punycode) is a plain DNS name
 * (RFC 1035 §2.3.4: at most 253 characters) or an IPv4 or IPv6 address.
 */
function isPlainHost(hostname: string): boolean {
  if (IPV4.test(hostname) || IPV6.test(hostname)) return true;
  return hostname.length <= 253 && hostname.split('.').every((label) => LABEL.test(label));
}

/** What is wrong with `text` as a log's address, or undefined when it is usable. */
export function logUrlProblem(text: string): string | undefined {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return `"${text}": not an absolute URL`;
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') return `"${text}": not an https: (or http:) URL`;
  if (url.username || url.password) return `"${text}": carries a user name or password`;
  if (!isPlainHost(url.hostname)) return `"${text}": the host "${url.hostname}" is not a plain DNS name or IP address`;
  return undefined;
}
