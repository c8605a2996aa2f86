/** Reading the CLI's input files; every error names the file and what is wrong with it. */
import { readFile } from 'node:fs/promises';
import type { Bytes } from '../bytes.js';
import { publicKeyKind } from '../crypto/public-key.js';
import { DerError } from '../der/element.js';
import { logFromKey } from '../loglist/registry.js';
import { LogListError, parseLogList, type LogInfo, type LogList } from '../loglist/schema.js';
import { certificatesFromPem, decodePem, looksLikePem, PemError } from '../pem.js';
import { CertificateError, parseCertificate } from '../x509/certificate.js';
import { InputError } from './errors.js';

export async function readInputFile(path: string, what: string): Promise<Bytes> {
  try {
    return new Uint8Array(await readFile(path));
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    const why = code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'is a directory' : code === 'EACCES' ? 'permission denied' : (e as Error).message;
    throw new InputError(`${path}: cannot read ${what}: ${why}`);
  }
}

/** Certificates from a PEM (one or more CERTIFICATE blocks, in order) or a single DER file. */
export async function readCertificates(path: string, what = 'certificate'): Promise<Bytes[]> {
  const bytes = await readInputFile(path, what);
  let ders: Bytes[];
  if (looksLikePem(bytes)) {
    try {
      ders = certificatesFromPem(new TextDecoder().decode(bytes));
    } catch (e) {
      if (e instanceof PemError) throw new InputError(`${path}: ${e.message}`);
      throw e;
    }
  } else {
    if (bytes.length === 0) throw new InputError(`${path}: file is empty`);
    ders = [bytes];
  }
  ders.forEach((der, i) => {
    try {
      parseCertificate(der);
    } catch (e) {
      if (e instanceof CertificateError) throw new InputError(`${path}: ${ders.length > 1 ? `certificate #${i + 1}: ` : ''}${e.message}`);
      throw e;
    }
  });
  return ders;
}

/** A v3-schema log list file (unsigned: the user vouches for it). */
export async function readLogList(path: string): Promise<LogList> {
  const bytes = await readInputFile(path, 'log list');
  try {
    return parseLogList(new TextDecoder('utf-8', { fatal: true }).decode(bytes), `log list ${path}`);
  } catch (e) {
    if (e instanceof LogListError || e instanceof TypeError) throw new InputError(`${path}: not a v3 log list: ${e.message}`);
    throw e;
  }
}

/** An extra log's public key, PEM ("PUBLIC KEY") or DER SubjectPublicKeyInfo. */
export async function readLogKey(path: string): Promise<LogInfo> {
  const bytes = await readInputFile(path, 'log key');
  let spki = bytes;
  if (looksLikePem(bytes)) {
    try {
      const block = decodePem(new TextDecoder().decode(bytes)).find((b) => b.label === 'PUBLIC KEY');
      if (!block) throw new InputError(`${path}: no PUBLIC KEY block in this PEM file`);
      spki = block.der;
    } catch (e) {
      if (e instanceof PemError) throw new InputError(`${path}: ${e.message}`);
      throw e;
    }
  }
  try {
    const kind = publicKeyKind(spki);
    if (kind.type === 'unsupported') throw new InputError(`${path}: unsupported log key (${kind.description}); logs use ECDSA P-256 or RSA`);
  } catch (e) {
    if (e instanceof DerError) throw new InputError(`${path}: not a SubjectPublicKeyInfo: ${e.message}`);
    throw e;
  }
  return logFromKey(spki, `log key ${path}`);
}
