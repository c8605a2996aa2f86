/**
 * Certificates for the issuer-resolution tests, issued at test time with pkijs over WebCrypto: CAs
 * with any key WebPKI uses (ECDSA P-256/P-384/P-521, RSA, RSA-PSS) and a subject key identifier,
 * issued by another CA or self-signed, and leaves carrying an authority key identifier and
 * caIssuers URLs (RFC 5280 §4.2.1.1, §4.2.2.1). A CA here has the shape of test-pki.ts's TestCa, so
 * issueWithEmbeddedScts can issue leaves with SCTs from it.
 */
import { createHash } from 'node:crypto';
import * as asn1js from 'asn1js';
import * as pkijs from 'pkijs';
import type { TestCa } from './test-pki.js';

export type KeyKind = 'P-256' | 'P-384' | 'P-521' | 'RSA' | 'RSA-PSS';
type Hash = 'SHA-256' | 'SHA-384' | 'SHA-512';

const subtle = (): SubtleCrypto => globalThis.crypto.subtle;
const buffer = (data: Uint8Array): ArrayBuffer => data.slice().buffer as ArrayBuffer;
let serial = 7000;

function keyParams(kind: KeyKind, hash: Hash): EcKeyGenParams | RsaHashedKeyGenParams {
  if (kind === 'RSA' || kind === 'RSA-PSS') {
    const name = kind === 'RSA' ? 'RSASSA-PKCS1-v1_5' : 'RSA-PSS';
    return { name, modulusLength: 2048, publicExponent: new Uint8Array([1, 0, 1]), hash };
  }
  return { name: 'ECDSA', namedCurve: kind };
}

/** O=ctlens test (PrintableString), CN: the names test-pki.ts gives, so its leaves name these CAs exactly. */
const cn = (commonName: string): pkijs.RelativeDistinguishedNames =>
  new pkijs.RelativeDistinguishedNames({
    typesAndValues: [
      new pkijs.AttributeTypeAndValue({
        type: '2.5.4.10',
        value: new asn1js.PrintableString({ value: 'ctlens test' }),
      }),
      new pkijs.AttributeTypeAndValue({ type: '2.5.4.3', value: new asn1js.Utf8String({ value: commonName }) }),
    ],
  });

const extension = (extnID: string, critical: boolean, value: asn1js.BaseBlock): pkijs.Extension =>
  new pkijs.Extension({ extnID, critical, extnValue: value.toBER(false) });

/** subjectKeyIdentifier: SHA-1 of the subjectPublicKey bits (RFC 5280 §4.2.1.2 method 1). */
function keyId(spki: Uint8Array): Uint8Array {
  const info = pkijs.PublicKeyInfo.fromBER(buffer(spki));
  return new Uint8Array(
    createHash('sha1').update(new Uint8Array(info.subjectPublicKey.valueBlock.valueHexView)).digest(),
  );
}

/** The authorityKeyIdentifier extension naming `ca`'s key. */
export function authorityKeyIdExtension(ca: TestCa): pkijs.Extension {
  const aki = new pkijs.AuthorityKeyIdentifier({
    keyIdentifier: new asn1js.OctetString({ valueHex: buffer(keyId(ca.spki)) }),
  });
  return extension('2.5.29.35', false, aki.toSchema());
}

/** authorityInfoAccess with one caIssuers access description per URI (GeneralName [6]). */
export function caIssuersExtension(uris: readonly string[]): pkijs.Extension {
  const aia = new pkijs.InfoAccess({
    accessDescriptions: uris.map(
      (uri) =>
        new pkijs.AccessDescription({
          accessMethod: '1.3.6.1.5.5.7.48.2',
          accessLocation: new pkijs.GeneralName({ type: 6, value: uri }),
        }),
    ),
  });
  return extension('1.3.6.1.5.5.7.1.1', false, aia.toSchema());
}

interface CertificateSpec {
  readonly subject: string;
  readonly kind: KeyKind;
  /** The hash the issuer signs with (default SHA-256). */
  readonly hash?: Hash;
  readonly issuer?: TestCa;
  readonly ca: boolean;
  readonly extensions?: readonly pkijs.Extension[];
}

async function issue(spec: CertificateSpec): Promise<TestCa> {
  const hash = spec.hash ?? 'SHA-256';
  const keys = (await subtle().generateKey(keyParams(spec.kind, hash), true, ['sign', 'verify'])) as CryptoKeyPair;
  const cert = new pkijs.Certificate();
  cert.version = 2;
  cert.serialNumber = new asn1js.Integer({ value: serial++ });
  cert.subject = cn(spec.subject);
  cert.issuer = cn(spec.issuer?.name ?? spec.subject);
  cert.notBefore = new pkijs.Time({ type: pkijs.TimeType.UTCTime, value: new Date(Date.UTC(2020, 0, 1)) });
  cert.notAfter = new pkijs.Time({ type: pkijs.TimeType.GeneralizedTime, value: new Date(Date.UTC(2050, 0, 1)) });
  await cert.subjectPublicKeyInfo.importKey(keys.publicKey);
  const spki = new Uint8Array(await subtle().exportKey('spki', keys.publicKey));
  cert.extensions = [
    extension('2.5.29.19', true, new pkijs.BasicConstraints({ cA: spec.ca }).toSchema()),
    ...(spec.ca ? [extension('2.5.29.14', false, new asn1js.OctetString({ valueHex: buffer(keyId(spki)) }))] : []),
    ...(spec.extensions ?? []),
  ];
  await cert.sign(spec.issuer?.privateKey ?? keys.privateKey, hash);
  const der = new Uint8Array(cert.toSchema(true).toBER(false));
  return { name: spec.subject, der, cert, privateKey: keys.privateKey, spki };
}

/** A CA with a subject key identifier: self-signed, or issued by `issuer`. */
export const createCa = (
  subject: string,
  kind: KeyKind,
  options: { issuer?: TestCa; hash?: Hash } = {},
): Promise<TestCa> => issue({ subject, kind, ca: true, ...options });

/** A leaf (P-256 key) issued by `issuer`, with its authority key identifier and `extensions`. */
export async function issueLeaf(
  issuer: TestCa,
  options: {
    hash?: Hash;
    caIssuers?: readonly string[];
    authorityKeyId?: boolean;
    extensions?: readonly pkijs.Extension[];
  } = {},
): Promise<Uint8Array> {
  const extensions = [
    ...(options.authorityKeyId === false ? [] : [authorityKeyIdExtension(issuer)]),
    ...(options.caIssuers ? [caIssuersExtension(options.caIssuers)] : []),
    ...(options.extensions ?? []),
  ];
  return (await issue({ subject: 'leaf.test', kind: 'P-256', issuer, ca: false, hash: options.hash, extensions })).der;
}

/** A certs-only CMS message (RFC 5652 SignedData without signers) holding `certificates`. */
export function certsOnlyCms(certificates: readonly Uint8Array[]): Uint8Array {
  const signed = new pkijs.SignedData({
    version: 1,
    encapContentInfo: new pkijs.EncapsulatedContentInfo({ eContentType: '1.2.840.113549.1.7.1' }),
    certificates: certificates.map((der) => pkijs.Certificate.fromBER(buffer(der))),
  });
  const info = new pkijs.ContentInfo({ contentType: pkijs.ContentInfo.SIGNED_DATA, content: signed.toSchema(true) });
  return new Uint8Array(info.toSchema().toBER(false));
}
