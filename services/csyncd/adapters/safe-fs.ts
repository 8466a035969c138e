/**
 * File access that cannot be tricked into following a link: every path
 * component is lstat'ed and judged by core/path-safety.ts, files are opened
 * with O_NOFOLLOW|O_NONBLOCK (a FIFO cannot block us) and fstat'ed again
 * after opening, and writes go to new files that are renamed into place.
 */
import { constants, promises as fs, type Stats } from 'node:fs';
import { createHash } from 'node:crypto';
import { AppError } from '../../runtime/errors';
import { checkPathFacts, checkRequestedPath, checkSize, componentsOf, type ComponentFact, type FileKind, type PathVerdict } from '../core/path-safety';

export function kindOf(st: Stats): FileKind {
  if (st.isSymbolicLink()) return 'symlink';
  if (st.isFile()) return 'file';
  if (st.isDirectory()) return 'dir';
  if (st.isCharacterDevice()) return 'char-device';
  if (st.isBlockDevice()) return 'block-device';
  if (st.isFIFO()) return 'fifo';
  return 'socket';
}

/** lstat(2) of every component of an absolute path, root first. */
export async function componentFacts(p: string): Promise<ComponentFact[]> {
  const out: ComponentFact[] = [];
  for (const c of componentsOf(p)) {
    try {
      out.push({ path: c, kind: kindOf(await fs.lstat(c)) });
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
      out.push({ path: c, kind: 'missing' });
      // Below a missing component everything is missing too.
    }
  }
  return out;
}

/** Registry, string and lstat checks of a path a push wants to write or read. */
export async function checkPath(p: string, registered: readonly string[]): Promise<PathVerdict> {
  const first = checkRequestedPath(p, registered);
  if (!first.ok) return first;
  return checkPathFacts(p, await componentFacts(p));
}

/** Throw the verdict as an AppError with its code. */
export function assertPath(v: PathVerdict): void {
  if (!v.ok) throw new AppError(v.code, v.message);
}

/**
 * Read a registered regular file, refusing links, devices and oversize
 * files; null when it does not exist.
 */
export async function readRegular(p: string, registered: readonly string[], maxSize: number): Promise<Buffer | null> {
  const v = await checkPath(p, registered);
  assertPath(v);
  let h: fs.FileHandle;
  try {
    h = await fs.open(p, constants.O_RDONLY | constants.O_NOFOLLOW | constants.O_NONBLOCK);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return null;
    if (code === 'ELOOP') throw new AppError('PATH_SYMLINK', `${p} is a symbolic link`);
    throw err;
  }
  try {
    const st = await h.stat();
    if (!st.isFile()) throw new AppError('PATH_NOT_REGULAR', `${p} is a ${kindOf(st)}, not a regular file`);
    assertPath(checkSize(p, st.size, maxSize));
    return await h.readFile();
  } finally {
    await h.close();
  }
}

/** sha256 of a regular file (not following links), or null when missing or not a regular file. */
export async function sha256Of(p: string): Promise<string | null> {
  let h: fs.FileHandle;
  try {
    h = await fs.open(p, constants.O_RDONLY | constants.O_NOFOLLOW | constants.O_NONBLOCK);
  } catch {
    return null;
  }
  try {
    if (!(await h.stat()).isFile()) return null;
    const hash = createHash('sha256');
    for await (const chunk of h.createReadStream({ autoClose: false })) hash.update(chunk as Buffer);
    return hash.digest('hex');
  } finally {
    await h.close();
  }
}

export async function fsyncPath(p: string, flags = constants.O_RDONLY): Promise<void> {
  const h = await fs.open(p, flags);
  try {
    await h.sync();
  } finally {
    await h.close();
  }
}

/** Copy src to a new file dst (O_EXCL), fsync it. */
export async function copyDurable(src: string, dst: string, mode: number): Promise<void> {
  const data = await fs.readFile(src);
  const h = await fs.open(dst, constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL, mode);
  try {
    await h.writeFile(data);
    await h.sync();
  } finally {
    await h.close();
  }
}

export function errnoOf(err: unknown): string | undefined {
  return (err as NodeJS.ErrnoException | undefined)?.code;
}
