/**
 * The CLI's cache files (a verified log list, compiled code) are used only when only the user
 * could have written them: a regular file, not a symbolic link (O_NOFOLLOW), owned by the user
 * and writable by no one else. Only the user (or root) can have made such a file, and they can
 * change what ctlens runs anyway; another local user cannot plant one. They are written 0600 in a
 * 0700 directory through an exclusive temporary file (exclusive-write.ts). Synchronous calls, as
 * there: a run reads a few such files, faster than through the thread pool.
 */
import {
  closeSync,
  constants,
  fstatSync,
  mkdirSync,
  openSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
} from 'node:fs';
import { dirname, join } from 'node:path';
import { writeFileAtomic } from './exclusive-write.js';

/** The user's id; undefined where there are none (Windows): then nothing is cached. */
export const userId = (): number | undefined => process.getuid?.();

/**
 * The file's bytes when it is the user's own (see above); undefined when it is missing or
 * unreadable, and when someone else could have written it (then `warn` says so).
 */
export function readOwnFile(path: string, uid: number, warn: (line: string) => void): Buffer | undefined {
  let fd: number;
  try {
    fd = openSync(path, constants.O_RDONLY | constants.O_NOFOLLOW);
  } catch {
    return undefined; // not there yet, or a symbolic link
  }
  try {
    const stat = fstatSync(fd);
    if (!stat.isFile() || stat.uid !== uid || (stat.mode & 0o022) !== 0) {
      warn(`ignoring ${path}: not a file of yours that only you can write`);
      return undefined;
    }
    return readFileSync(fd);
  } catch {
    return undefined;
  } finally {
    closeSync(fd);
  }
}

/** Best effort: a cache that cannot be written (a read-only home) only costs the next run time. */
export async function writeOwnFile(path: string, data: string | Uint8Array): Promise<void> {
  try {
    mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
    await writeFileAtomic(path, data);
  } catch {
    // not kept
  }
}

/** How long another build's cache files are kept (an older ctlens still in use rewrites its own). */
const STALE_MS = 7 * 86_400_000;

/**
 * Removes files of `dir` named for another build (not starting with `prefix`) and not changed for
 * STALE_MS: what an upgrade leaves behind. Best effort, like writeOwnFile.
 */
export async function pruneOtherBuilds(dir: string, prefix: string, now = Date.now()): Promise<void> {
  try {
    for (const name of readdirSync(dir)) {
      if (name.startsWith(prefix)) continue;
      const path = join(dir, name);
      if (now - statSync(path).mtimeMs > STALE_MS) rmSync(path, { force: true });
    }
  } catch {
    // kept for now
  }
}
