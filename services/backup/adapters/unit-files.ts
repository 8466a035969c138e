/**
 * The unit's files under --root: read for an archive (regular files only,
 * never through a symbolic link), and written by a restore in two phases:
 * every new file is written and fsync'ed beside its target first, then all
 * are renamed and their directories fsync'ed. A failure while writing (disk
 * full) removes the temporary files and leaves the unit as it was; only a
 * crash between two renames can leave some files restored and others not.
 */
import { constants, promises as fs } from 'node:fs';
import * as path from 'node:path';
import { randomBytes } from 'node:crypto';
import { fsyncDir } from '../../runtime/atomic-file';
import { underRoot } from '../core/path-safety';
import { sha256Hex } from '../core/manifest';
import type { CurrentFile, FileStep } from '../core/plan';
import { backupError } from '../errors';

export interface UnitFile {
  data: Buffer;
  mode: number;
  uid: number;
  gid: number;
}

/** Refuses a symbolic link in any component between root and the file: a write must not be redirected. */
async function assertNoLinks(root: string, appliancePath: string): Promise<void> {
  const parts = appliancePath.split('/').filter((p) => p !== '');
  let cur = path.resolve(root);
  for (const part of parts) {
    cur = path.join(cur, part);
    let st;
    try {
      st = await fs.lstat(cur);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return;
      throw err;
    }
    if (st.isSymbolicLink()) throw backupError('UNIT_FILE_BAD', `${cur}: a symbolic link; lbos-backup reads and writes only real files and directories`);
  }
}

/** The file at an appliance path, or null when there is none. */
export async function readUnitFile(root: string, appliancePath: string): Promise<UnitFile | null> {
  const file = underRoot(root, appliancePath);
  await assertNoLinks(root, appliancePath);
  let handle;
  try {
    handle = await fs.open(file, constants.O_RDONLY | constants.O_NOFOLLOW | constants.O_NONBLOCK);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw backupError('UNIT_FILE_BAD', `${file}: cannot read: ${(err as Error).message}`, err);
  }
  try {
    const st = await handle.stat();
    if (!st.isFile()) throw backupError('UNIT_FILE_BAD', `${file}: not a regular file`);
    return { data: await handle.readFile(), mode: st.mode & 0o7777, uid: st.uid, gid: st.gid };
  } finally {
    await handle.close();
  }
}

/** What the unit has at each path now (sha256 and mode). */
export async function currentFiles(root: string, paths: readonly string[]): Promise<Map<string, CurrentFile>> {
  const out = new Map<string, CurrentFile>();
  for (const p of paths) {
    const f = await readUnitFile(root, p);
    out.set(p, f === null ? null : { sha256: sha256Hex(f.data), mode: f.mode });
  }
  return out;
}

/** The nearest existing directory at or above `dir`, and its owner. */
async function nearestOwner(dir: string): Promise<{ uid: number; gid: number }> {
  for (let d = dir; ; d = path.dirname(d)) {
    try {
      const st = await fs.stat(d);
      return { uid: st.uid, gid: st.gid };
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT' || path.dirname(d) === d) throw err;
    }
  }
}

/** mkdir -p, each new directory owned like its nearest existing ancestor (statusd's state directory belongs to statusd). */
async function makeParents(dir: string): Promise<void> {
  const missing: string[] = [];
  for (let d = dir; ; d = path.dirname(d)) {
    try {
      await fs.stat(d);
      break;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
      missing.unshift(d);
    }
  }
  for (const d of missing) {
    const owner = await nearestOwner(path.dirname(d));
    // statusd keeps its TLS key in a directory of its own: nobody else needs to list it.
    await fs.mkdir(d, { mode: path.basename(d) === 'tls' ? 0o700 : 0o755 });
    await fs.chown(d, owner.uid, owner.gid);
  }
}

/**
 * Writes every step that is not unchanged, and removes `stale` files.
 * The owner of a replaced file stays; a new file gets its directory's owner.
 * Returns the paths written.
 */
export async function applyFiles(root: string, steps: readonly FileStep[], stale: readonly string[]): Promise<string[]> {
  const todo = steps.filter((s) => s.status !== 'unchanged');
  const staged: { tmp: string; target: string; path: string }[] = [];
  try {
    for (const s of todo) {
      await assertNoLinks(root, s.file.path);
      const target = underRoot(root, s.file.path);
      await makeParents(path.dirname(target));
      let owner: { uid: number; gid: number };
      try {
        const st = await fs.stat(target);
        owner = { uid: st.uid, gid: st.gid };
      } catch {
        owner = await nearestOwner(path.dirname(target));
      }
      const tmp = path.join(path.dirname(target), `.${path.basename(target)}.${randomBytes(4).toString('hex')}.lbos-backup`);
      const handle = await fs.open(tmp, constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | constants.O_NOFOLLOW, 0o600);
      staged.push({ tmp, target, path: s.file.path });
      try {
        await handle.chown(owner.uid, owner.gid);
        await handle.writeFile(s.file.data);
        await handle.chmod(s.mode);
        await handle.sync();
      } finally {
        await handle.close();
      }
    }
  } catch (err) {
    await Promise.all(staged.map((x) => fs.rm(x.tmp, { force: true })));
    throw backupError('WRITE_FAILED', `writing the restored files failed, nothing was changed: ${(err as Error).message}`, err);
  }
  const done: string[] = [];
  try {
    for (const x of staged) {
      await fs.rename(x.tmp, x.target);
      done.push(x.path);
    }
    for (const p of stale) await fs.rm(underRoot(root, p), { force: true });
    for (const dir of new Set([...staged.map((x) => path.dirname(x.target)), ...stale.map((p) => path.dirname(underRoot(root, p)))])) {
      await fsyncDir(dir).catch(() => undefined);
    }
  } catch (err) {
    await Promise.all(staged.filter((x) => !done.includes(x.path)).map((x) => fs.rm(x.tmp, { force: true })));
    throw backupError('WRITE_FAILED', `renaming the restored files failed after ${done.length} of ${staged.length} (${done.join(', ') || 'none'}): ${(err as Error).message}`, err);
  }
  return done;
}
