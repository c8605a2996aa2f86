/**
 * The log lists shipped inside ctlens: Google's signed all_logs_list.json snapshots (see
 * data/PROVENANCE.md). v89.25 is the newest; v83.1 still holds the retired logs v89.25 dropped,
 * which older certificates' SCTs need. Both signatures are checked before use.
 */
import { fromBase64, sha256, utf8, type Bytes } from '../bytes.js';
import { parseLogList, type LogList } from './schema.js';
import { verifyLogListSignature } from './signature.js';
import v89Json from './data/all_logs_list.v89.25.json?raw';
import v89Sig from './data/all_logs_list.v89.25.sig?base64';
import v83Json from './data/all_logs_list.v83.1.json?raw';
import v83Sig from './data/all_logs_list.v83.1.sig?base64';
import googlePublicKeyPem from './data/log_list_pubkey.pem?raw';

export { googlePublicKeyPem };

export interface SignedLogList {
  readonly list: LogList;
  readonly signed: true;
  /** SHA-256 of the exact bytes the signature covers (what the list says, for cache keys). */
  readonly sha256: Bytes;
}

const SNAPSHOTS = [
  { json: v89Json, sig: v89Sig },
  { json: v83Json, sig: v83Sig },
];

let loaded: Promise<SignedLogList[]> | undefined;

/** The bundled lists, newest first, each signature verified (once per process). */
export function bundledLogLists(): Promise<SignedLogList[]> {
  loaded ??= Promise.all(SNAPSHOTS.map(({ json, sig }) => loadBundledSnapshot(json, sig)));
  return loaded;
}

/**
 * One bundled snapshot from its JSON text (the file's bytes, UTF-8) and its signature (base64):
 * refused unless the signature verifies over those exact bytes; parsed only then. The CLI reads
 * its snapshots one at a time with this (src/cli/bundled-snapshots.ts).
 */
export async function loadBundledSnapshot(json: string, sig: string): Promise<SignedLogList> {
  const bytes = utf8(json);
  await verifyLogListSignature(bytes, fromBase64(sig), googlePublicKeyPem);
  const list = parseLogList(json, (version) => `Google log list v${version} (bundled)`);
  return { list, signed: true as const, sha256: sha256(bytes) };
}

/** Loads a signed list (e.g. fetched from Google), refusing it unless the signature verifies. */
export async function loadSignedLogList(
  json: Uint8Array,
  signature: Uint8Array,
  source: string,
): Promise<SignedLogList> {
  await verifyLogListSignature(json, signature, googlePublicKeyPem);
  const list = parseLogList(
    new TextDecoder('utf-8', { fatal: true }).decode(json),
    (version) => `${source} v${version}`,
  );
  return { list, signed: true, sha256: sha256(json) };
}
