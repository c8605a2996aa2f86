/**
 * The e2e world, issued fresh at test time with the test PKI: a private test CA, three test CT
 * logs of two operators, and three leaves for IP:127.0.0.1 + DNS:localhost —
 *   compliant: 3 embedded SCTs (2 operators), notBefore yesterday, 90 days, SCTs an hour old;
 *   noScts:    no SCT extension at all;
 *   damaged:   like compliant, but the last SCT's signature has a flipped bit (before the CA signs,
 *              so the certificate itself is valid and only that SCT fails).
 * The extension trusts the test logs through its own option (settings.extraLogList, a v3 list).
 */
import { toBase64 } from '../../src/bytes.js';
import { encodePem } from '../../src/pem.js';
import { createTestCa, createTestLog, issueWithEmbeddedScts, leafPrivateKeyPem, logListJson, type TestLog } from '../support/test-pki.js';

export const DAY = 86_400_000;
const HOUR = 3_600_000;

export type FixtureName = 'compliant' | 'noScts' | 'damaged';

export interface Fixture {
  readonly name: FixtureName;
  /** Leaf then CA, PEM: what the server presents. */
  readonly chainPem: string;
  /** How many SCTs the leaf embeds. */
  readonly sctCount: number;
}

export interface E2eWorld {
  readonly caPem: string;
  /** PKCS#8 PEM: every leaf shares this key. */
  readonly keyPem: string;
  readonly fixtures: Record<FixtureName, Fixture>;
  /** The extra log list (v3 JSON) that makes the extension trust the test logs. */
  readonly logListJson: string;
  /** The settings the extension needs for the test PKI (a private root, test logs). */
  readonly settings: { checkPrivateRoots: true; extraLogList: string; autoUpdateLogList: false; warnings: true };
}

const pem = (der: Uint8Array): string => encodePem('CERTIFICATE', der, toBase64);
/** Certificate times are whole seconds. */
const seconds = (ms: number): number => Math.floor(ms / 1000) * 1000;

export async function createE2eWorld(now = Date.now()): Promise<E2eWorld> {
  const ca = await createTestCa('ctlens E2E Test CA');
  const logs: [TestLog, TestLog, TestLog] = [createTestLog('E2E Alpha 1'), createTestLog('E2E Alpha 2'), createTestLog('E2E Beta 1')];
  const notBefore = seconds(now - DAY);
  const notAfter = notBefore + 90 * DAY;
  const sctTime = seconds(now - HOUR);
  const sans = { ip: ['127.0.0.1'], dns: ['localhost'] };

  const issue = async (logSpecs: { log: TestLog; timestamp: number; tamper?: boolean }[]) =>
    issueWithEmbeddedScts(ca, { notBefore, notAfter, subject: 'localhost', sans, logs: logSpecs });
  const [compliant, noScts, damaged] = await Promise.all([
    issue(logs.map((log, i) => ({ log, timestamp: sctTime + i * 1000 }))),
    issue([]),
    issue(logs.map((log, i) => ({ log, timestamp: sctTime + i * 1000, tamper: i === logs.length - 1 }))),
  ]);
  const caPem = pem(ca.der);
  const fixture = (name: FixtureName, cert: { der: Uint8Array; scts: readonly Uint8Array[] }): Fixture => ({
    name,
    chainPem: pem(cert.der) + caPem,
    sctCount: cert.scts.length,
  });

  const since = seconds(now - 365 * DAY);
  const list = logListJson({
    timestamp: seconds(now),
    version: '99.0',
    operators: [
      { name: 'E2E Alpha', logs: [logs[0], logs[1]].map((log) => ({ log, state: 'usable' as const, stateSince: since, type: 'rfc6962' as const })) },
      { name: 'E2E Beta', logs: [{ log: logs[2], state: 'usable' as const, stateSince: since, type: 'rfc6962' as const }] },
    ],
  });
  return {
    caPem,
    keyPem: await leafPrivateKeyPem(),
    fixtures: {
      compliant: fixture('compliant', compliant),
      noScts: fixture('noScts', noScts),
      damaged: fixture('damaged', damaged),
    },
    logListJson: list,
    settings: { checkPrivateRoots: true, extraLogList: list, autoUpdateLogList: false, warnings: true },
  };
}
