/**
 * The e2e world, issued fresh at test time with the test PKI: a private test CA, three test CT
 * logs of two operators, and three leaves for IP:127.0.0.1 + DNS:localhost —
 *   compliant: 3 embedded SCTs (2 operators), notBefore yesterday, 90 days, SCTs an hour old;
 *   noScts:    no SCT extension at all;
 *   damaged:   like compliant, but the last SCT's signature has a flipped bit (before the CA signs,
 *              so the certificate itself is valid and only that SCT fails).
 * The extension trusts the test logs through its own option (settings.extraLogList, a v3 list).
 * With `caIssuersUrl` (Chromium's automatic checks, which see the leaf alone) the leaves come from
 * an intermediate under the CA instead, and name that URL as where their issuer is (RFC 5280
 * §4.2.2.1) beside its key identifier: the test serves `issuerDer` there.
 */
import { toBase64 } from '../../src/bytes.js';
import { encodePem } from '../../src/pem.js';
import {
  beginIssuance,
  createTestCa,
  createTestLog,
  issueWithEmbeddedScts,
  leafPrivateKeyPem,
  logListJson,
  type TestLog,
} from '../support/test-pki.js';
import { authorityKeyIdExtension, caIssuersExtension, createCa } from '../support/issuer-pki.js';
import type { LocalCtLog } from '../../log/log.js';
import { logListEntry } from '../../log/log-list.js';

export const DAY = 86_400_000;
const HOUR = 3_600_000;

export type FixtureName = 'compliant' | 'noScts' | 'damaged' | 'logged';

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
  /** `logged` (SCTs from the project's local CT logs) exists only when local logs were given. */
  readonly fixtures: Record<Exclude<FixtureName, 'logged'>, Fixture> & { readonly logged?: Fixture };
  /** The extra log list (v3 JSON) that makes the extension trust the test logs. */
  readonly logListJson: string;
  /** The leaves' issuer (the CA, or with caIssuersUrl the intermediate the servers send beside each leaf), DER. */
  readonly issuerDer: Uint8Array;
  /** The settings the extension needs for the test PKI (a private root, test logs). */
  readonly settings: { checkPrivateRoots: true; extraLogList: string; autoUpdateLogList: false; warnings: true };
}

const pem = (der: Uint8Array): string => encodePem('CERTIFICATE', der, toBase64);
/** Certificate times are whole seconds. */
const seconds = (ms: number): number => Math.floor(ms / 1000) * 1000;

/** A local CT log (log/) the world's `logged` certificate gets its SCTs from, and its URL. */
export interface LocalLog {
  readonly log: LocalCtLog;
  readonly url: string;
}

export async function createE2eWorld(
  now = Date.now(),
  localLogs: readonly LocalLog[] = [],
  options: { readonly caIssuersUrl?: string } = {},
): Promise<E2eWorld> {
  const root = await createTestCa('ctlens E2E Test CA');
  const url = options.caIssuersUrl;
  const ca = url ? await createCa('ctlens E2E Test Intermediate', 'P-256', { issuer: root }) : root;
  const extensions = url ? [authorityKeyIdExtension(ca), caIssuersExtension([url])] : [];
  const logs: [TestLog, TestLog, TestLog] = [
    createTestLog('E2E Alpha 1'),
    createTestLog('E2E Alpha 2'),
    createTestLog('E2E Beta 1'),
  ];
  const notBefore = seconds(now - DAY);
  const notAfter = notBefore + 90 * DAY;
  const sctTime = seconds(now - HOUR);
  const sans = { ip: ['127.0.0.1'], dns: ['localhost'] };

  const issue = async (logSpecs: { log: TestLog; timestamp: number; tamper?: boolean }[]) =>
    issueWithEmbeddedScts(ca, { notBefore, notAfter, subject: 'localhost', sans, logs: logSpecs, extensions });
  const [compliant, noScts, damaged] = await Promise.all([
    issue(logs.map((log, i) => ({ log, timestamp: sctTime + i * 1000 }))),
    issue([]),
    issue(logs.map((log, i) => ({ log, timestamp: sctTime + i * 1000, tamper: i === logs.length - 1 }))),
  ]);
  const caPem = pem(root.der);
  const fixture = (name: FixtureName, cert: { der: Uint8Array; scts: readonly Uint8Array[] }): Fixture => ({
    name,
    chainPem: pem(cert.der) + (url ? pem(ca.der) : '') + caPem,
    sctCount: cert.scts.length,
  });

  let logged: Fixture | undefined;
  if (localLogs.length) {
    const pending = await beginIssuance(ca, { notBefore, notAfter, subject: 'localhost', sans });
    const cert = await pending.finish(localLogs.map(({ log }) => log.addPreChain([pending.precert, ca.der]).bytes));
    logged = fixture('logged', cert);
  }

  const since = seconds(now - 365 * DAY);
  const baseList = logListJson({
    timestamp: seconds(now),
    version: '99.0',
    operators: [
      {
        name: 'E2E Alpha',
        logs: [logs[0], logs[1]].map((log) => ({
          log,
          state: 'usable' as const,
          stateSince: since,
          type: 'rfc6962' as const,
        })),
      },
      {
        name: 'E2E Beta',
        logs: [{ log: logs[2], state: 'usable' as const, stateSince: since, type: 'rfc6962' as const }],
      },
    ],
  });
  // The local logs join the list under operators of their own, with their URLs: the inclusion check reaches them.
  const parsed = JSON.parse(baseList) as { operators: Record<string, unknown>[] };
  localLogs.forEach(({ log, url }, i) => {
    const entry = logListEntry(log, { url, at: since });
    const [logs, tiled] = log.tiled ? [[], [entry]] : [[entry], []];
    parsed.operators.push({ name: `E2E Local ${i + 1}`, email: ['ct@local.test'], logs, tiled_logs: tiled });
  });
  const list = localLogs.length ? JSON.stringify(parsed, null, 2) : baseList;
  return {
    caPem,
    keyPem: await leafPrivateKeyPem(),
    fixtures: {
      compliant: fixture('compliant', compliant),
      noScts: fixture('noScts', noScts),
      damaged: fixture('damaged', damaged),
      ...(logged ? { logged } : {}),
    },
    logListJson: list,
    issuerDer: ca.der,
    settings: { checkPrivateRoots: true, extraLogList: list, autoUpdateLogList: false, warnings: true },
  };
}
