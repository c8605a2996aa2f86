/**
 * Issuance through a Precertificate Signing Certificate (RFC 6962 §3.1), the way some CAs do it:
 * the CA certifies a PreCA (CA:TRUE, the CT EKU 1.3.6.1.4.1.11129.2.4.4), the PreCA signs the
 * precertificate (issuer: the PreCA, authority key id: the PreCA's key), logs sign a TBS carrying
 * the CA's name and key id instead, and the CA signs the final certificate with that same TBS.
 *
 * Built with pkijs over WebCrypto, independently of src/'s precert TBS code: `finish` checks that
 * the final TBS without the SCT list equals the precertificate's TBS with the §3.1 substitutions.
 */
import { createHash } from 'node:crypto';
import * as asn1js from 'asn1js';
import * as pkijs from 'pkijs';
import { POISON_OID, SCT_LIST_OID, sctList, type TestCa } from './test-pki.js';

export interface PrecertSigningCa {
  readonly der: Uint8Array;
  readonly cert: pkijs.Certificate;
  readonly privateKey: CryptoKey;
  /** The key identifier the PreCA puts in its authority key identifier: the CA's key's. */
  readonly caKeyId: Uint8Array;
  readonly keyId: Uint8Array;
}

export interface PrecaIssuance {
  /** Signed by the PreCA: submit [precert, preCa.der, ca.der] with add-pre-chain. */
  readonly precert: Uint8Array;
  /** The final certificate, signed by the CA, embedding `scts` (as the logs returned them). */
  finish(scts: readonly Uint8Array[]): Promise<Uint8Array>;
}

const EC: EcKeyGenParams = { name: 'ECDSA', namedCurve: 'P-256' };
const AKI_OID = '2.5.29.35';
const buffer = (bytes: Uint8Array): ArrayBuffer => bytes.slice().buffer as ArrayBuffer;
const ber = (cert: pkijs.Certificate): Uint8Array => new Uint8Array(cert.toSchema(true).toBER(false));
const tbsOf = (cert: pkijs.Certificate): Uint8Array => new Uint8Array(cert.encodeTBS().toBER(false));
const keyPair = async (): Promise<CryptoKeyPair> =>
  (await crypto.subtle.generateKey(EC, true, ['sign', 'verify'])) as CryptoKeyPair;

/** RFC 5280 §4.2.1.2 method (1): SHA-1 of the subjectPublicKey BIT STRING's bytes. */
const keyIdOf = (cert: pkijs.Certificate): Uint8Array =>
  new Uint8Array(
    createHash('sha1')
      .update(new Uint8Array(cert.subjectPublicKeyInfo.subjectPublicKey.valueBlock.valueHexView))
      .digest(),
  );

let serial = 7000;

function extension(extnID: string, value: asn1js.BaseBlock, critical = false): pkijs.Extension {
  return new pkijs.Extension({ extnID, critical, extnValue: value.toBER(false) });
}

const authorityKeyId = (keyId: Uint8Array): pkijs.Extension =>
  extension(
    AKI_OID,
    new pkijs.AuthorityKeyIdentifier({ keyIdentifier: new asn1js.OctetString({ valueHex: buffer(keyId) }) }).toSchema(),
  );

const commonName = (cn: string): pkijs.RelativeDistinguishedNames =>
  new pkijs.RelativeDistinguishedNames({
    typesAndValues: [new pkijs.AttributeTypeAndValue({ type: '2.5.4.3', value: new asn1js.Utf8String({ value: cn }) })],
  });

function template(
  issuer: pkijs.RelativeDistinguishedNames,
  subject: pkijs.RelativeDistinguishedNames,
  notBefore: number,
  notAfter: number,
): pkijs.Certificate {
  const cert = new pkijs.Certificate();
  cert.version = 2;
  cert.serialNumber = new asn1js.Integer({ value: serial++ });
  cert.issuer = issuer;
  cert.subject = subject;
  cert.notBefore = new pkijs.Time({ type: pkijs.TimeType.UTCTime, value: new Date(notBefore) });
  cert.notAfter = new pkijs.Time({ type: pkijs.TimeType.UTCTime, value: new Date(notAfter) });
  return cert;
}

/** A PreCA certified by `ca`: CA:TRUE, the CT precertificate-signing EKU, key ids for both keys. */
export async function createPrecertSigningCa(ca: TestCa): Promise<PrecertSigningCa> {
  const keys = await keyPair();
  const cert = template(
    ca.cert.subject,
    commonName(`${ca.name} Precertificate Signing`),
    Date.UTC(2015, 0, 1),
    Date.UTC(2045, 0, 1),
  );
  await cert.subjectPublicKeyInfo.importKey(keys.publicKey);
  const caKeyId = keyIdOf(ca.cert);
  const keyId = keyIdOf(cert);
  cert.extensions = [
    extension('2.5.29.19', new pkijs.BasicConstraints({ cA: true }).toSchema(), true),
    extension('2.5.29.37', new pkijs.ExtKeyUsage({ keyPurposes: ['1.3.6.1.4.1.11129.2.4.4'] }).toSchema(), true),
    extension('2.5.29.14', new asn1js.OctetString({ valueHex: buffer(keyId) })),
    authorityKeyId(caKeyId),
  ];
  await cert.sign(ca.privateKey, 'SHA-256');
  return { der: ber(cert), cert, privateKey: keys.privateKey, caKeyId, keyId };
}

/** A precertificate signed by `preCa` for `subject`, and how to finish it with the CA. */
export async function beginPrecaIssuance(
  ca: TestCa,
  preCa: PrecertSigningCa,
  options: { notBefore: number; notAfter: number; subject: string },
): Promise<PrecaIssuance> {
  const leafKeys = await keyPair();
  const san = extension(
    '2.5.29.17',
    new pkijs.GeneralNames({ names: [new pkijs.GeneralName({ type: 2, value: options.subject })] }).toSchema(),
  );
  const basic = extension('2.5.29.19', new pkijs.BasicConstraints({ cA: false }).toSchema(), true);
  const poison = extension(POISON_OID, new asn1js.Null(), true);

  const pre = template(preCa.cert.subject, commonName(options.subject), options.notBefore, options.notAfter);
  await pre.subjectPublicKeyInfo.importKey(leafKeys.publicKey);
  pre.extensions = [basic, san, authorityKeyId(preCa.keyId), poison];
  await pre.sign(preCa.privateKey, 'SHA-256');
  const precert = ber(pre);

  // §3.1: what the log signs: the precertificate's TBS, issuer and AKI from the PreCA's own, no poison.
  const signed = pkijs.Certificate.fromBER(buffer(precert));
  signed.issuer = preCa.cert.issuer;
  signed.extensions = [basic, san, authorityKeyId(preCa.caKeyId)];
  const logTbs = tbsOf(signed);

  return {
    precert,
    async finish(scts) {
      const final = pkijs.Certificate.fromBER(buffer(precert));
      final.issuer = ca.cert.subject;
      final.extensions = [
        basic,
        san,
        authorityKeyId(preCa.caKeyId),
        extension(SCT_LIST_OID, new asn1js.OctetString({ valueHex: buffer(sctList(scts)) })),
      ];
      await final.sign(ca.privateKey, 'SHA-256');
      const der = ber(final);
      const check = pkijs.Certificate.fromBER(buffer(der));
      check.extensions = check.extensions!.slice(0, -1);
      const same = Buffer.from(tbsOf(check)).equals(Buffer.from(logTbs));
      if (!same)
        throw new Error('PreCA issuance: the final TBS without the SCT list differs from the TBS the log signed');
      return der;
    },
  };
}
