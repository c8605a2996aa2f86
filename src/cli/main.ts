/**
 * `ctlens`: the command line over the core. Each command is a module of its own; all but `verify`
 * (the one run thousands of times, in scripts) are loaded when they run, so that `verify` never
 * compiles the log clients, pkijs, node:tls or the list download.
 * Exit codes: 0 all SCTs valid and Chrome policy compliant (and, for a live host, its chain trusted
 * and its name matched); 1 otherwise; 2 bad usage or unreadable input (one line on stderr);
 * 3 (audit) a log misbehaved: a split view, or a proof that does not verify (3 wins over 1).
 * A batch of certificates (verify-command.ts) exits with the worst of theirs.
 * Everything is written through one Terminal (./terminal.ts), which escapes control characters.
 */
import type { Cli, Command } from './command.js';
import { InputError, UsageError } from './errors.js';
import { terminal } from './terminal.js';
import { verifyCommand } from './verify-command.js';

export const USAGE = `usage:
  ctlens verify <cert>... [--files-from <file | ->] [--issuer <file>] [--sct <file>]...
                [--log-list <file>]... [--log-key <file>]... [--at <ISO time>] [--json]
  ctlens audit <cert | https://host[:port]> [--issuer <file>] [--log-list <file>]...
               [--log-key <file>]... [--witness-policy <file>] [--state-dir <dir>] [--at <ISO time>] [--json]
  ctlens loglist [--update] [--url <all_logs_list.json URL>] [--json]
  ctlens monitor --watch <pattern>... [--watch-file <file>] [--log-list <file>]... [--state-dir <dir>]
                 [--from-start] [--once] [--json] [--exec <command>] [--interval <seconds>]
                 [--authorize <sha256 | file>]... [--reset-log <log id>]...
  ctlens sample [--at <time>] [--json]   verify an embedded sample (exits 0)
  ctlens help | --version`;

export interface Io {
  readonly stdout: (text: string) => void;
  readonly stderr: (text: string) => void;
  readonly env: NodeJS.ProcessEnv;
  readonly isTty: boolean;
  /** Standard input, for `-` (a function: Node opens it only when asked); without it, `-` is an input error. */
  readonly stdin?: () => AsyncIterable<Uint8Array>;
}

const COMMANDS: Record<string, () => Promise<Command>> = {
  verify: async () => verifyCommand,
  audit: async () => (await import('./audit-command.js')).auditCommand,
  loglist: async () => (await import('./loglist-command.js')).loglistCommand,
  sample: async () => (await import('./sample.js')).sampleCommand,
  monitor: async () => (await import('./monitor-command.js')).monitorCommand,
};

export async function main(argv: readonly string[], io: Io): Promise<number> {
  const cli: Cli = { term: terminal(io, io.isTty && !io.env.NO_COLOR), env: io.env, stdin: io.stdin };
  try {
    const [command, ...rest] = argv;
    switch (command) {
      case 'help':
      case '--help':
      case '-h':
        cli.term.lines(USAGE.split('\n'));
        return 0;
      case '--version':
        cli.term.lines([`ctlens ${VERSION}`]);
        return 0;
      case undefined:
        throw new UsageError('no command given (try `ctlens help`)');
    }
    const load = Object.hasOwn(COMMANDS, command) ? COMMANDS[command] : undefined;
    if (!load) throw new UsageError(`unknown command "${command}" (try \`ctlens help\`)`);
    return await (await load())(rest, cli);
  } catch (e) {
    if (e instanceof UsageError || e instanceof InputError) {
      cli.term.error(`ctlens: ${e.message}`);
      return 2;
    }
    cli.term.error(`ctlens: internal error: ${(e as Error).message ?? String(e)}`);
    if (io.env.CTLENS_DEBUG) for (const line of String((e as Error).stack).split('\n')) cli.term.error(line);
    return 2;
  }
}

declare const __CTLENS_VERSION__: string | undefined;
const VERSION = typeof __CTLENS_VERSION__ === 'string' ? __CTLENS_VERSION__ : 'dev';
