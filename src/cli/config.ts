/**
 * Where the CLI keeps its state: $CTLENS_CONFIG_DIR, else $XDG_CONFIG_HOME/ctlens, else
 * ~/.config/ctlens; and its caches (cacheDir): `cache` in $CTLENS_CONFIG_DIR when that is set,
 * else $XDG_CACHE_HOME/ctlens, else ~/.cache/ctlens.
 */
import { homedir } from 'node:os';
import { join } from 'node:path';

export function configDir(env: NodeJS.ProcessEnv = process.env): string {
  if (env.CTLENS_CONFIG_DIR) return env.CTLENS_CONFIG_DIR;
  const base = env.XDG_CONFIG_HOME || join(homedir(), '.config');
  return join(base, 'ctlens');
}

export function cacheDir(env: NodeJS.ProcessEnv = process.env): string {
  if (env.CTLENS_CONFIG_DIR) return join(env.CTLENS_CONFIG_DIR, 'cache');
  return join(env.XDG_CACHE_HOME || join(homedir(), '.cache'), 'ctlens');
}

/** The fetched log list and its signature, stored as received (the signature is over exact bytes). */
export const storedLogListPaths = (dir: string) => ({
  json: join(dir, 'log-list', 'all_logs_list.json'),
  sig: join(dir, 'log-list', 'all_logs_list.sig'),
});
