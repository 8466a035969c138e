/**
 * resolv.conf and the hostname. Both paths are options (tests point them
 * into a scratch directory). Writes go through writeFileAtomic on the real
 * file (symlinks followed, so /etc/resolv.conf -> /etc/lbos/resolv.conf
 * works under ProtectSystem=strict). When the directory is read-only but the
 * file itself is writable (systemd ReadWritePaths= on a single file is a bind
 * mount, which rename cannot replace) we rewrite it in place instead.
 */
import { promises as fs, constants } from 'node:fs';
import * as os from 'node:os';
import { execFile } from 'node:child_process';
import { writeFileAtomic } from '../../runtime/atomic-file';
import { AppError, errorMessage } from '../../runtime/errors';

export interface SystemFilePaths {
  resolvConf: string;
  hostnameFile: string;
}

export async function readOptional(file: string): Promise<string | null> {
  try {
    return await fs.readFile(file, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw err;
  }
}

async function realTarget(file: string): Promise<string> {
  try {
    return await fs.realpath(file);
  } catch {
    return file; // missing, or a dangling link's own path: create it
  }
}

const IN_PLACE_CODES = new Set(['EROFS', 'EBUSY', 'EACCES', 'EPERM', 'EXDEV']);

/** Replace a system file's content; atomically where the directory allows it. */
export async function writeSystemFile(file: string, text: string): Promise<'atomic' | 'in-place'> {
  const target = await realTarget(file);
  try {
    await writeFileAtomic(target, text);
    return 'atomic';
  } catch (err) {
    if (!IN_PLACE_CODES.has((err as NodeJS.ErrnoException).code ?? '')) throw new AppError('FILE_WRITE_FAILED', `cannot write ${file}: ${errorMessage(err)}`);
  }
  try {
    const h = await fs.open(target, constants.O_WRONLY | constants.O_TRUNC);
    try {
      await h.writeFile(text);
      await h.sync();
    } finally {
      await h.close();
    }
    return 'in-place';
  } catch (err) {
    throw new AppError('FILE_WRITE_FAILED', `cannot write ${file}: ${errorMessage(err)}`);
  }
}

/** Kernel hostname (sethostname(2) via hostname(1)) and the hostname file. */
export async function setHostname(name: string, hostnameFile: string): Promise<void> {
  await writeSystemFile(hostnameFile, `${name}\n`);
  await new Promise<void>((resolve, reject) => {
    execFile('hostname', [name], { timeout: 10_000 }, (err, _out, stderr) => {
      if (err) reject(new AppError('HOSTNAME_FAILED', `hostname ${name}: ${stderr.trim() || err.message}`));
      else resolve();
    });
  });
}

export async function readHostname(hostnameFile: string): Promise<{ kernel: string; file: string | null }> {
  return { kernel: os.hostname(), file: await readOptional(hostnameFile) };
}
