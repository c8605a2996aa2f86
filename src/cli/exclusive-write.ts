/**
 * Writing state files safely: the new content goes to a temporary file created exclusively
 * (`wx`: fails if anything, a symlink included, already has the name) with a random suffix in
 * the target's own directory, then is renamed over the target (atomic on one file system).
 * A predictable `<name>.tmp` that follows symlinks would let another local user redirect the write.
 * The calls are synchronous: the CLI writes a few small files, and a run that loads neither the
 * thread pool's file API nor node:fs/promises starts faster. The functions stay async for callers.
 */
import { randomBytes } from 'node:crypto';
import { closeSync, fsyncSync, openSync, renameSync, rmSync, writeFileSync } from 'node:fs';

/** The temporary file beside `path`, created exclusively with mode 0600, holding `data`. */
export async function writeTemporaryBeside(path: string, data: string | Uint8Array): Promise<string> {
  const temporary = `${path}.${randomBytes(8).toString('hex')}.tmp`;
  const fd = openSync(temporary, 'wx', 0o600);
  try {
    writeFileSync(fd, data);
    fsyncSync(fd);
  } catch (e) {
    rmSync(temporary, { force: true });
    throw e;
  } finally {
    closeSync(fd);
  }
  return temporary;
}

/** Replaces `path` with `data` atomically (precondition: the directory exists). */
export async function writeFileAtomic(path: string, data: string | Uint8Array): Promise<void> {
  const temporary = await writeTemporaryBeside(path, data);
  try {
    renameSync(temporary, path);
  } catch (e) {
    rmSync(temporary, { force: true });
    throw e;
  }
}
