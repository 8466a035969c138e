/**
 * Crash-safe file replacement: write a temp file beside the target, fsync it,
 * rename over the target, fsync the directory. A kill -9 at any moment leaves
 * either the old or the new content, never a mix.
 */
import { promises as fs, constants } from 'node:fs';
import * as path from 'node:path';
import { randomBytes } from 'node:crypto';

export interface AtomicWriteOptions {
  /** File mode of the new file (default 0644). */
  mode?: number;
  /** Owner of the new file (default: whoever writes it), e.g. a service's own user when root writes its state. */
  owner?: { uid: number; gid: number };
  /**
   * Asked after the new content is on disk, just before the rename: false
   * leaves the target as it is (the temp file is removed). Keeps the window
   * in which a concurrent writer's change could be replaced to a read and a
   * rename, instead of a whole write and fsync.
   */
  stillWanted?: () => Promise<boolean>;
}

/** Returns false when `stillWanted` said no (nothing written). */
export async function writeFileAtomic(target: string, data: string | Uint8Array, opts: AtomicWriteOptions = {}): Promise<boolean> {
  const dir = path.dirname(target);
  const tmp = path.join(dir, `.${path.basename(target)}.${randomBytes(4).toString('hex')}.tmp`);
  const handle = await fs.open(tmp, constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL, opts.mode ?? 0o644);
  try {
    if (opts.owner !== undefined) await handle.chown(opts.owner.uid, opts.owner.gid);
    await handle.writeFile(data);
    await handle.sync();
  } catch (err) {
    await handle.close();
    await fs.rm(tmp, { force: true });
    throw err;
  }
  await handle.close();
  try {
    if (opts.stillWanted !== undefined && !(await opts.stillWanted())) {
      await fs.rm(tmp, { force: true });
      return false;
    }
    await fs.rename(tmp, target);
  } catch (err) {
    await fs.rm(tmp, { force: true });
    throw err;
  }
  await fsyncDir(dir);
  return true;
}

export async function fsyncDir(dir: string): Promise<void> {
  const handle = await fs.open(dir, constants.O_RDONLY | constants.O_DIRECTORY);
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}
