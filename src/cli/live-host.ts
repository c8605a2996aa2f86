/**
 * Reading a live host's chain for `ctlens audit https://host[:port]`: a TLS connection that asks
 * for a stapled OCSP response, the chain the server sent (leaf first), and the SCTs in the OCSP
 * response's SingleExtension 1.3.6.1.4.1.11129.2.4.5 (RFC 6962 §3.3). Node does not expose SCTs
 * from the TLS extension, so those cannot be read here.
 *
 * The connection is never refused (the user wants to see the chain, whatever it is), but whoever
 * is on the path can present any certificate they hold, a properly logged one for their own
 * domain included. So the chain is also checked against Node's trust store and the leaf against
 * the host name (RFC 6125 §6), and both outcomes are reported.
 */
import {
  checkServerIdentity,
  connect,
  type ConnectionOptions,
  type DetailedPeerCertificate,
  type TLSSocket,
} from 'node:tls';
import * as pkijs from 'pkijs';
import * as asn1js from 'asn1js';
import type { Bytes } from '../bytes.js';
import { splitSctList } from '../sct/decode.js';
import type { DeliveredSct } from '../verify/verify-scts.js';
import { InputError } from './errors.js';
import { OID } from '../x509/certificate.js';

export interface LiveChain {
  readonly chain: Bytes[];
  readonly delivered: DeliveredSct[];
  readonly notes: string[];
  readonly host: HostCheck;
}

/** Whether the certificate the server presented stands for the host asked. */
export interface HostCheck {
  /** The host as asked (an IPv6 address without brackets). */
  readonly name: string;
  /**
   * The chain the server sent verifies (RFC 5280 §6: signatures, validity, constraints) up to a
   * root Node trusts: its default store (the bundled Mozilla roots; the system's with
   * --use-openssl-ca), plus the certificates in NODE_EXTRA_CA_CERTS.
   */
  readonly chainTrusted: boolean;
  /**
   * The leaf names the host (RFC 6125 §6, as Node's tls.checkServerIdentity: DNS or IP SANs, a
   * wildcard only in the left-most label; the CN only when there is no DNS SAN).
   */
  readonly nameMatches: boolean;
  /** What failed, when either did. */
  readonly error?: string;
}

const TIMEOUT_MS = 15_000;

export function parseHostArgument(arg: string): { host: string; port: number } | undefined {
  if (!/^https:\/\//i.test(arg)) return undefined;
  let url: URL;
  try {
    url = new URL(arg);
  } catch {
    throw new InputError(`${arg}: not a URL`);
  }
  return { host: url.hostname.replace(/^\[|\]$/g, ''), port: url.port ? Number(url.port) : 443 };
}

export function readLiveChain(host: string, port: number): Promise<LiveChain> {
  return new Promise((resolve, reject) => {
    let ocsp: Buffer | undefined;
    const isIp = /^[\d.:]+$/.test(host);
    // Read the chain whatever its issuer (rejectUnauthorized: false), with `authorized` left to
    // mean the chain alone: the name is checked separately below (a no-op checkServerIdentity
    // here, or Node would fold a name mismatch into `authorized`).
    // tls.connect hands requestOCSP to the TLSSocket it creates; @types/node types it only there.
    const options = {
      host,
      port,
      ...(isIp ? {} : { servername: host }),
      requestOCSP: true,
      rejectUnauthorized: false,
      checkServerIdentity: () => undefined,
    } as ConnectionOptions;
    const socket = connect(options);
    socket.setTimeout(TIMEOUT_MS);
    socket.on('OCSPResponse', (response: Buffer) => (ocsp = response));
    socket.on('timeout', () => socket.destroy(new Error(`no TLS handshake within ${TIMEOUT_MS / 1000} s`)));
    socket.on('error', (e: NodeJS.ErrnoException) =>
      reject(new InputError(`https://${host}:${port}: ${e.code ?? e.message}`)),
    );
    socket.on('secureConnect', () => {
      const chain: Bytes[] = [];
      let cert: DetailedPeerCertificate | undefined = socket.getPeerCertificate(true);
      const seen = new Set<string>();
      while (cert?.raw && !seen.has(cert.fingerprint256)) {
        seen.add(cert.fingerprint256);
        chain.push(new Uint8Array(cert.raw));
        cert = cert.issuerCertificate;
      }
      const hostCheck = checkHost(host, socket);
      socket.end();
      if (!chain.length) return reject(new InputError(`https://${host}:${port}: the server sent no certificate`));
      const notes = [
        'SCTs from the TLS extension are not visible to this command (Node does not expose them); ' +
          'embedded and OCSP-stapled SCTs are checked.',
      ];
      let delivered: DeliveredSct[] = [];
      if (ocsp) {
        try {
          delivered = ocspScts(new Uint8Array(ocsp));
        } catch (e) {
          notes.push(`the stapled OCSP response could not be read: ${(e as Error).message}`);
        }
      } else notes.push('the server stapled no OCSP response');
      resolve({ chain, delivered, notes, host: hostCheck });
    });
  });
}

/** Precondition: `socket` completed its handshake with rejectUnauthorized false and a no-op checkServerIdentity. */
function checkHost(name: string, socket: TLSSocket): HostCheck {
  const errors: string[] = [];
  // authorizationError is OpenSSL's verification error code (e.g. SELF_SIGNED_CERT_IN_CHAIN); typed as an Error.
  if (!socket.authorized) {
    errors.push(`the chain does not lead to a trusted root (${String(socket.authorizationError ?? 'unverified')})`);
  }
  const mismatch = checkServerIdentity(name, socket.getPeerCertificate());
  if (mismatch) errors.push(`the certificate is not for ${name} (${mismatch.message})`);
  const error = errors.length ? { error: errors.join('; ') } : {};
  return { name, chainTrusted: socket.authorized, nameMatches: !mismatch, ...error };
}

/** The SCT list of a stapled OCSP response's first SingleResponse (RFC 6962 §3.3), if any. */
export function ocspScts(der: Bytes): DeliveredSct[] {
  const response = pkijs.OCSPResponse.fromBER(der as BufferSource);
  const bytes = response.responseBytes?.response.valueBlock.valueHexView;
  if (!bytes) return [];
  const basic = pkijs.BasicOCSPResponse.fromBER(bytes as BufferSource);
  const out: DeliveredSct[] = [];
  for (const single of basic.tbsResponseData.responses) {
    for (const ext of single.singleExtensions ?? []) {
      if (ext.extnID !== OID.OCSP_SCT_LIST) continue;
      const inner = asn1js.fromBER(ext.extnValue.valueBlock.valueHexView);
      if (inner.offset === -1 || !(inner.result instanceof asn1js.OctetString))
        throw new Error('SCT list extension is not an OCTET STRING');
      for (const sct of splitSctList(inner.result.valueBlock.valueHexView)) out.push({ bytes: sct, source: 'ocsp' });
    }
  }
  return out;
}
