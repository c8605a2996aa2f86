/** Reading the CLI's input files; every error names the file and what is wrong with it. */
import { readFileSync } from 'node:fs';
import { concatBytes, type Bytes } from '../bytes.js';
import { publicKeyKind } from '../crypto/public-key.js';
import { DerError } from '../der/element.js';
import { logFromKey } from '../loglist/registry.js';
import { LogListError, parseLogList, type LogInfo, type LogList } from '../loglist/schema.js';
import { certificatesFromPem, decodePem, looksLikePem, PemError } from '../pem.js';
import { CertificateError, parseCertificate } from '../x509/certificate.js';
import { InputError } from './errors.js';

/**
 * The bytes of `path`. Read synchronously: a local file read costs a CLI run less than a trip
 * through the thread pool per open, stat, read and close.
 */
export async function readInputFile(path: string, what: string): Promise<Bytes> {
  try {
    return new Uint8Array(readFileSync(path));
  } catch (e) {
    throw new InputError(`${path}: cannot read ${what}: ${readFailure(e)}`);
  }
}

/** Why reading a file failed, in a few words. */
export function readFailure(e: unknown): string {
  const code = (e as NodeJS.ErrnoException).code;
  return code === 'ENOENT'
    ? 'no such file'
    : code === 'EISDIR'
      ? 'is a directory'
      : code === 'EACCES'
        ? 'permission denied'
        : (e as Error).message;
}

/** The largest standard input read as one certificate file. */
const MAX_STDIN_BYTES = 16 << 20;

/** All of standard input (`-`), refused beyond MAX_STDIN_BYTES. */
export async function readStdin(stdin: (() => AsyncIterable<Uint8Array>) | undefined, what: string): Promise<Bytes> {
  if (!stdin) throw new InputError(`-: cannot read ${what}: no standard input`);
  const chunks: Uint8Array[] = [];
  let size = 0;
  try {
    for await (const chunk of stdin()) {
      size += chunk.length;
      if (size > MAX_STDIN_BYTES) {
        throw new InputError(`-: ${what} on standard input is over ${MAX_STDIN_BYTES >> 20} MiB`);
      }
      chunks.push(chunk);
    }
  } catch (e) {
    if (e instanceof InputError) throw e;
    throw new InputError(`-: cannot read ${what}: ${readFailure(e)}`);
  }
  return concatBytes(...chunks);
}

/** Certificates from a PEM (one or more CERTIFICATE blocks, in order) or a single DER file. */
export async function readCertificates(path: string, what = 'certificate'): Promise<Bytes[]> {
  return certificatesIn(await readInputFile(path, what), path);
}

/** The certificates in a file's bytes (`path` names it in errors): PEM blocks in order, or one DER. */
export function certificatesIn(bytes: Bytes, path: string): Bytes[] {
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
      if (e instanceof CertificateError)
        throw new InputError(`${path}: ${ders.length > 1 ? `certificate #${i + 1}: ` : ''}${e.message}`);
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
    if (e instanceof LogListError || e instanceof TypeError)
      throw new InputError(`${path}: not a v3 log list: ${e.message}`);
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
    if (kind.type === 'unsupported')
      throw new InputError(`${path}: unsupported log key (${kind.description}); logs use ECDSA P-256 or RSA`);
  } catch (e) {
    if (e instanceof DerError) throw new InputError(`${path}: not a SubjectPublicKeyInfo: ${e.message}`);
    throw e;
  }
  return logFromKey(spki, `log key ${path}`);
}
