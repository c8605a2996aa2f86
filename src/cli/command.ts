/** What every `ctlens` command is handed: the terminal (the only way out), the environment, stdin. */
import type { Terminal } from './terminal.js';

export interface Cli {
  readonly term: Terminal;
  readonly env: NodeJS.ProcessEnv;
  /** Standard input, for `-` operands and `--files-from -`; absent when the caller gives none. */
  readonly stdin?: () => AsyncIterable<Uint8Array>;
}

/** A command: its arguments (after the command name) in, its exit code out. */
export type Command = (args: readonly string[], cli: Cli) => Promise<number>;
