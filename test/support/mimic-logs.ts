/**
 * Google's mimic logs as test logs: their published private keys (test/fixtures/mimics/, see
 * PROVENANCE.md there) sign real SCTs in the test with node:crypto, exactly as anyone can.
 */
import { createPrivateKey, createPublicKey } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { sha256 } from '../../src/bytes.js';
import { LogRegistry, logFromKey } from '../../src/loglist/registry.js';
import { parseLogList } from '../../src/loglist/schema.js';
import { logListJson, type LogListEntry, type TestLog } from './test-pki.js';

export type MimicName = 'mimic1' | 'mimic2';

/** The log IDs Google's 3p_libraries.md gives (shared/ct-data/SOURCES.md), base64. */
export const PUBLISHED_MIMIC_IDS: Record<MimicName, string> = {
  mimic1: '9EGV1vAOLbVUNcrdV3iS5T4VrUFwWPh44U/2uRh0FYk=',
  mimic2: 'si9+3rWvav5QPeBAgbLXTBJThJL+3yyypSZQPO9TztI=',
};

export const mimicFixture = (file: string): string =>
  readFileSync(new URL(`../fixtures/mimics/${file}`, import.meta.url), 'utf8');

/** A TestLog whose key is the mimic's published private key. */
export function mimicTestLog(name: MimicName, description = `Google mimic log ${name}`): TestLog {
  const privateKey = createPrivateKey(mimicFixture(`${name}.key.pem`));
  const spki = new Uint8Array(createPublicKey(privateKey).export({ type: 'spki', format: 'der' }));
  const logId = sha256(spki);
  const logIdBase64 = Buffer.from(logId).toString('base64');
  return { name: description, algorithm: 'ecdsa', privateKey, spki, logId, logIdBase64 };
}

/**
 * A v3 list dated `timestamp` with every log Usable since 2025-01-01, per operator: the list a user
 * gives on purpose (--log-list, the extension's extra list), mimics among the logs as they like.
 */
export function usableLogsJson(logs: Record<string, readonly TestLog[]>, timestamp: number): string {
  const entry = (log: TestLog): LogListEntry => ({
    log,
    state: 'usable',
    stateSince: Date.UTC(2025, 0, 1),
    type: 'rfc6962',
  });
  return logListJson({ timestamp, operators: Object.entries(logs).map(([name, l]) => ({ name, logs: l.map(entry) })) });
}

/** usableLogsJson as an unsigned list in a registry, with extra logs from bare keys. */
export function usableLogsRegistry(
  logs: Record<string, readonly TestLog[]>,
  timestamp: number,
  extraKeys: readonly Uint8Array[] = [],
): LogRegistry {
  const list = parseLogList(usableLogsJson(logs, timestamp), 'test list');
  if (list.skipped.length) throw new Error(`test list: skipped ${list.skipped.join('; ')}`);
  return new LogRegistry(
    [{ list, signed: false }],
    extraKeys.map((k) => logFromKey(k, 'extra key')),
  );
}
