/**
 * The issuer certificates ctlens holds, bounded (the least recently used go first), looked up for
 * a certificate by its authority key identifier (= the issuer's subject key identifier, RFC 5280
 * §4.2.1.1) or, for a certificate without one, by its issuer name (= the issuer's subject,
 * §4.1.2.4). A match is only a candidate: resolve-issuer.ts checks its signature. Platform-free.
 */
import { equalBytes, sha256, toHex, type Bytes } from '../bytes.js';
import { DerError } from '../der/element.js';
import { CertificateError, isCaCertificate, parseCertificate, type CertificateView } from '../x509/certificate.js';
import { authorityKeyId, subjectKeyId } from './key-identifiers.js';

interface Held {
  readonly cert: CertificateView;
  readonly keyId: Bytes | undefined;
}

export class IssuerIndex {
  /** By SHA-256 of the DER; a Map iterates in insertion order, so the first is the least recently used. */
  private readonly held = new Map<string, Held>();

  constructor(private readonly maxEntries: number) {}

  get size(): number {
    return this.held.size;
  }

  /**
   * Adds a CA certificate (basicConstraints cA, RFC 5280 §4.2.1.9); anything else, or one that does
   * not parse, is not an issuer and is left out. True when it was not held before.
   */
  add(der: Bytes): boolean {
    const digest = toHex(sha256(der));
    const before = this.held.get(digest);
    if (before) {
      this.touch(digest, before);
      return false;
    }
    let cert: CertificateView;
    let keyId: Bytes | undefined;
    try {
      cert = parseCertificate(der);
      if (!isCaCertificate(cert)) return false;
      keyId = subjectKeyId(cert);
    } catch (e) {
      if (e instanceof CertificateError || e instanceof DerError) return false;
      throw e;
    }
    this.held.set(digest, { cert, keyId });
    while (this.held.size > this.maxEntries) this.held.delete(this.held.keys().next().value as string);
    return true;
  }

  /** The held certificates that may have issued `cert`, most recently used first. */
  candidates(cert: CertificateView): CertificateView[] {
    let wanted: Bytes | undefined;
    try {
      wanted = authorityKeyId(cert);
    } catch (e) {
      if (!(e instanceof DerError)) throw e; // an unreadable identifier: look by name
    }
    const found: CertificateView[] = [];
    for (const { cert: held, keyId } of this.held.values()) {
      const match = wanted && keyId ? equalBytes(wanted, keyId) : equalBytes(held.subject, cert.issuer);
      if (match) found.unshift(held);
    }
    return found;
  }

  /** Marks a held certificate as just used (it was the issuer found). */
  used(der: Bytes): void {
    const digest = toHex(sha256(der));
    const held = this.held.get(digest);
    if (held) this.touch(digest, held);
  }

  /** Every held certificate, least recently used first (what a store persists). */
  all(): Bytes[] {
    return [...this.held.values()].map((h) => h.cert.der);
  }

  private touch(digest: string, held: Held): void {
    this.held.delete(digest);
    this.held.set(digest, held);
  }
}
