/**
 * Certificates for the monitor's tests, issued by the test PKI's CA (test-pki.ts) with pkijs:
 * any subject commonName (UTF8String, so U-labels too), any subjectAltName of dNSName and
 * iPAddress entries (IPv4 or IPv6), or none at all (a CN-only certificate); and precertificate +
 * final certificate pairs whose SCTs a real log (log/) signed.
 */
import { isIP } from 'node:net';
import * as asn1js from 'asn1js';
import * as pkijs from 'pkijs';
import { parseCertificate } from '../../src/x509/certificate.js';
import { beginIssuance, type TestCa } from './test-pki.js';

const DAY = 86_400_000;
const NOT_BEFORE = Date.UTC(2026, 0, 1);

export interface Names {
  /** The subject CN; default the first DNS name. */
  readonly cn?: string;
  readonly dns?: readonly string[];
  readonly ip?: readonly string[];
}

const toArrayBuffer = (data: Uint8Array): ArrayBuffer => data.slice().buffer as ArrayBuffer;

/** The octets of an IPv4 or IPv6 address (Node's own parser, not the monitor's). */
function ipOctets(ip: string): Uint8Array {
  if (isIP(ip) === 4) return Uint8Array.from(ip.split('.').map(Number));
  if (isIP(ip) !== 6) throw new RangeError(`not an IP address: ${ip}`);
  const url = new URL(`http://[${ip}]/`).hostname.slice(1, -1);
  const [head = '', tail = ''] = url.includes('::') ? url.split('::') : [url, ''];
  const groups = (s: string) => (s ? s.split(':') : []);
  const h = groups(head);
  const t = groups(tail);
  const all = [...h, ...Array<string>(8 - h.length - t.length).fill('0'), ...t];
  return Uint8Array.from(all.flatMap((g) => [parseInt(g, 16) >> 8, parseInt(g, 16) & 255]));
}

const sanExtension = (names: Names): pkijs.Extension =>
  new pkijs.Extension({
    extnID: '2.5.29.17',
    critical: false,
    extnValue: new pkijs.GeneralNames({
      names: [
        ...(names.dns ?? []).map((value) => new pkijs.GeneralName({ type: 2, value })),
        ...(names.ip ?? []).map((ip) => {
          const value = new asn1js.OctetString({ valueHex: toArrayBuffer(ipOctets(ip)) });
          return new pkijs.GeneralName({ type: 7, value });
        }),
      ],
    })
      .toSchema()
      .toBER(false),
  });

let leafKeys: Promise<CryptoKeyPair> | undefined;

/** A final certificate (no SCTs) for `names`; no SAN extension at all when there are no DNS or IP names. */
export async function issueCertificate(ca: TestCa, names: Names): Promise<Uint8Array> {
  const generated = crypto.subtle.generateKey({ name: 'ECDSA', namedCurve: 'P-256' }, true, ['sign', 'verify']);
  const keys = await (leafKeys ??= generated as Promise<CryptoKeyPair>);
  const cert = new pkijs.Certificate();
  cert.version = 2;
  // 16 random octets, as CAs write them (RFC 5280 §4.1.2.2; CA/B Forum BR §7.1), positive.
  const serial = crypto.getRandomValues(new Uint8Array(16));
  serial[0] = (serial[0]! & 0x7f) | 0x01;
  cert.serialNumber = new asn1js.Integer({ valueHex: toArrayBuffer(serial) });
  cert.issuer = ca.cert.subject;
  const cn = names.cn ?? names.dns?.[0] ?? names.ip?.[0] ?? 'unnamed';
  cert.subject = new pkijs.RelativeDistinguishedNames({
    typesAndValues: [new pkijs.AttributeTypeAndValue({ type: '2.5.4.3', value: new asn1js.Utf8String({ value: cn }) })],
  });
  cert.notBefore = new pkijs.Time({ type: pkijs.TimeType.UTCTime, value: new Date(NOT_BEFORE) });
  cert.notAfter = new pkijs.Time({ type: pkijs.TimeType.UTCTime, value: new Date(NOT_BEFORE + 90 * DAY) });
  await cert.subjectPublicKeyInfo.importKey(keys.publicKey);
  const hasSan = (names.dns?.length ?? 0) + (names.ip?.length ?? 0) > 0;
  cert.extensions = hasSan ? [sanExtension(names)] : [];
  await cert.sign(ca.privateKey, 'SHA-256');
  return new Uint8Array(cert.toSchema(true).toBER(false));
}

/** A precertificate and, once `scts` come from logs' add-pre-chain, its final certificate. */
export async function beginPair(ca: TestCa, dns: string) {
  return beginIssuance(ca, { notBefore: NOT_BEFORE, notAfter: NOT_BEFORE + 90 * DAY, subject: dns });
}

/**
 * A copy of `der` with serial number `n` written over the end of its serial's octets (their length
 * kept): a distinct certificate for the log (its CA signature no longer verifies, which neither the
 * local log nor the monitor checks). For filling a log with many entries fast.
 */
export function withSerial(der: Uint8Array, n: number): Uint8Array {
  const view = parseCertificate(der);
  const at = view.serialNumber.byteOffset - der.byteOffset;
  const length = view.serialNumber.length;
  if (length < 5) throw new RangeError('the template serial is too short');
  const out = der.slice();
  for (let i = 0, v = n; i < 4; i++, v = Math.floor(v / 256)) out[at + length - 1 - i] = v & 255;
  return out;
}
