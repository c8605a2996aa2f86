/**
 * Reading kept tree heads and split-view evidence back from a store (a file, storage.local):
 * every field is checked, so a damaged or edited record is refused with what is wrong instead of
 * crashing later (a bad root in a proof check, a bad timestamp in a date). Callers must never
 * overwrite a record that fails here (a StoredRecordError): it may be the only copy of the evidence.
 */
import { fromBase64 } from '../bytes.js';
import type { EvidenceHead, SplitViewAlert, StoredHead } from './tree-heads.js';

class StoredRecordError extends Error {
  override name = 'StoredRecordError';
}

/** The largest time a Date can hold (ECMA-262 §21.4.1.22): later timestamps cannot be shown. */
const MAX_TIME_MS = 8.64e15;

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

function wholeNumber(value: unknown, name: string, max = Number.MAX_SAFE_INTEGER): number {
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 0 || value > max) {
    throw new StoredRecordError(`${name} is not a whole number in 0..${max}`);
  }
  return value;
}

function base64(value: unknown, name: string, length?: number): string {
  if (typeof value !== 'string') throw new StoredRecordError(`${name} is not a base64 string`);
  let bytes: Uint8Array;
  try {
    bytes = fromBase64(value);
  } catch (e) {
    throw new StoredRecordError(`${name}: ${(e as Error).message}`);
  }
  if (length !== undefined && bytes.length !== length) {
    throw new StoredRecordError(`${name} is ${bytes.length} bytes, not ${length}`);
  }
  return value;
}

function text(value: unknown, name: string): string {
  if (typeof value !== 'string') throw new StoredRecordError(`${name} is not a string`);
  return value;
}

/** One StoredHead: sizes and times whole numbers, a 32-byte root, a base64 signature (empty for a list's head). */
function parseStoredHead(value: unknown, name: string): StoredHead {
  if (!isRecord(value)) throw new StoredRecordError(`${name} is not an object`);
  return {
    treeSize: wholeNumber(value.treeSize, `${name}.treeSize`),
    timestamp: wholeNumber(value.timestamp, `${name}.timestamp`, MAX_TIME_MS),
    rootHash: base64(value.rootHash, `${name}.rootHash`, 32),
    signature: base64(value.signature, `${name}.signature`),
    seenAt: wholeNumber(value.seenAt, `${name}.seenAt`, MAX_TIME_MS),
  };
}

/** A split view's evidence head: a StoredHead, with the signed note and its source when kept. */
function parseEvidenceHead(value: unknown, name: string): EvidenceHead {
  const head = parseStoredHead(value, name);
  const { note, from } = value as Record<string, unknown>;
  return {
    ...head,
    ...(note === undefined ? {} : { note: text(note, `${name}.note`) }),
    ...(from === undefined ? {} : { from: text(from, `${name}.from`) }),
  };
}

export function parseStoredHeads(value: unknown, name: string): StoredHead[] {
  if (!Array.isArray(value)) throw new StoredRecordError(`${name} is not an array`);
  return value.map((head, i) => parseStoredHead(head, `${name}[${i}]`));
}

/** Kept split views of the log `logId`: each names that log and carries exactly two heads. */
export function parseSplitViews(value: unknown, logId: string, name: string): SplitViewAlert[] {
  if (!Array.isArray(value)) throw new StoredRecordError(`${name} is not an array`);
  return value.map((alert, i): SplitViewAlert => {
    const at = `${name}[${i}]`;
    if (!isRecord(alert)) throw new StoredRecordError(`${at} is not an object`);
    if (alert.type !== 'split-view') throw new StoredRecordError(`${at}.type is not "split-view"`);
    if (alert.logId !== logId) throw new StoredRecordError(`${at}.logId is not this log's (${logId})`);
    const { evidence } = alert;
    if (!Array.isArray(evidence) || evidence.length !== 2) {
      throw new StoredRecordError(`${at}.evidence is not two heads`);
    }
    return {
      type: 'split-view',
      logId,
      log: text(alert.log, `${at}.log`),
      detail: text(alert.detail, `${at}.detail`),
      ...(alert.witness === undefined ? {} : { witness: text(alert.witness, `${at}.witness`) }),
      evidence: [
        parseEvidenceHead(evidence[0], `${at}.evidence[0]`),
        parseEvidenceHead(evidence[1], `${at}.evidence[1]`),
      ],
    };
  });
}
