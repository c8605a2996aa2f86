/**
 * Writing state files safely: the new content goes to a temporary file created exclusively
 * (`wx`: fails if anything, a symlink included, already has the name) with a random suffix in
 * the target's own directory, then is renamed over the target (atomic on one file system).
 * A predictable `<name>.tmp` that follows symlinks would let another local user redirect the write.
 */
import { randomBytes } from 'node:crypto';
import { open, rename, rm } from 'node:fs/promises';

/** The temporary file beside `path`, created exclusively with mode 0600, holding `data`. */
export async function writeTemporaryBeside(path: string, data: string | Uint8Array): Promise<string> {
  const temporary = `${path}.${randomBytes(8).toString('hex')}.tmp`;
  const handle = await open(temporary, 'wx', 0o600);
  try {
    await handle.writeFile(data);
    await handle.sync();
  } catch (e) {
    await rm(temporary, { force: true });
    throw e;
  } finally {
    await handle.close();
  }
  return temporary;
}

/** Replaces `path` with `data` atomically (precondition: the directory exists). */
export async function writeFileAtomic(path: string, data: string | Uint8Array): Promise<void> {
  const temporary = await writeTemporaryBeside(path, data);
  try {
    await rename(temporary, path);
  } catch (e) {
    await rm(temporary, { force: true });
    throw e;
  }
}
