/** Runs the CLI's main() in-process with captured output and an isolated config directory. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { main } from '../../src/cli/main.js';

export interface CliResult {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

const emptyConfigDir = (): string => mkdtempSync(join(tmpdir(), 'ctlens-cli-'));

export async function runCli(args: string[], env: Record<string, string> = {}): Promise<CliResult> {
  let stdout = '';
  let stderr = '';
  const ownConfig = env.CTLENS_CONFIG_DIR ? undefined : emptyConfigDir();
  try {
    const code = await main(args, {
      stdout: (t) => (stdout += t),
      stderr: (t) => (stderr += t),
      env: { CTLENS_CONFIG_DIR: ownConfig ?? env.CTLENS_CONFIG_DIR!, ...env },
      isTty: false,
    });
    return { code, stdout, stderr };
  } finally {
    if (ownConfig) rmSync(ownConfig, { recursive: true, force: true });
  }
}
