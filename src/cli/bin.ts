#!/usr/bin/env node
/**
 * The `ctlens` executable, dist/cli/ctlens.cjs: runs the CLI's core (ctlens-core.cjs beside it)
 * through the code cache (code-cache.ts) and wires main() to the process. CommonJS, as the core:
 * Node starts a CommonJS entry several milliseconds sooner than an ES module one, a tenth of a
 * `verify` run. The cache is written after a run that reached a verdict (exit 0, 1 or 3), so that
 * it holds that command's code, not only what an error path compiled.
 *
 * Output is written synchronously (output.ts), so the run can end with process.exit as soon as
 * main() is done: Node then skips tearing its heap down, a few milliseconds more of every run.
 */
import { join } from 'node:path';
import { isatty } from 'node:tty';
import { loadCore } from './code-cache.js';
import { cacheDir } from './config.js';
import { writeAll } from './output.js';
import { terminal } from './terminal.js';

const streams = { stdout: (t: string) => writeAll(1, t), stderr: (t: string) => writeAll(2, t) };
const warn = (line: string) => terminal(streams, false).error(`ctlens: warning: ${line}`);
const argv = process.argv.slice(2);
// __dirname: this file is only ever run as the CommonJS build.
const core = loadCore(join(__dirname, 'ctlens-core.cjs'), cacheDir(process.env), argv[0], warn);
void core
  .main(argv, { ...streams, env: process.env, isTty: isatty(1), stdin: () => process.stdin })
  .then(async (code) => {
    if (code !== 2) await core.save();
    process.exit(code);
  });
