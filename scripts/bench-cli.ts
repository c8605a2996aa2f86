/**
 * CLI figures for `npm run bench` (issue 8), on the built command (dist/cli, built here with
 * vite.cli.config.ts into a temporary directory, with a config directory of its own):
 *   cliVerifyMs / nodeBareMs  `ctlens verify <leaf> --issuer <issuer> --json` (the real 2020
 *                             mail.google.com chain: both bundled lists) and `node -e 0`, whole
 *                             processes, run in turn, medians of RUNS; their ratio (goal ≤ 1.3)
 *   cliVerifyFirstMs          the first run, which compiles and fills the caches
 *   cliChainsPerSecond        CHAINS chains (five real ones in turn) through one
 *                             `ctlens verify --files-from - --json`
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface CliFigures {
  nodeBareMs: number;
  cliVerifyMs: number;
  cliVerifyRatio: number;
  cliVerifyFirstMs: number;
  cliChainsPerSecond: number;
}

const RUNS = 21;
const CHAINS = 1000;
const GOAL = 1.3;
const REAL = [
  'google-mail',
  'badssl-wildcard-rsa2048',
  'badssl-wildcard-ecc256',
  'facebook-wildcard',
  'badssl-invalid-expected-sct',
];

const median = (values: number[]): number => [...values].sort((a, b) => a - b)[values.length >> 1]!;

export function benchCli(log: (line: string) => void): CliFigures {
  const dir = mkdtempSync(join(tmpdir(), 'ctlens-bench-cli-'));
  try {
    const bin = join(dir, 'bin');
    const build = ['build', '--config', 'vite.cli.config.ts', '--outDir', bin, '--logLevel', 'warn'];
    execFileSync('node_modules/.bin/vite', build);
    const env = { ...process.env, CTLENS_CONFIG_DIR: join(dir, 'config') };
    const real = (name: string) => `test/fixtures/real/${name}.pem`;
    const ctlens = join(bin, 'ctlens.cjs');
    const verify = [ctlens, 'verify', real('google-mail-leaf'), '--issuer', real('google-mail-issuer'), '--json'];
    const timed = (args: string[], input?: string) => {
      const start = performance.now();
      const stdio = [input === undefined ? 'ignore' : 'pipe', 'pipe', 'pipe'] as const;
      const r = spawnSync(process.execPath, args, { env, input, stdio: [...stdio], maxBuffer: 1 << 30 });
      const ms = performance.now() - start;
      if (r.status !== 0 && r.status !== 1) throw new Error(`bench: ${args.join(' ')} exited ${r.status}: ${r.stderr}`);
      return { ms, stdout: String(r.stdout) };
    };
    const cliVerifyFirstMs = timed(verify).ms;
    for (let i = 0; i < 3; i++) timed(verify); // the caches are full from here on: a user's later runs
    const bare: number[] = [];
    const cli: number[] = [];
    for (let i = 0; i < RUNS; i++) {
      bare.push(timed(['-e', '0']).ms);
      cli.push(timed(verify).ms);
    }
    const [nodeBareMs, cliVerifyMs] = [median(bare), median(cli)];
    const cliVerifyRatio = cliVerifyMs / nodeBareMs;

    // Each real chain as one PEM file (leaf, then issuer), named CHAINS times in turn.
    const chains = REAL.map((name) => {
      const path = join(dir, `${name}.pem`);
      writeFileSync(path, Buffer.concat([readFileSync(real(`${name}-leaf`)), readFileSync(real(`${name}-issuer`))]));
      return path;
    });
    const names = Array.from({ length: CHAINS }, (_, i) => chains[i % chains.length]).join('\n');
    const batch = timed([ctlens, 'verify', '--files-from', '-', '--json'], `${names}\n`);
    const lines = batch.stdout.trimEnd().split('\n').length;
    if (lines !== CHAINS) throw new Error(`bench: ${lines} report lines for ${CHAINS} chains`);
    const cliChainsPerSecond = CHAINS / (batch.ms / 1000);

    const ms = (n: number) => `${n.toFixed(1)} ms`;
    log(`ctlens verify, whole process (median of ${RUNS}):  ${ms(cliVerifyMs)}; node -e 0 ${ms(nodeBareMs)}`);
    const met = cliVerifyRatio <= GOAL ? '' : ' NOT MET';
    const first = `first run (caches empty) ${ms(cliVerifyFirstMs)}`;
    log(`  → ${cliVerifyRatio.toFixed(2)}× node -e 0 (goal ≤ ${GOAL}×)${met}; ${first}`);
    const rate = `${Math.round(cliChainsPerSecond)} chains/s (${(batch.ms / 1000).toFixed(2)} s)`;
    log(`ctlens verify --files-from - --json, ${CHAINS} real chains: ${rate}`);
    return { nodeBareMs, cliVerifyMs, cliVerifyRatio, cliVerifyFirstMs, cliChainsPerSecond };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
