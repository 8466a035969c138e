/**
 * The saved configuration ("Save" in ALOHA's Setup tab): a copy of the
 * running files of a service that survives a reboot, in
 * state_dir/saved/<service>/<content hash>/<n>, and a pointer
 * state_dir/saved/<service>/current.json written atomically last. A crash
 * while saving leaves the previous save current.
 */
import { constants, promises as fs } from 'node:fs';
import * as path from 'node:path';
import { randomBytes } from 'node:crypto';
import { fsyncDir, writeFileAtomic } from '../../runtime/atomic-file';
import { isSha256 } from '../core/version';
import type { FileSnapshot } from './service-files';

export interface SavedPointer {
  sha256: string;
  files: { path: string; sha256: string | null; blob: string | null }[];
  savedAt: string;
}

export class SavedStore {
  constructor(private readonly dir: string) {}

  /** Content hash of the saved copy, or null when never saved. */
  async savedHash(service: string): Promise<string | null> {
    return (await this.pointer(service))?.sha256 ?? null;
  }

  async pointer(service: string): Promise<SavedPointer | null> {
    try {
      const p = JSON.parse(await fs.readFile(path.join(this.dir, service, 'current.json'), 'utf8')) as SavedPointer;
      return isSha256(p.sha256) && Array.isArray(p.files) ? p : null;
    } catch {
      return null;
    }
  }

  /** Persist a snapshot (no-op when the same content is already saved). */
  async save(service: string, files: readonly FileSnapshot[], hash: string, now: Date): Promise<void> {
    if ((await this.savedHash(service)) === hash) return;
    const svcDir = path.join(this.dir, service);
    await fs.mkdir(svcDir, { recursive: true, mode: 0o700 });
    const final = path.join(svcDir, hash);
    const tmp = path.join(svcDir, `.tmp-${randomBytes(4).toString('hex')}`);
    await fs.rm(final, { recursive: true, force: true });
    await fs.mkdir(tmp, { mode: 0o700 });
    const entries: SavedPointer['files'] = [];
    for (const [i, f] of files.entries()) {
      if (f.content === null) {
        entries.push({ path: f.path, sha256: null, blob: null });
        continue;
      }
      const h = await fs.open(path.join(tmp, String(i)), constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL, 0o600);
      try {
        await h.writeFile(f.content);
        await h.sync();
      } finally {
        await h.close();
      }
      entries.push({ path: f.path, sha256: f.sha256, blob: path.join(final, String(i)) });
    }
    await fsyncDir(tmp);
    await fs.rename(tmp, final);
    await fsyncDir(svcDir);
    await writeFileAtomic(path.join(svcDir, 'current.json'), `${JSON.stringify({ sha256: hash, files: entries, savedAt: now.toISOString() } satisfies SavedPointer)}\n`, { mode: 0o600 });
    for (const name of await fs.readdir(svcDir)) {
      if (name !== hash && name !== 'current.json') await fs.rm(path.join(svcDir, name), { recursive: true, force: true });
    }
  }
}
