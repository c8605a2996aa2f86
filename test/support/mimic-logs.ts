/**
 * Google's mimic logs as test logs: their published private keys (test/fixtures/mimics/, see
 * PROVENANCE.md there) sign real SCTs in the test with node:crypto, exactly as anyone can.
 */
import { createPrivateKey, createPublicKey } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { sha256 } from '../../src/bytes.js';
import type { TestLog } from './test-pki.js';

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
