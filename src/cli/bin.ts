#!/usr/bin/env node
/** The `ctlens` executable: wires main() to the process. */
import { main } from './main.js';

const code = await main(process.argv.slice(2), {
  stdout: (t) => process.stdout.write(t),
  stderr: (t) => process.stderr.write(t),
  env: process.env,
  isTty: process.stdout.isTTY === true,
});
process.exitCode = code;
