/**
 * The built `ctlens` as scripts run it: several certificates in one process (operands,
 * --files-from a file or standard input), one JSON object a line in input order, the batch's exit
 * code the worst of its certificates'; `-` for a certificate on standard input; `ctlens sample`.
 * Certificates come from the test PKI (three test logs of two operators) and the real 2020
 * mail.google.com chain.
 */
import { spawnSync } from 'node:child_process';
import { chmodSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { build } from 'vite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { toBase64 } from '../../src/bytes.js';
import { encodePem } from '../../src/pem.js';
import { fixturePath } from '../support/fixtures.js';
import { createTestCa, createTestLog, issueWithEmbeddedScts, logListJson } from '../support/test-pki.js';

const DAY = 86_400_000;
const issued = Date.UTC(2026, 4, 1);
const at = new Date(Date.UTC(2026, 4, 2)).toISOString();
const dir = mkdtempSync(join(tmpdir(), 'ctlens-batch-'));
const binary = join(dir, 'bin', 'ctlens.cjs');
const files: Record<string, string> = {};

const run = (args: string[], input?: string | Uint8Array) =>
  spawnSync(process.execPath, [binary, ...args], {
    encoding: 'utf8',
    input,
    maxBuffer: 1 << 26,
    env: { ...process.env, CTLENS_CONFIG_DIR: join(dir, 'config'), NO_COLOR: '1' },
  });
const lines = (stdout: string) =>
  stdout
    .trimEnd()
    .split('\n')
    .map((line) => JSON.parse(line) as Record<string, unknown>);

beforeAll(async () => {
  const outDir = join(dir, 'bin');
  await build({ configFile: 'vite.cli.config.ts', logLevel: 'silent', build: { outDir, emptyOutDir: true } });
  const ca = await createTestCa('ctlens batch Test CA');
  const [a1, a2, b1] = [createTestLog('Alpha 1'), createTestLog('Alpha 2'), createTestLog('Beta 1')] as const;
  const cert = await issueWithEmbeddedScts(ca, {
    notBefore: issued,
    notAfter: issued + 90 * DAY,
    subject: 'batch.example',
    logs: [a1, a2, b1].map((log, i) => ({ log, timestamp: issued + 1000 * (i + 1) })),
  });
  const pem = (der: Uint8Array) => encodePem('CERTIFICATE', der, toBase64);
  const save = (name: string, content: string | Uint8Array) => {
    files[name] = join(dir, name);
    writeFileSync(files[name]!, content);
  };
  save('good.pem', pem(cert.der) + pem(ca.der));
  // Beta's SCT damaged (its signature's second-to-last byte): the two valid ones are one operator's.
  const lastSct = cert.scts.at(-1)!;
  const damaged = cert.der.slice();
  damaged[indexOf(damaged, lastSct) + lastSct.length - 2]! ^= 0x01;
  save('bad.pem', pem(damaged) + pem(ca.der));
  save('garbage.pem', 'not a certificate\n');
  const since = Date.UTC(2025, 0, 1);
  const usable = (log: typeof a1) => ({ log, state: 'usable' as const, stateSince: since, type: 'rfc6962' as const });
  save(
    'list.json',
    logListJson({
      timestamp: issued,
      operators: [
        { name: 'Alpha', logs: [usable(a1), usable(a2)] },
        { name: 'Beta', logs: [usable(b1)] },
      ],
    }),
  );
}, 60_000);

function indexOf(haystack: Uint8Array, needle: Uint8Array): number {
  outer: for (let i = 0; i + needle.length <= haystack.length; i++) {
    for (let k = 0; k < needle.length; k++) if (haystack[i + k] !== needle[k]) continue outer;
    return i;
  }
  throw new Error('needle not found');
}

const withList = () => ['--log-list', files['list.json']!, '--at', at];
const good = () => files['good.pem']!;
const bad = () => files['bad.pem']!;

describe('ctlens verify with several certificates', () => {
  it('one JSON object a line, in input order, each with its file and exit code; the batch exits with the worst', () => {
    const r = run(['verify', files['good.pem']!, files['bad.pem']!, files['good.pem']!, ...withList(), '--json']);
    expect(r.stderr).toBe('');
    const out = lines(r.stdout);
    expect(out.map((o) => [o.file, o.exitCode])).toEqual([
      [good(), 0],
      [bad(), 1],
      [good(), 0],
    ]);
    expect((out[0]!.policies as { chrome: { verdict: string } }).chrome.verdict).toBe('compliant');
    expect(r.status).toBe(1);
    expect(r.stdout.split('\n').filter(Boolean)).toHaveLength(3); // one line each: JSON Lines
  });

  it('a file that cannot be read: a line of its own with its error (and on stderr); the batch goes on, exits 2', () => {
    const missing = join(dir, 'missing.pem');
    const r = run(['verify', good(), missing, files['garbage.pem']!, good(), ...withList(), '--json']);
    const out = lines(r.stdout);
    expect(out.map((o) => o.exitCode)).toEqual([0, 2, 2, 0]);
    expect(out[1]).toEqual({ file: missing, exitCode: 2, error: `${missing}: cannot read certificate: no such file` });
    const notDer = expect.stringMatching(/certificate is not valid DER/);
    expect(out[2]).toMatchObject({ file: files['garbage.pem'], exitCode: 2, error: notDer });
    expect(r.stderr.trimEnd().split('\n')).toEqual([
      `ctlens: ${missing}: cannot read certificate: no such file`,
      expect.stringMatching(/garbage\.pem: /),
    ]);
    expect(r.status).toBe(2);
  });

  it('--files-from a file: one name a line, CRLF and blank lines allowed, names after the operands', () => {
    const list = join(dir, 'names.txt');
    writeFileSync(list, `${files['bad.pem']}\r\n\n${files['good.pem']}\n`);
    const r = run(['verify', files['good.pem']!, '--files-from', list, ...withList(), '--json']);
    expect(lines(r.stdout).map((o) => [o.file, o.exitCode])).toEqual([
      [good(), 0],
      [bad(), 1],
      [good(), 0],
    ]);
    expect(r.status).toBe(1);
  });

  it('--files-from - reads the names from standard input; their order holds past the ones judged at once', () => {
    const names = Array.from({ length: 30 }, (_, i) => files[i % 3 === 1 ? 'bad.pem' : 'good.pem']!);
    const r = run(['verify', '--files-from', '-', ...withList(), '--json'], `${names.join('\n')}\n`);
    const out = lines(r.stdout);
    expect(out.map((o) => o.file)).toEqual(names);
    expect(out.map((o) => o.exitCode)).toEqual(names.map((n) => (n === files['bad.pem'] ? 1 : 0)));
    expect(r.status).toBe(1);
  });

  it('output written whole before the run ends; a reader gone (| head) ends the run with 141, quietly', () => {
    const list = join(dir, 'many.txt');
    writeFileSync(list, `${Array.from({ length: 400 }, () => good()).join('\n')}\n`);
    const batch = ['verify', '--files-from', list, ...withList(), '--json'];
    expect(lines(run(batch).stdout)).toHaveLength(400);
    const quoted = [process.execPath, binary, ...batch].map((a) => `'${a}'`).join(' ');
    const env = { ...process.env, CTLENS_CONFIG_DIR: join(dir, 'config') };
    const piped = spawnSync('bash', ['-c', `${quoted} | head -c 10 > /dev/null; echo "\${PIPESTATUS[0]}"`], {
      encoding: 'utf8',
      env,
    });
    expect([piped.stdout, piped.stderr]).toEqual(['141\n', '']);
  });

  it('a line of the list that is not UTF-8 names no file: its own error line', () => {
    const input = Buffer.concat([Buffer.from([0xff, 0xfe, 0x0a]), Buffer.from(`${good()}\n`)]);
    const r = run(['verify', '--files-from', '-', ...withList(), '--json'], input);
    const out = lines(r.stdout);
    const where = 'standard input, line 1';
    expect(out[0]).toEqual({ file: where, exitCode: 2, error: `${where}: not UTF-8, not a file name` });
    expect(out[1]).toMatchObject({ file: files['good.pem'], exitCode: 0 });
    expect(r.status).toBe(2);
  });

  it('a list that cannot be read: exit 2, one line on stderr', () => {
    const r = run(['verify', '--files-from', join(dir, 'no-list.txt'), ...withList(), '--json']);
    expect(r.status).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toBe(`ctlens: ${join(dir, 'no-list.txt')}: cannot read the list of files: no such file\n`);
  });

  it('as text: each report under a "==> file <==" line', () => {
    const r = run(['verify', files['good.pem']!, files['bad.pem']!, ...withList()]);
    expect(r.stdout.match(/^==> .* <==$/gm)).toEqual([`==> ${files['good.pem']} <==`, `==> ${files['bad.pem']} <==`]);
    expect(r.stdout.match(/Chrome\s+(\S+)/g)).toEqual(['Chrome   compliant', 'Chrome   not-compliant']);
    expect(r.status).toBe(1);
  });

  it('usage: --sct with several certificates, standard input twice', () => {
    const sct = run(['verify', files['good.pem']!, files['good.pem']!, '--sct', files['good.pem']!]);
    expect([sct.status, sct.stderr]).toEqual([2, 'ctlens: --sct goes with a single certificate\n']);
    const twice = run(['verify', '-', '--files-from', '-'], '');
    expect([twice.status, twice.stderr]).toEqual([2, 'ctlens: standard input (-) can be read only once\n']);
  });
});

describe('ctlens verify -', () => {
  it('reads the chain from standard input, as from a file (the single report, indented JSON)', () => {
    const fromFile = run(['verify', files['good.pem']!, ...withList(), '--json']);
    const fromStdin = run(['verify', '-', ...withList(), '--json'], readFileSync(files['good.pem']!));
    expect(fromStdin.status).toBe(0);
    expect(JSON.parse(fromStdin.stdout)).toEqual(JSON.parse(fromFile.stdout));
    expect(fromStdin.stdout.split('\n').length).toBeGreaterThan(10);
  });

  it('an empty standard input is an input error', () => {
    const r = run(['verify', '-', ...withList()], '');
    expect([r.status, r.stderr]).toEqual([2, 'ctlens: -: file is empty\n']);
  });
});

describe('ctlens sample', () => {
  it('says what it is and when it is judged, and reaches verdicts, not unknown; exits 0', () => {
    const r = run(['sample']);
    expect(r.status).toBe(0);
    expect(r.stderr).toBe('');
    const [first] = r.stdout.split('\n');
    expect(first).toMatch(/^Sample: mail\.google\.com's real certificate of April 2020 .*judged at 2020-05-01T00/);
    expect(first).toMatch(/, while it was in service, with Google's signed log list v83\.1 /);
    expect(r.stdout.match(/^ {2}(Chrome|Apple|Firefox) +(\S+)/gm)).toEqual([
      '  Chrome   not-compliant',
      '  Apple    not-compliant',
      '  Firefox  not-compliant',
    ]);
  });

  it('--json: the report on stdout (the line on stderr), judged with v83.1 alone, both SCTs valid', () => {
    const r = run(['sample', '--json']);
    expect(r.status).toBe(0);
    expect(r.stderr).toMatch(/^Sample: /);
    const report = JSON.parse(r.stdout);
    expect(report.evaluatedAt).toBe('2020-05-01T00:00:00.000Z');
    expect(report.logList.sources.map((s: { version: string }) => s.version)).toEqual(['83.1']);
    expect(report.scts.map((s: { status: string }) => s.status)).toEqual(['valid', 'valid']);
    for (const policy of ['chrome', 'apple', 'firefox']) expect(report.policies[policy].verdict).not.toBe('unknown');
  });

  it('--at another time says so', () => {
    const r = run(['sample', '--at', '2026-01-01']);
    expect(r.stdout).toMatch(/judged at 2026-01-01T00:00:00\.000Z, after it expired,/);
  });
});

it('the real mail.google.com chain with the bundled lists: both lists read, as its logs are only in v83.1', () => {
  const [leaf, issuer] = [fixturePath('real/google-mail-leaf.pem'), fixturePath('real/google-mail-issuer.pem')];
  const r = run(['verify', leaf, '--issuer', issuer, '--at', '2020-05-01', '--json']);
  const report = JSON.parse(r.stdout);
  expect(report.logList.sources.map((s: { version: string }) => s.version)).toEqual(['89.25', '83.1']);
  expect(report.scts.map((s: { status: string; log: { source: string } }) => [s.status, s.log.source])).toEqual([
    ['valid', 'Google log list v83.1 (bundled)'],
    ['valid', 'Google log list v83.1 (bundled)'],
  ]);
});

it('the build has no import(): vm.Script, which runs the core for its code cache, cannot import', () => {
  const chunks = join(dir, 'bin', 'chunks');
  const scripts = [join(dir, 'bin', 'ctlens-core.cjs'), ...readdirSync(chunks).map((f) => join(chunks, f))];
  const importing = scripts.filter((script) => /\bimport\(/.test(readFileSync(script, 'utf8')));
  expect(importing).toEqual([]);
  expect(scripts.length).toBeGreaterThan(3);
});

describe('the caches a run keeps (cacheDir: $CTLENS_CONFIG_DIR/cache here)', () => {
  const cache = join(dir, 'cache-test', 'cache');
  const [leaf, issuer] = [fixturePath('real/google-mail-leaf.pem'), fixturePath('real/google-mail-issuer.pem')];
  const args = ['verify', leaf, '--issuer', issuer, '--at', '2020-05-01', '--json'];
  const env = { ...process.env, CTLENS_CONFIG_DIR: join(dir, 'cache-test') };
  const runHere = () => spawnSync(process.execPath, [binary, ...args], { encoding: 'utf8', env });
  const kept = (kind: string) =>
    readdirSync(cache)
      .filter((f) => f.includes(kind))
      .map((f) => join(cache, f));

  it('keeps compiled code and the verified lists, 0600 in a 0700 directory; the next run answers the same', () => {
    const first = runHere();
    expect(first.status).toBe(1);
    expect(statSync(cache).mode & 0o777).toBe(0o700);
    const files = readdirSync(cache);
    expect(files.filter((f) => /-bundled-[0-9a-f]{64}\.json$/.test(f))).toHaveLength(2);
    expect(files.some((f) => /-code-verify-node.*-ctlens-core\.cjs\.bin$/.test(f))).toBe(true);
    for (const f of files) expect(statSync(join(cache, f)).mode & 0o777).toBe(0o600);
    const again = runHere();
    expect(again.stderr).toBe('');
    expect(again.stdout).toBe(first.stdout);
  });

  it('compiled code V8 refuses (garbage) is compiled again and rewritten; the answer is the same', () => {
    const expected = runHere().stdout;
    const code = kept('ctlens-core.cjs')[0]!;
    writeFileSync(code, 'garbage garbage garbage');
    expect(runHere().stdout).toBe(expected);
    expect(readFileSync(code).length).toBeGreaterThan(1000);
  });

  it('a cache file someone else could write is not used, and the run says so', () => {
    const expected = runHere().stdout;
    const [code] = kept('ctlens-core.cjs');
    const [list] = kept('-bundled-');
    chmodSync(code!, 0o666);
    chmodSync(list!, 0o620);
    const r = runHere();
    expect(r.stdout).toBe(expected);
    expect(r.stderr).toContain(`ctlens: warning: ignoring ${code}: not a file of yours that only you can write`);
    expect(r.stderr).toContain(`ctlens: warning: ignoring ${list}: not a file of yours that only you can write`);
    expect(statSync(list!).mode & 0o777).toBe(0o600); // verified again and kept anew
  });
});

afterAll(() => rmSync(dir, { recursive: true, force: true }));
