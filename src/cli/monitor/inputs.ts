/**
 * `ctlens monitor`'s inputs: the watched patterns (--watch, --watch-file) and what the user
 * issued (--authorize): a hex SHA-256, or a file of them (one a line, `#` comments) and of PEM
 * blocks: a CERTIFICATE authorizes that certificate and its precertificate (their TBS key), a
 * PUBLIC KEY every certificate for that key. Each problem is an InputError or UsageError naming
 * the file and line.
 */
import { sha256, toHex } from '../../bytes.js';
import { CertificateError } from '../../x509/certificate.js';
import { authorizedHashes } from '../../monitor/finding.js';
import { PatternError, parsePattern, parseWatchFile, type Pattern } from '../../monitor/patterns.js';
import { PemError, decodePem } from '../../pem.js';
import { InputError, UsageError } from '../errors.js';
import { readInputFile } from '../inputs.js';

const decodeText = (bytes: Uint8Array, path: string, what: string): string => {
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    throw new InputError(`${path}: the ${what} is not UTF-8 text`);
  }
};

export async function readPatterns(watch: readonly string[], files: readonly string[]): Promise<Pattern[]> {
  const patterns: Pattern[] = [];
  for (const text of watch) {
    try {
      patterns.push(parsePattern(text));
    } catch (e) {
      if (e instanceof PatternError) throw new UsageError(`--watch: ${e.message}`);
      throw e;
    }
  }
  for (const file of files) {
    const text = decodeText(await readInputFile(file, 'watch file'), file, 'watch file');
    try {
      patterns.push(...parseWatchFile(text, file));
    } catch (e) {
      if (e instanceof PatternError) throw new InputError(e.message);
      throw e;
    }
  }
  if (patterns.length === 0) throw new UsageError('nothing to watch: give --watch <pattern> or --watch-file <file>');
  return patterns;
}

const HEX_SHA256 = /^[0-9a-fA-F]{64}$/;

/** Every hash the --authorize values name, lowercase hex. */
export async function readAuthorized(values: readonly string[]): Promise<Set<string>> {
  const out = new Set<string>();
  for (const value of values) {
    if (HEX_SHA256.test(value)) {
      out.add(value.toLowerCase());
      continue;
    }
    const text = decodeText(await readInputFile(value, 'authorize file'), value, 'authorize file');
    for (const hash of authorizeFile(text, value)) out.add(hash);
  }
  return out;
}

function authorizeFile(text: string, file: string): string[] {
  const out: string[] = [];
  let blocks: ReturnType<typeof decodePem>;
  try {
    blocks = decodePem(text);
  } catch (e) {
    if (e instanceof PemError) throw new InputError(`${file}: ${e.message}`);
    throw e;
  }
  for (const [i, block] of blocks.entries()) {
    if (block.label === 'PUBLIC KEY') out.push(toHex(sha256(block.der)));
    else if (block.label === 'CERTIFICATE') {
      try {
        out.push(...authorizedHashes(block.der));
      } catch (e) {
        if (e instanceof CertificateError) throw new InputError(`${file}: PEM block #${i + 1}: ${e.message}`);
        throw e;
      }
    } else throw new InputError(`${file}: PEM block #${i + 1} is a ${block.label}, not a CERTIFICATE or PUBLIC KEY`);
  }
  let inBlock = false;
  text.split(/\r?\n/).forEach((line, i) => {
    if (line.startsWith('-----BEGIN ')) inBlock = true;
    const content = line.replace(/#.*$/, '').trim();
    if (!inBlock && content !== '') {
      if (!HEX_SHA256.test(content)) throw new InputError(`${file}, line ${i + 1}: not a hex SHA-256 nor a PEM block`);
      out.push(content.toLowerCase());
    }
    if (line.startsWith('-----END ')) inBlock = false;
  });
  return out;
}
