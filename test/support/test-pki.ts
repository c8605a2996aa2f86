/**
 * A small test PKI that issues certificates the way CAs do for Certificate Transparency:
 * a self-signed ECDSA P-256 CA (pkijs over WebCrypto), test CT logs (node:crypto keys), and
 * final certificates carrying SCTs those logs signed over the precertificate TBS (RFC 6962 §3.2).
 *
 * The SCT, SCT-list and signed-data TLS encodings are written here from RFC 6962, independently of
 * src/ (src/sct/signed-data.ts, src/x509/precert-tbs.ts), so tests check the core against a second
 * implementation.
 */
import { createHash, generateKeyPairSync, sign as nodeSign, type KeyObject } from 'node:crypto';
import * as asn1js from 'asn1js';
import * as pkijs from 'pkijs';
import { parseLogList, type LogStateName } from '../../src/loglist/schema.js';
import { LogRegistry } from '../../src/loglist/registry.js';

// ---------------------------------------------------------------------------------------------
// Byte helpers (deliberately local: no src/ encoders)

const sha256 = (data: Uint8Array): Uint8Array => new Uint8Array(createHash('sha256').update(data).digest());
const b64 = (data: Uint8Array): string => Buffer.from(data).toString('base64');

function concat(...parts: readonly Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let offset = 0;
  for (const p of parts) {
    out.set(p, offset);
    offset += p.length;
  }
  return out;
}

/** Big-endian unsigned integer of `size` bytes (TLS uintN). */
function uint(value: number | bigint, size: number): Uint8Array {
  let v = BigInt(value);
  if (v < 0n || v >= 1n << BigInt(8 * size)) throw new RangeError(`${value} does not fit in ${size} bytes`);
  const out = new Uint8Array(size);
  for (let i = size - 1; i >= 0; i--) {
    out[i] = Number(v & 0xffn);
    v >>= 8n;
  }
  return out;
}

/** TLS variable-length vector: `lengthSize`-byte length prefix, then the bytes. */
const vector = (data: Uint8Array, lengthSize: number): Uint8Array => concat(uint(data.length, lengthSize), data);

const equal = (a: Uint8Array, b: Uint8Array): boolean => a.length === b.length && a.every((x, i) => x === b[i]);

const toArrayBuffer = (data: Uint8Array): ArrayBuffer => data.slice().buffer as ArrayBuffer;

// ---------------------------------------------------------------------------------------------
// CA

export interface TestCa {
  readonly name: string;
  /** The self-signed CA certificate, DER. */
  readonly der: Uint8Array;
  readonly cert: pkijs.Certificate;
  readonly privateKey: CryptoKey;
  /** The CA's SubjectPublicKeyInfo DER (its SHA-256 is the precert_entry issuer_key_hash). */
  readonly spki: Uint8Array;
}

const EC_GEN: EcKeyGenParams = { name: 'ECDSA', namedCurve: 'P-256' };
const subtle = (): SubtleCrypto => globalThis.crypto.subtle;

let serial = 1;
const nextSerial = (): asn1js.Integer => new asn1js.Integer({ value: serial++ });

/** O (a PrintableString "ctlens test", or the UTF8String `organization`) and CN. */
const name = (commonName: string, organization?: string): pkijs.RelativeDistinguishedNames =>
  new pkijs.RelativeDistinguishedNames({
    typesAndValues: [
      new pkijs.AttributeTypeAndValue({
        type: '2.5.4.10',
        value:
          organization === undefined
            ? new asn1js.PrintableString({ value: 'ctlens test' })
            : new asn1js.Utf8String({ value: organization }),
      }),
      new pkijs.AttributeTypeAndValue({ type: '2.5.4.3', value: new asn1js.Utf8String({ value: commonName }) }),
    ],
  });

const time = (ms: number): pkijs.Time => {
  if (ms % 1000 !== 0) throw new RangeError('certificate times are whole seconds');
  return new pkijs.Time({
    type: ms < Date.UTC(2050, 0, 1) ? pkijs.TimeType.UTCTime : pkijs.TimeType.GeneralizedTime,
    value: new Date(ms),
  });
};

const basicConstraints = (cA: boolean): pkijs.Extension =>
  new pkijs.Extension({
    extnID: '2.5.29.19',
    critical: true,
    extnValue: new pkijs.BasicConstraints({ cA }).toSchema().toBER(false),
  });

/** A subjectAltName: DNS names (GeneralName dNSName) and IPv4 addresses (iPAddress, 4 bytes). */
export interface SubjectAltNames {
  readonly dns?: readonly string[];
  readonly ip?: readonly string[];
}

function ipv4Bytes(ip: string): Uint8Array {
  const parts = ip.split('.').map(Number);
  if (parts.length !== 4 || parts.some((p) => !Number.isInteger(p) || p < 0 || p > 255))
    throw new RangeError(`not an IPv4 address: ${ip}`);
  return Uint8Array.from(parts);
}

const sanExtension = (sans: SubjectAltNames): pkijs.Extension =>
  new pkijs.Extension({
    extnID: '2.5.29.17',
    critical: false,
    extnValue: new pkijs.GeneralNames({
      names: [
        ...(sans.dns ?? []).map((dns) => new pkijs.GeneralName({ type: 2, value: dns })),
        ...(sans.ip ?? []).map(
          (ip) =>
            new pkijs.GeneralName({
              type: 7,
              value: new asn1js.OctetString({ valueHex: toArrayBuffer(ipv4Bytes(ip)) }),
            }),
        ),
      ],
    })
      .toSchema()
      .toBER(false),
  });

const dnsSan = (dns: string): pkijs.Extension => sanExtension({ dns: [dns] });

/** A self-signed ECDSA P-256 CA valid 2015–2045. */
export async function createTestCa(commonName = 'ctlens Test CA'): Promise<TestCa> {
  const keys = (await subtle().generateKey(EC_GEN, true, ['sign', 'verify'])) as CryptoKeyPair;
  const cert = new pkijs.Certificate();
  cert.version = 2;
  cert.serialNumber = nextSerial();
  cert.issuer = name(commonName);
  cert.subject = name(commonName);
  cert.notBefore = time(Date.UTC(2015, 0, 1));
  cert.notAfter = time(Date.UTC(2045, 0, 1));
  await cert.subjectPublicKeyInfo.importKey(keys.publicKey);
  cert.extensions = [basicConstraints(true)];
  await cert.sign(keys.privateKey, 'SHA-256');
  const der = new Uint8Array(cert.toSchema(true).toBER(false));
  const spki = new Uint8Array(await subtle().exportKey('spki', keys.publicKey));
  return { name: commonName, der, cert, privateKey: keys.privateKey, spki };
}

/** One key pair for every leaf: the leaf's own key plays no part in CT. */
let leafKey: Promise<CryptoKeyPair> | undefined;
const leafKeyPair = (): Promise<CryptoKeyPair> =>
  (leafKey ??= subtle().generateKey(EC_GEN, true, ['sign', 'verify']) as Promise<CryptoKeyPair>);

/** The leaves' private key as PKCS#8 PEM (for a TLS server, e.g. node:https, presenting a leaf). */
export async function leafPrivateKeyPem(): Promise<string> {
  const pkcs8 = new Uint8Array(await subtle().exportKey('pkcs8', (await leafKeyPair()).privateKey));
  return `-----BEGIN PRIVATE KEY-----\n${b64(pkcs8).replace(/.{1,64}/g, '$&\n')}-----END PRIVATE KEY-----\n`;
}

// ---------------------------------------------------------------------------------------------
// Logs

export interface TestLog {
  readonly name: string;
  readonly algorithm: 'ecdsa' | 'rsa';
  readonly privateKey: KeyObject;
  /** SubjectPublicKeyInfo DER. */
  readonly spki: Uint8Array;
  /** SHA-256 of the SPKI (RFC 6962 §3.2). */
  readonly logId: Uint8Array;
  readonly logIdBase64: string;
}

/** A test CT log with an ECDSA P-256 key (default) or an RSA-2048 key. */
export function createTestLog(logName: string, algorithm: 'ecdsa' | 'rsa' = 'ecdsa'): TestLog {
  const { privateKey, publicKey } =
    algorithm === 'ecdsa'
      ? generateKeyPairSync('ec', { namedCurve: 'P-256' })
      : generateKeyPairSync('rsa', { modulusLength: 2048 });
  const spki = new Uint8Array(publicKey.export({ type: 'spki', format: 'der' }));
  const logId = sha256(spki);
  return { name: logName, algorithm, privateKey, spki, logId, logIdBase64: b64(logId) };
}

// ---------------------------------------------------------------------------------------------
// SCTs (RFC 6962 §3.2), encoded here independently of src/

/** entry_type ‖ signed_entry for a precert_entry: issuer_key_hash ‖ opaque TBSCertificate<1..2^24-1>. */
const precertEntryBytes = (issuerKeyHash: Uint8Array, tbs: Uint8Array): Uint8Array =>
  concat(uint(1, 2), issuerKeyHash, vector(tbs, 3));

/** entry_type ‖ signed_entry for an x509_entry: opaque ASN.1Cert<1..2^24-1>. */
const x509EntryBytes = (leafDer: Uint8Array): Uint8Array => concat(uint(0, 2), vector(leafDer, 3));

export interface SctOptions {
  /** CtExtensions bytes (default empty). */
  readonly extensions?: Uint8Array;
  /** Flip a bit of the signature's last byte after signing, so it no longer verifies. */
  readonly tamper?: boolean;
}

/**
 * Signs `entry` as `log` and returns the TLS-encoded SignedCertificateTimestamp:
 * version(1) ‖ log_id(32) ‖ uint64 timestamp ‖ CtExtensions<0..2^16-1> ‖ digitally-signed
 * (hash 4 = SHA-256, signature 3 = ECDSA / 1 = RSA, opaque signature<0..2^16-1>).
 */
function signSct(log: TestLog, entry: Uint8Array, timestamp: number, options: SctOptions = {}): Uint8Array {
  const extensions = options.extensions ?? new Uint8Array(0);
  // digitally-signed struct: sct_version v1(0) ‖ signature_type certificate_timestamp(0) ‖ timestamp ‖
  // entry ‖ extensions
  const signed = concat(Uint8Array.of(0, 0), uint(timestamp, 8), entry, vector(extensions, 2));
  // ECDSA: DER ECDSA-Sig-Value (node's default dsaEncoding); RSA: PKCS#1 v1.5 (node's default padding).
  const signature = new Uint8Array(nodeSign('sha256', signed, log.privateKey));
  if (options.tamper) signature[signature.length - 1]! ^= 0x01;
  return concat(
    Uint8Array.of(0),
    log.logId,
    uint(timestamp, 8),
    vector(extensions, 2),
    Uint8Array.of(4, log.algorithm === 'ecdsa' ? 3 : 1),
    vector(signature, 2),
  );
}

/** SignedCertificateTimestampList: opaque SerializedSCT<1..2^16-1> list<1..2^16-1>. */
export const sctList = (scts: readonly Uint8Array[]): Uint8Array => vector(concat(...scts.map((s) => vector(s, 2))), 2);

/** An x509_entry SCT over the whole final certificate, as delivered in the TLS extension or OCSP. */
export const signTlsSct = (
  log: TestLog,
  leafDer: Uint8Array,
  timestamp: number,
  options: SctOptions = {},
): Uint8Array => signSct(log, x509EntryBytes(leafDer), timestamp, options);

// ---------------------------------------------------------------------------------------------
// Issuing

export const SCT_LIST_OID = '1.3.6.1.4.1.11129.2.4.2';
export const POISON_OID = '1.3.6.1.4.1.11129.2.4.3';

interface EmbeddedSctSpec extends SctOptions {
  readonly log: TestLog;
  readonly timestamp: number;
}

export interface IssueOptions {
  /** ms, whole seconds. */
  readonly notBefore: number;
  readonly notAfter: number;
  readonly logs: readonly EmbeddedSctSpec[];
  /** Subject common name and DNS SAN (default "test.example"). */
  readonly subject?: string;
  /** The subjectAltName instead of the subject's DNS name (e.g. IP:127.0.0.1 + DNS:localhost for a local server). */
  readonly sans?: SubjectAltNames;
  /** The subject's O (default "ctlens test"). */
  readonly organization?: string;
  /** More extensions, before the SCT list (e.g. authorityKeyIdentifier, authorityInfoAccess: issuer-pki.ts). */
  readonly extensions?: readonly pkijs.Extension[];
}

export interface IssuedCertificate {
  /** The final certificate, DER. */
  readonly der: Uint8Array;
  /** The TBSCertificate the logs signed (final TBS without the SCT extension). */
  readonly precertTbs: Uint8Array;
  /** The TLS-encoded SCTs, in list order. */
  readonly scts: readonly Uint8Array[];
}

async function leafTemplate(
  ca: TestCa,
  options: {
    notBefore: number;
    notAfter: number;
    subject?: string;
    sans?: SubjectAltNames;
    organization?: string;
    extensions?: readonly pkijs.Extension[];
  },
): Promise<pkijs.Certificate> {
  const subject = options.subject ?? 'test.example';
  const cert = new pkijs.Certificate();
  cert.version = 2;
  cert.serialNumber = nextSerial();
  cert.issuer = name(ca.name);
  cert.subject = name(subject, options.organization);
  cert.notBefore = time(options.notBefore);
  cert.notAfter = time(options.notAfter);
  await cert.subjectPublicKeyInfo.importKey((await leafKeyPair()).publicKey);
  // The TBS signature field must be final before the logs sign the TBS.
  const { signatureAlgorithm } = await pkijs.getCrypto(true).getSignatureParameters(ca.privateKey, 'SHA-256');
  cert.signature = signatureAlgorithm;
  cert.extensions = [
    basicConstraints(false),
    options.sans ? sanExtension(options.sans) : dnsSan(subject),
    ...(options.extensions ?? []),
  ];
  return cert;
}

const encodeTbs = (cert: pkijs.Certificate): Uint8Array => new Uint8Array(cert.encodeTBS().toBER(false));

async function signWithCa(cert: pkijs.Certificate, ca: TestCa): Promise<Uint8Array> {
  await cert.sign(ca.privateKey, 'SHA-256');
  return new Uint8Array(cert.toSchema(true).toBER(false));
}

/**
 * Issues a final certificate with embedded SCTs: the TBS without the SCT extension is what each
 * log signs as a precert_entry (issuer_key_hash = SHA-256 of the CA's SPKI); the SCT list is then
 * appended as the last extension (extnValue = OCTET STRING of the TLS list) and the CA signs.
 * With no logs, the certificate has no SCT extension at all.
 */
export async function issueWithEmbeddedScts(ca: TestCa, options: IssueOptions): Promise<IssuedCertificate> {
  const cert = await leafTemplate(ca, options);
  const precertTbs = encodeTbs(cert);
  const issuerKeyHash = sha256(ca.spki);
  const scts = options.logs.map((spec) =>
    signSct(spec.log, precertEntryBytes(issuerKeyHash, precertTbs), spec.timestamp, spec),
  );
  if (scts.length) {
    const extnValue = new asn1js.OctetString({ valueHex: toArrayBuffer(sctList(scts)) }).toBER(false);
    cert.extensions = [...cert.extensions!, new pkijs.Extension({ extnID: SCT_LIST_OID, critical: false, extnValue })];
  }
  const der = await signWithCa(cert, ca);

  // Sanity: the final TBS minus its last (SCT) extension must be byte-identical to what the logs signed.
  const reparsed = pkijs.Certificate.fromBER(toArrayBuffer(der));
  if (scts.length) {
    const exts = reparsed.extensions ?? [];
    if (exts[exts.length - 1]?.extnID !== SCT_LIST_OID) throw new Error('test PKI: the SCT extension is not last');
    reparsed.extensions = exts.slice(0, -1);
  }
  if (!equal(encodeTbs(reparsed), precertTbs))
    throw new Error('test PKI: final TBS without the SCT extension differs from the signed TBS');
  return { der, precertTbs, scts };
}

/** A precertificate (RFC 6962 §3.1): the critical poison extension, no SCTs, signed by the CA. */
export async function issuePrecertificate(
  ca: TestCa,
  options: { notBefore: number; notAfter: number; subject?: string },
): Promise<Uint8Array> {
  const cert = await leafTemplate(ca, options);
  const poison = new pkijs.Extension({ extnID: POISON_OID, critical: true, extnValue: new asn1js.Null().toBER(false) });
  cert.extensions = [...cert.extensions!, poison];
  return signWithCa(cert, ca);
}

/** A precertificate awaiting SCTs, and how to finish it into the final certificate. */
export interface PendingIssuance {
  /** The precertificate (RFC 6962 §3.1), DER: submit it to logs with add-pre-chain. */
  readonly precert: Uint8Array;
  /**
   * The final certificate embedding `scts` (serialized SCTs, as logs returned them), with the same
   * TBS as the precertificate but the SCT list extension in place of the poison (§3.3).
   */
  finish(scts: readonly Uint8Array[]): Promise<IssuedCertificate>;
}

/**
 * Issuance the way CAs do it with real logs: the precertificate first; its SCTs come from the
 * logs (e.g. test/log's add-pre-chain), not from this PKI.
 */
export async function beginIssuance(
  ca: TestCa,
  options: { notBefore: number; notAfter: number; subject?: string; sans?: SubjectAltNames; organization?: string },
): Promise<PendingIssuance> {
  const cert = await leafTemplate(ca, options);
  const base = cert.extensions!;
  const poison = new pkijs.Extension({ extnID: POISON_OID, critical: true, extnValue: new asn1js.Null().toBER(false) });
  cert.extensions = [...base, poison];
  const precert = await signWithCa(cert, ca);
  cert.extensions = base;
  const precertTbs = encodeTbs(cert);
  return {
    precert,
    async finish(scts) {
      const extnValue = new asn1js.OctetString({ valueHex: toArrayBuffer(sctList(scts)) }).toBER(false);
      cert.extensions = [...base, new pkijs.Extension({ extnID: SCT_LIST_OID, critical: false, extnValue })];
      return { der: await signWithCa(cert, ca), precertTbs, scts };
    },
  };
}

// ---------------------------------------------------------------------------------------------
// Log lists (v3 schema)

export interface LogListEntry {
  readonly log: TestLog;
  readonly state: LogStateName;
  /** When the log entered `state` (ms). */
  readonly stateSince: number;
  readonly type: 'rfc6962' | 'tiled';
  /** Earlier operators: `name` ran the log until `endTime` (ms). */
  readonly previousOperators?: readonly { readonly name: string; readonly endTime: number }[];
}

export interface LogListSpec {
  /** log_list_timestamp (ms). */
  readonly timestamp: number;
  readonly version?: string;
  readonly operators: readonly { readonly name: string; readonly logs: readonly LogListEntry[] }[];
}

const iso = (ms: number): string => new Date(ms).toISOString().replace(/\.000Z$/, 'Z');

/** A v3 log list as JSON text: tiled logs under `tiled_logs`, RFC 6962 logs under `logs`. */
export function logListJson(spec: LogListSpec): string {
  const entry = (e: LogListEntry): Record<string, unknown> => {
    const slug = e.log.name.toLowerCase().replace(/[^a-z0-9]+/g, '-');
    const stateBody: Record<string, unknown> = { timestamp: iso(e.stateSince) };
    if (e.state === 'readonly')
      stateBody.final_tree_head = { tree_size: 1234, sha256_root_hash: b64(new Uint8Array(32)) };
    return {
      description: e.log.name,
      log_id: e.log.logIdBase64,
      key: b64(e.log.spki),
      ...(e.type === 'rfc6962'
        ? { url: `https://${slug}.ct.example/` }
        : { submission_url: `https://${slug}.ct.example/`, monitoring_url: `https://${slug}.mon.ct.example/` }),
      mmd: 86400,
      state: { [e.state]: stateBody },
      ...(e.previousOperators
        ? { previous_operators: e.previousOperators.map((p) => ({ name: p.name, end_time: iso(p.endTime) })) }
        : {}),
    };
  };
  return JSON.stringify(
    {
      version: spec.version ?? '1.0',
      log_list_timestamp: iso(spec.timestamp),
      operators: spec.operators.map((op) => ({
        name: op.name,
        email: [`ct@${op.name.toLowerCase().replace(/[^a-z0-9]+/g, '')}.example`],
        logs: op.logs.filter((l) => l.type === 'rfc6962').map(entry),
        tiled_logs: op.logs.filter((l) => l.type === 'tiled').map(entry),
      })),
    },
    null,
    2,
  );
}

/** parseLogList + LogRegistry for a list from logListJson (unsigned). */
export function registryFromList(spec: LogListSpec): LogRegistry {
  const list = parseLogList(logListJson(spec), 'test list');
  if (list.skipped.length) throw new Error(`test PKI: log list entries skipped: ${list.skipped.join('; ')}`);
  return new LogRegistry([{ list, signed: false }]);
}
