/**
 * Where a certificate's issuer can be fetched: the caIssuers access descriptions of its
 * authorityInfoAccess extension (RFC 5280 §4.2.2.1). Only http and https URIs are kept: RFC 5280
 * also allows ldap, which ctlens does not speak.
 *
 *   AuthorityInfoAccessSyntax ::= SEQUENCE SIZE (1..MAX) OF AccessDescription
 *   AccessDescription ::= SEQUENCE { accessMethod OBJECT IDENTIFIER, accessLocation GeneralName }
 *   id-ad-caIssuers = 1.3.6.1.5.5.7.48.2; GeneralName uniformResourceIdentifier [6] IA5String
 */
import { DerError, TAG, children, content, contextTag, decodeOid, expectElement } from '../der/element.js';
import { findExtension, type CertificateView } from '../x509/certificate.js';

const AUTHORITY_INFO_ACCESS = '1.3.6.1.5.5.7.1.1';
const CA_ISSUERS = '1.3.6.1.5.5.7.48.2';
/** caIssuers URLs tried at most (a certificate names one or two). */
const MAX_URLS = 3;
const MAX_URL_LENGTH = 2048;

interface CaIssuers {
  /** http(s) URLs, in the certificate's order. */
  readonly urls: readonly string[];
  /** caIssuers locations not used, each with why (for people). */
  readonly skipped: readonly string[];
}

/** Throws DerError naming what is wrong when the extension is not DER. Precondition: from parseCertificate. */
export function caIssuers(cert: CertificateView): CaIssuers {
  const value = findExtension(cert, AUTHORITY_INFO_ACCESS)?.value;
  if (!value) return { urls: [], skipped: [] };
  const seq = expectElement(value, 0, value.length, TAG.SEQUENCE, 'authorityInfoAccess');
  if (seq.end !== value.length) throw new DerError('authorityInfoAccess has trailing bytes');
  const urls: string[] = [];
  const skipped: string[] = [];
  for (const description of children(value, seq, 'authorityInfoAccess')) {
    if (description.tag !== TAG.SEQUENCE) throw new DerError('an AccessDescription is not a SEQUENCE');
    const [method, location, extra] = children(value, description, 'AccessDescription');
    if (!method || method.tag !== TAG.OID || !location || extra) {
      throw new DerError('an AccessDescription is not { accessMethod OID, accessLocation GeneralName }');
    }
    if (decodeOid(content(value, method)) !== CA_ISSUERS) continue;
    if (location.tag !== contextTag(6, false)) {
      skipped.push(`a caIssuers location that is not a URI (GeneralName tag 0x${location.tag.toString(16)})`);
      continue;
    }
    const url = ia5(content(value, location));
    const why = url === undefined ? 'is not printable ASCII' : problem(url);
    if (why) skipped.push(`caIssuers ${url === undefined ? 'URI' : JSON.stringify(url.slice(0, 80))} ${why}`);
    else if (urls.length < MAX_URLS) urls.push(url!);
    else skipped.push(`caIssuers ${JSON.stringify(url!.slice(0, 80))}: more than ${MAX_URLS} URLs`);
  }
  return { urls, skipped };
}

/** IA5String content as text, or undefined when it holds anything but printable ASCII. */
function ia5(octets: Uint8Array): string | undefined {
  if (octets.length === 0 || octets.length > MAX_URL_LENGTH) return undefined;
  for (const b of octets) if (b < 0x21 || b > 0x7e) return undefined;
  return String.fromCharCode(...octets);
}

/** Why `url` is not fetched, or undefined: it must be an absolute http or https URL. */
function problem(url: string): string | undefined {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return 'is not a URL';
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:')
    return `uses ${parsed.protocol.slice(0, 20)}, not http or https`;
  if (parsed.username || parsed.password) return 'holds credentials';
  return undefined;
}
