/**
 * `ctlens monitor` figures for `npm run bench` (issue 11), each party in its own process so that
 * the log's CPU and the monitor's are apart:
 *   - RFC 6962: the local log (log/) filled with `--monitor-entries` entries (default 100,000)
 *     serves get-entries on loopback; first its own serving rate (a raw get-entries pass, which
 *     also encodes every entry's JSON once), then ctlens `monitor --once --from-start` (the built
 *     CLI, dist/cli: npm run build:cli) and Cert Spotter (`certspotter -start_at_end=false`, when
 *     installed, until its state file's verified_position reaches the end) read the whole log,
 *     verified, in the same run: entries/s each and the ratio.
 *   - static-ct-api: a tile set of `--monitor-tiled-entries` entries (default 1,000,000) written
 *     to disk (scripts/monitor-tile-files.ts) and served by a plain file server: ctlens's
 *     entries/s, MB/s of data tiles, and its peak RSS (VmHWM).
 * This module doubles as those child processes (`--bench-monitor-child <role>`).
 */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { LocalCtLog } from '../log/log.js';
import { logListJson } from '../log/log-list.js';
import { startLocalLog } from '../log/server.js';
import { issueCertificate, withSerial } from '../test/support/monitor-certs.js';
import { createTestCa } from '../test/support/test-pki.js';
import { serveDirectory, writeTileSet } from './monitor-tile-files.js';

export interface MonitorFigures {
  monitorEntries: number;
  localLogServesEntriesPerSecond: number;
  ctlensEntriesPerSecond: number;
  certspotterEntriesPerSecond: number | null;
  ctlensOverCertspotter: number | null;
  tiledEntries: number;
  tiledEntriesPerSecond: number;
  tiledMegabytesPerSecond: number;
  tiledPeakRssMegabytes: number;
}

const CHILD = '--bench-monitor-child';

/** A flag's whole-number value, or the default. */
function sizeFlag(name: string, fallback: number): number {
  const at = process.argv.indexOf(name);
  if (at < 0) return fallback;
  const n = Number(process.argv[at + 1]);
  if (!Number.isSafeInteger(n) || n < 1) {
    throw new Error(`${name}: "${process.argv[at + 1]}" is not a whole number ≥ 1`);
  }
  return n;
}

/** Spawns this script in a child role; resolves with its first stdout line (JSON) and the process. */
function child<T>(role: string, args: readonly string[], env: NodeJS.ProcessEnv = process.env) {
  const argv = [process.argv[1]!, CHILD, role, ...args];
  const proc = spawn(process.execPath, argv, { stdio: ['pipe', 'pipe', 'inherit'], env });
  const first = new Promise<T>((resolve, reject) => {
    createInterface({ input: proc.stdout! }).once('line', (line) => resolve(JSON.parse(line) as T));
    proc.once('exit', (code) => reject(new Error(`bench child ${role} exited with ${code}`)));
  });
  return { proc, first };
}

/** Child roles: a filled local log, or a served tile set. Each prints one JSON line, then serves until stdin ends. */
async function runChild(role: string, args: string[]): Promise<void> {
  const say = (value: unknown) => process.stdout.write(`${JSON.stringify(value)}\n`);
  const ca = await createTestCa('ctlens bench CA');
  const template = await issueCertificate(ca, { dns: ['www.bench.example', 'bench.example'] });
  const log = new LocalCtLog({ tiled: role === 'tiles' });
  const count = Number(args[0]);
  if (role === 'log') {
    const started = performance.now();
    for (let done = 0; done < count; done += 10_000) {
      const length = Math.min(10_000, count - done);
      const chains = Array.from({ length }, (_, i) => [withSerial(template, done + i + 1), ca.der]);
      log.bulkAdd(chains);
    }
    const server = await startLocalLog(log);
    const fillSeconds = (performance.now() - started) / 1000;
    say({ url: server.url, list: logListJson(log, { url: server.url }), fillSeconds });
  } else {
    const dir = args[1]!;
    const served = await serveDirectory(dir);
    const origin = new URL(served.url).host;
    const started = performance.now();
    const dataBytes = writeTileSet(dir, log, origin, count, template, ca.der);
    const list = logListJson(log, { url: served.url });
    say({ url: served.url, list, dataBytes, writeSeconds: (performance.now() - started) / 1000 });
  }
  // Serve until the parent closes our stdin.
  await new Promise((resolve) => process.stdin.once('end', resolve).resume());
  process.exit(0);
}

/** The local log's own rate: every entry fetched once with `parallel` get-entries in flight. */
async function serveRate(url: string, count: number, parallel = 4): Promise<number> {
  const started = performance.now();
  let next = 0;
  await Promise.all(
    Array.from({ length: parallel }, async () => {
      while (next < count) {
        const start = next;
        next += 256;
        const res = await fetch(`${url}ct/v1/get-entries?start=${start}&end=${Math.min(count, start + 256) - 1}`);
        if (!res.ok) throw new Error(`get-entries: HTTP ${res.status}`);
        await res.arrayBuffer();
      }
    }),
  );
  return count / ((performance.now() - started) / 1000);
}

/** Cert Spotter from the start of the log until its state says every entry was processed. */
async function certspotterRate(listFile: string, dir: string, count: number): Promise<number | null> {
  if (spawnSync('certspotter', ['-version'], { stdio: 'ignore' }).error) return null;
  const stateDir = join(dir, 'certspotter');
  mkdirSync(stateDir);
  writeFileSync(join(dir, 'watchlist'), 'match.example\n');
  const started = performance.now();
  const proc = spawn(
    'certspotter',
    [
      '-logs',
      listFile,
      '-state_dir',
      stateDir,
      '-watchlist',
      join(dir, 'watchlist'),
      '-start_at_end=false',
      '-no_save',
      '-stdout',
    ],
    { stdio: ['ignore', 'ignore', 'pipe'] },
  );
  let stderr = '';
  proc.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
  try {
    for (;;) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      if (proc.exitCode !== null) throw new Error(`certspotter exited with ${proc.exitCode}: ${stderr.slice(-500)}`);
      if (certspotterPosition(stateDir) >= count) return count / ((performance.now() - started) / 1000);
    }
  } finally {
    proc.kill('SIGKILL');
  }
}

/** The largest verified position in Cert Spotter's per-log state files (0 while none). */
function certspotterPosition(stateDir: string): number {
  const find = spawnSync('find', [stateDir, '-name', 'state.json'], { encoding: 'utf8' });
  const found = find.stdout.split('\n').filter(Boolean);
  let best = 0;
  for (const file of found) {
    try {
      const state = JSON.parse(readFileSync(file, 'utf8')) as { verified_position?: { size?: number } };
      best = Math.max(best, state.verified_position?.size ?? 0);
    } catch {
      // Being written: read it next time.
    }
  }
  return best;
}

/** The built CLI (npm run build:cli): dist/cli/ctlens.mjs, or ctlens.cjs beside its core. */
function cliPath(): string {
  const found = ['ctlens.mjs', 'ctlens.cjs'].map((f) => join('dist', 'cli', f)).find((f) => existsSync(f));
  if (!found) throw new Error('no built CLI in dist/cli: run npm run build:cli first');
  return found;
}

/** The peak resident set (VmHWM) of a running process, in bytes; 0 once it is gone. */
function peakRss(pid: number): number {
  try {
    const kb = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1];
    return kb ? Number(kb) * 1024 : 0;
  } catch {
    return 0;
  }
}

/** One `ctlens monitor --once --from-start` run of the built CLI: its time and peak RSS (sampled every 20 ms). */
async function ctlensRun(listFile: string, dir: string, name: string) {
  const stateDir = join(dir, name);
  const args = [
    'monitor',
    '--once',
    '--json',
    '--from-start',
    '--watch',
    'match.example',
    '--log-list',
    listFile,
    '--state-dir',
    stateDir,
  ];
  const env = { ...process.env, CTLENS_CONFIG_DIR: join(dir, 'config') };
  const started = performance.now();
  const proc = spawn(process.execPath, [cliPath(), ...args], { env, stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  proc.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
  let peak = 0;
  const sampler = setInterval(() => (peak = Math.max(peak, peakRss(proc.pid!))), 20);
  const code = await new Promise<number | null>((resolve) => proc.once('exit', resolve));
  clearInterval(sampler);
  const seconds = (performance.now() - started) / 1000;
  if (code !== 0) throw new Error(`ctlens monitor exited with ${code}: ${stderr}`);
  return { seconds, peakRssBytes: peak };
}

export async function benchMonitor(log: (line: string) => void): Promise<MonitorFigures> {
  const entries = sizeFlag('--monitor-entries', 100_000);
  const tiledEntries = sizeFlag('--monitor-tiled-entries', 1_000_000);
  const dir = mkdtempSync(join(tmpdir(), 'ctlens-bench-monitor-'));
  try {
    const rfc = child<{ url: string; list: string; fillSeconds: number }>('log', [String(entries)]);
    const served = await rfc.first;
    const listFile = join(dir, 'list.json');
    writeFileSync(listFile, served.list);
    log(`Monitor: local RFC 6962 log of ${entries} entries filled in ${served.fillSeconds.toFixed(1)} s`);
    const logRate = await serveRate(served.url, entries);
    log(`  the local log serves get-entries at ${Math.round(logRate)} entries/s (4 in flight, 256 a request)`);
    const ctlens = await ctlensRun(listFile, dir, 'ctlens-state');
    const ctlensRate = entries / ctlens.seconds;
    log(`  ctlens monitor, verified:    ${Math.round(ctlensRate)} entries/s (${ctlens.seconds.toFixed(1)} s)`);
    const spotterRate = await certspotterRate(listFile, dir, entries);
    if (spotterRate === null) log('  Cert Spotter: not installed (Debian: apt install certspotter)');
    else {
      const ratio = `ctlens is ${(ctlensRate / spotterRate).toFixed(2)}× (goal ≥ 1×)`;
      log(`  Cert Spotter, same log:      ${Math.round(spotterRate)} entries/s → ${ratio}`);
    }
    rfc.proc.stdin!.end();

    const tilesDir = join(dir, 'tiles');
    mkdirSync(tilesDir);
    const tiles = child<{ list: string; dataBytes: number; writeSeconds: number }>('tiles', [
      String(tiledEntries),
      tilesDir,
    ]);
    const tileSet = await tiles.first;
    const tiledList = join(dir, 'tiled-list.json');
    writeFileSync(tiledList, tileSet.list);
    const written = `written to disk in ${tileSet.writeSeconds.toFixed(1)} s`;
    log(`Monitor: static-ct-api tile set of ${tiledEntries} entries ${written}`);
    const tiled = await ctlensRun(tiledList, dir, 'ctlens-tiled-state');
    const tiledRate = tiledEntries / tiled.seconds;
    const megabytes = tileSet.dataBytes / 1e6 / tiled.seconds;
    const rss = tiled.peakRssBytes / 2 ** 20;
    const figures = `${megabytes.toFixed(1)} MB/s of data tiles, peak RSS ${rss.toFixed(0)} MiB`;
    log(`  ctlens monitor, verified:    ${Math.round(tiledRate)} entries/s, ${figures}`);
    tiles.proc.stdin!.end();
    return {
      monitorEntries: entries,
      localLogServesEntriesPerSecond: logRate,
      ctlensEntriesPerSecond: ctlensRate,
      certspotterEntriesPerSecond: spotterRate,
      ctlensOverCertspotter: spotterRate === null ? null : ctlensRate / spotterRate,
      tiledEntries,
      tiledEntriesPerSecond: tiledRate,
      tiledMegabytesPerSecond: megabytes,
      tiledPeakRssMegabytes: rss,
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const role = process.argv.indexOf(CHILD);
if (role >= 0) {
  await runChild(process.argv[role + 1]!, process.argv.slice(role + 2));
  process.exit(0);
}
if (process.argv.includes('--monitor-only')) {
  const figures = await benchMonitor((line) => process.stdout.write(`${line}\n`));
  if (process.argv.includes('--json')) process.stdout.write(`${JSON.stringify(figures)}\n`);
  process.exit(0);
}
