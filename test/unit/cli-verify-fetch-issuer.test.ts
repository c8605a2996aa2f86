/**
 * The command: `ctlens verify leaf.pem --fetch-issuer` with a leaf alone, its issuer on a real
 * HTTP server on loopback (off by default: no request without the option).
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { toBase64 } from '../../src/bytes.js';
import { encodePem } from '../../src/pem.js';
import { runCli } from '../support/cli.js';
import { serve, type TestServer } from '../support/http-server.js';
import { authorityKeyIdExtension, caIssuersExtension, createCa } from '../support/issuer-pki.js';
import { createTestLog, issueWithEmbeddedScts, logListJson, type TestLog } from '../support/test-pki.js';

const DAY = 86_400_000;
let server: TestServer;
let dir: string;
let leafFile: string;
let listFile: string;

beforeAll(async () => {
  const ca = await createCa('ctlens CLI fetch-issuer CA', 'RSA');
  server = await serve({ '/ca.crt': { body: ca.der } });
  const logs: TestLog[] = [createTestLog('F1'), createTestLog('F2'), createTestLog('G1')];
  const now = Math.floor(Date.now() / 1000) * 1000;
  const extensions = [authorityKeyIdExtension(ca), caIssuersExtension([`${server.url}/ca.crt`])];
  const scts = logs.map((log, i) => ({ log, timestamp: now - DAY + 1000 * (i + 1) }));
  const leaf = await issueWithEmbeddedScts(ca, {
    notBefore: now - 2 * DAY,
    notAfter: now + 80 * DAY,
    logs: scts,
    extensions,
  });
  const since = now - 365 * DAY;
  const usable = (log: TestLog) => ({ log, state: 'usable' as const, stateSince: since, type: 'rfc6962' as const });
  dir = mkdtempSync(join(tmpdir(), 'ctlens-fetch-issuer-'));
  leafFile = join(dir, 'leaf.pem');
  listFile = join(dir, 'logs.json');
  writeFileSync(leafFile, encodePem('CERTIFICATE', leaf.der, toBase64));
  writeFileSync(
    listFile,
    logListJson({
      timestamp: now - DAY,
      operators: [
        { name: 'Op F', logs: [usable(logs[0]!), usable(logs[1]!)] },
        { name: 'Op G', logs: [usable(logs[2]!)] },
      ],
    }),
  );
});
afterAll(async () => {
  await server.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('ctlens verify --fetch-issuer', () => {
  it('off by default: a leaf alone has missing-issuer SCTs (exit 1), and nothing is fetched', async () => {
    const { code, stdout } = await runCli(['verify', leafFile, '--log-list', listFile, '--json']);
    expect(code).toBe(1);
    expect((JSON.parse(stdout) as { scts: { status: string }[] }).scts.map((s) => s.status)).toEqual([
      'missing-issuer',
      'missing-issuer',
      'missing-issuer',
    ]);
    expect(server.requests).toEqual([]);
  });

  it('with it: the issuer from the caIssuers URL, all valid, compliant (exit 0), and noted', async () => {
    const { code, stdout } = await runCli(['verify', leafFile, '--fetch-issuer', '--log-list', listFile, '--json']);
    const report = JSON.parse(stdout) as { scts: { status: string }[]; notes: string[]; issuer: unknown };
    expect(report.scts.map((s) => s.status)).toEqual(['valid', 'valid', 'valid']);
    expect(code).toBe(0);
    expect(report.issuer).not.toBeNull();
    expect(report.notes).toContain(
      `--fetch-issuer: the issuer certificate was fetched from ${server.url}/ca.crt, ` +
        'the caIssuers URL the certificate names; its signature on the certificate verifies',
    );
    expect(server.requests).toEqual(['/ca.crt']);
  });

  it('--issuer and --fetch-issuer together are a usage error (exit 2)', async () => {
    const { code, stderr } = await runCli(['verify', leafFile, '--issuer', leafFile, '--fetch-issuer']);
    expect(code).toBe(2);
    expect(stderr).toContain('--issuer and --fetch-issuer do not go together');
  });
});
