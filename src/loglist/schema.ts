/**
 * Google's CT log list, v3 schema (https://www.gstatic.com/ct/log_list/v3/log_list_schema.json):
 * `operators[]` each with `logs[]` (RFC 6962 logs, `url`) and `tiled_logs[]` (static-ct-api,
 * `submission_url` + `monitoring_url`). Parsing is strict about what it uses and names the
 * JSON path of anything wrong; unknown keys are ignored (the schema grows).
 */
import { fromBase64, sha256, equalBytes, toBase64, type Bytes } from '../bytes.js';
import { parseRfc3339 } from '../time.js';
import { logUrlProblem } from './log-url.js';

const LOG_STATES = ['pending', 'qualified', 'usable', 'readonly', 'retired', 'rejected'] as const;
export type LogStateName = (typeof LOG_STATES)[number];

interface LogState {
  readonly name: LogStateName;
  /** When the log entered this state (ms). */
  readonly since: number;
  /** readonly logs: the tree head they were frozen at (the registry keeps it only from a signed list). */
  readonly finalTreeHead?: { readonly treeSize: number; readonly rootHash: string };
}

export interface LogInfo {
  /** base64 of the 32-byte log id = SHA-256 of the key's SPKI DER (RFC 6962 §3.2). */
  readonly logId: string;
  /** SubjectPublicKeyInfo DER. */
  readonly key: Bytes;
  readonly description: string;
  /** The current operator. */
  readonly operator: string;
  /** Earlier operators, oldest first: `name` ran the log until `endTime` (ms, exclusive). */
  readonly previousOperators: readonly { readonly name: string; readonly endTime: number }[];
  /** `rfc6962` logs serve /ct/v1/; `tiled` logs the static-ct-api. */
  readonly type: 'rfc6962' | 'tiled';
  /**
   * The API a `logs[]` entry's `url` serves: RFC 6962 (/ct/v1/, the default) or RFC 9162
   * (/ct/v2/). Google's v3 schema cannot say "v2", so it comes from a non-standard
   * `"ctlens_api": "rfc9162"` key in the log's entry (ctlens's own lists, e.g. for the local test
   * log); other consumers of the list ignore unknown keys.
   */
  readonly api?: 'rfc6962' | 'rfc9162';
  /** The addresses: absolute http(s) URLs whose host is a plain DNS name or IP address (log-url.ts). */
  readonly url?: string;
  readonly submissionUrl?: string;
  readonly monitoringUrl?: string;
  /** Maximum merge delay, seconds. */
  readonly mmd?: number;
  /** Absent for logs the list gives no state (test logs, bare keys). */
  readonly state?: LogState;
  readonly temporalInterval?: { readonly startInclusive: number; readonly endExclusive: number };
  /** The list's `log_type` ("test", "prod"), when given. */
  readonly logType?: string;
  /** Where this entry came from, for people: "Google log list v89.25 (bundled)", a file name. */
  readonly source: string;
  /** The log_list_timestamp of the list this entry came from (ms): how current its state is. */
  readonly listTimestamp?: number;
  /**
   * One of Google's mimic logs, whose private keys are public (mimics.ts): its SCTs verify but prove
   * nothing, so no policy counts them. Set by the LogRegistry for every log it holds.
   */
  readonly mimic?: true;
}

export interface LogList {
  readonly version?: string;
  /** log_list_timestamp (ms). */
  readonly timestamp?: number;
  readonly logs: readonly LogInfo[];
  readonly operatorCount: number;
  /** Entries left out, each with its reason: a list stays usable when one entry is bad. */
  readonly skipped: readonly string[];
  /** What the list is, for people. */
  readonly source: string;
}

export class LogListError extends Error {
  override name = 'LogListError';
}

type Json = unknown;
const isObject = (v: Json): v is Record<string, Json> => typeof v === 'object' && v !== null && !Array.isArray(v);

function str(obj: Record<string, Json>, key: string, path: string, required = true): string | undefined {
  const v = obj[key];
  if (v === undefined && !required) return undefined;
  if (typeof v !== 'string') throw new LogListError(`${path}.${key}: expected a string`);
  return v;
}

function time(obj: Record<string, Json>, key: string, path: string, required = true): number | undefined {
  const v = str(obj, key, path, required);
  if (v === undefined) return undefined;
  const ms = parseRfc3339(v);
  if (ms === undefined) throw new LogListError(`${path}.${key}: "${v}" is not an RFC 3339 time`);
  return ms;
}

/**
 * Parses a v3 log list from its JSON text. `source` labels the entries for people.
 * Throws LogListError when the document as a whole is not a v3 log list; a single log entry that
 * is wrong (bad key, log id that is not the key's hash) is skipped and listed in `skipped`.
 */
export function parseLogList(text: string, source: string | ((version: string | undefined) => string)): LogList {
  let doc: Json;
  try {
    doc = JSON.parse(text);
  } catch (e) {
    throw new LogListError(`not JSON: ${(e as Error).message}`);
  }
  if (!isObject(doc)) throw new LogListError('top level: expected an object');
  if (!Array.isArray(doc.operators)) throw new LogListError('operators: expected an array');
  const version = doc.version === undefined ? undefined : String(str(doc, 'version', '$'));
  const timestamp = time(doc, 'log_list_timestamp', '$', false);
  const label = typeof source === 'string' ? source : source(version);
  const logs: LogInfo[] = [];
  const skipped: string[] = [];
  const seen = new Set<string>();
  doc.operators.forEach((op, i) => {
    const opPath = `operators[${i}]`;
    if (!isObject(op)) throw new LogListError(`${opPath}: expected an object`);
    const operator = str(op, 'name', opPath)!;
    for (const [field, type] of [
      ['logs', 'rfc6962'],
      ['tiled_logs', 'tiled'],
    ] as const) {
      const entries = op[field];
      if (entries === undefined) continue;
      if (!Array.isArray(entries)) throw new LogListError(`${opPath}.${field}: expected an array`);
      entries.forEach((entry, k) => {
        const path = `${opPath}.${field}[${k}]`;
        try {
          const log = { ...parseLog(entry, path, operator, type, label), listTimestamp: timestamp };
          if (seen.has(log.logId)) throw new LogListError(`${path}: log id ${log.logId} is listed twice`);
          seen.add(log.logId);
          logs.push(log);
        } catch (e) {
          if (!(e instanceof LogListError)) throw e;
          skipped.push(e.message);
        }
      });
    }
  });
  return { version, timestamp, logs, operatorCount: doc.operators.length, skipped, source: label };
}

function parseLog(entry: Json, path: string, operator: string, type: LogInfo['type'], source: string): LogInfo {
  if (!isObject(entry)) throw new LogListError(`${path}: expected an object`);
  const key = decodeBase64Field(entry, 'key', path);
  const logIdBytes = decodeBase64Field(entry, 'log_id', path);
  const computed = sha256(key);
  if (!equalBytes(logIdBytes, computed)) {
    throw new LogListError(`${path}.log_id: ${toBase64(logIdBytes)} is not SHA-256 of the key (${toBase64(computed)})`);
  }
  const mmd = entry.mmd;
  if (mmd !== undefined && (typeof mmd !== 'number' || !(mmd >= 0)))
    throw new LogListError(`${path}.mmd: expected a number of seconds`);
  const log: LogInfo = {
    logId: toBase64(logIdBytes),
    key,
    description: str(entry, 'description', path, false) ?? '(no description)',
    operator,
    previousOperators: parsePreviousOperators(entry.previous_operators, `${path}.previous_operators`),
    type,
    api: type === 'rfc6962' ? parseApi(entry.ctlens_api, `${path}.ctlens_api`) : undefined,
    url: type === 'rfc6962' ? logUrl(entry, 'url', path) : undefined,
    submissionUrl: type === 'tiled' ? logUrl(entry, 'submission_url', path) : undefined,
    monitoringUrl: type === 'tiled' ? logUrl(entry, 'monitoring_url', path) : undefined,
    mmd: mmd as number | undefined,
    state: parseState(entry.state, `${path}.state`),
    temporalInterval: parseInterval(entry.temporal_interval, `${path}.temporal_interval`),
    logType: str(entry, 'log_type', path, false),
    source,
  };
  return log;
}

/** An optional log address: refused (the entry is skipped) unless its host is plain (log-url.ts). */
function logUrl(obj: Record<string, Json>, key: string, path: string): string | undefined {
  const text = str(obj, key, path, false);
  const problem = text === undefined ? undefined : logUrlProblem(text);
  if (problem) throw new LogListError(`${path}.${key}: ${problem}`);
  return text;
}

/** The non-standard `ctlens_api` key (see LogInfo.api): absent, "rfc6962" or "rfc9162". */
function parseApi(value: Json, path: string): LogInfo['api'] {
  if (value === undefined) return undefined;
  if (value !== 'rfc6962' && value !== 'rfc9162') throw new LogListError(`${path}: expected "rfc6962" or "rfc9162"`);
  return value;
}

function decodeBase64Field(obj: Record<string, Json>, key: string, path: string): Bytes {
  const text = str(obj, key, path)!;
  try {
    return fromBase64(text);
  } catch (e) {
    throw new LogListError(`${path}.${key}: ${(e as Error).message}`);
  }
}

function parseState(value: Json, path: string): LogState | undefined {
  if (value === undefined) return undefined;
  if (!isObject(value)) throw new LogListError(`${path}: expected an object`);
  const names = Object.keys(value);
  if (names.length !== 1) throw new LogListError(`${path}: expected exactly one state, found ${names.length}`);
  const name = names[0]!;
  if (!(LOG_STATES as readonly string[]).includes(name)) throw new LogListError(`${path}: unknown state "${name}"`);
  const body = value[name];
  if (!isObject(body)) throw new LogListError(`${path}.${name}: expected an object`);
  const since = time(body, 'timestamp', `${path}.${name}`)!;
  if (name !== 'readonly') return { name: name as LogStateName, since };
  const head = body.final_tree_head;
  if (!isObject(head) || typeof head.tree_size !== 'number' || typeof head.sha256_root_hash !== 'string') {
    throw new LogListError(`${path}.readonly.final_tree_head: expected {tree_size, sha256_root_hash}`);
  }
  return { name: 'readonly', since, finalTreeHead: { treeSize: head.tree_size, rootHash: head.sha256_root_hash } };
}

function parseInterval(value: Json, path: string): LogInfo['temporalInterval'] {
  if (value === undefined) return undefined;
  if (!isObject(value)) throw new LogListError(`${path}: expected an object`);
  return { startInclusive: time(value, 'start_inclusive', path)!, endExclusive: time(value, 'end_exclusive', path)! };
}

function parsePreviousOperators(value: Json, path: string): LogInfo['previousOperators'] {
  if (value === undefined) return [];
  if (!Array.isArray(value)) throw new LogListError(`${path}: expected an array`);
  return value
    .map((item, i) => {
      if (!isObject(item)) throw new LogListError(`${path}[${i}]: expected an object`);
      return { name: str(item, 'name', `${path}[${i}]`)!, endTime: time(item, 'end_time', `${path}[${i}]`)! };
    })
    .sort((a, b) => a.endTime - b.endTime);
}
