/**
 * The running configuration of a service: its registered files, read
 * safely, with their sha256 and the service's content hash. Digests are
 * cached by (inode, size, mtime, ctime) so the periodic check does not
 * re-hash unchanged 10 MB files.
 */
import { promises as fs } from 'node:fs';
import type { ServiceDef } from '../config/types';
import { contentHash, type FileDigest } from '../core/version';
import { readRegular } from './safe-fs';
import { createHash } from 'node:crypto';

/** One file as read now; content null when it does not exist. */
export interface FileSnapshot extends FileDigest {
  content: Buffer | null;
}

export interface ServiceSnapshot {
  files: FileSnapshot[];
  hash: string;
}

interface CacheEntry {
  key: string;
  sha256: string;
}

export class ServiceFiles {
  private readonly cache = new Map<string, CacheEntry>();

  /** Every file with its content (for a push or a diff), always hashed from the bytes read. Throws PATH_* / PAYLOAD_TOO_LARGE. */
  async snapshot(def: ServiceDef): Promise<ServiceSnapshot> {
    const files: FileSnapshot[] = [];
    for (const p of def.files) {
      const before = await statKey(p);
      const content = await readRegular(p, def.files, def.maxSize);
      const sha256 = content === null ? null : createHash('sha256').update(content).digest('hex');
      if (sha256 !== null && before !== null && before === (await statKey(p))) this.cache.set(p, { key: before, sha256 });
      files.push({ path: p, content, sha256 });
    }
    return { files, hash: contentHash(files) };
  }

  /** A file was just replaced with content of a known sha256 (after a push): remember it, no re-hash. */
  async learn(p: string, sha256: string): Promise<void> {
    const key = await statKey(p);
    if (key === null) this.cache.delete(p);
    else this.cache.set(p, { key, sha256 });
  }

  /** Digests only, from the cache when the file did not change. */
  async digest(def: ServiceDef): Promise<{ files: FileDigest[]; hash: string }> {
    const files: FileDigest[] = [];
    for (const p of def.files) files.push({ path: p, sha256: await this.fileDigest(p, def) });
    return { files, hash: contentHash(files) };
  }

  private async fileDigest(p: string, def: ServiceDef): Promise<string | null> {
    const key = await statKey(p);
    if (key === null) {
      this.cache.delete(p);
      // Missing (or vanished): readRegular still runs the path checks, which throw when unsafe.
      const c = await readRegular(p, def.files, def.maxSize);
      return c === null ? null : createHash('sha256').update(c).digest('hex');
    }
    const hit = this.cache.get(p);
    if (hit !== undefined && hit.key === key) return hit.sha256;
    const content = await readRegular(p, def.files, def.maxSize);
    if (content === null) return null;
    const sha256 = createHash('sha256').update(content).digest('hex');
    this.cache.set(p, { key, sha256 });
    return sha256;
  }

  /** Forget cached digests (after a push replaced files within one mtime tick). */
  invalidate(paths: readonly string[]): void {
    for (const p of paths) this.cache.delete(p);
  }
}

/** What identifies one version of a file for the cache: any write changes ctime. */
async function statKey(p: string): Promise<string | null> {
  try {
    const st = await fs.lstat(p, { bigint: true });
    return `${st.ino}:${st.size}:${st.mtimeNs}:${st.ctimeNs}:${st.mode}`;
  } catch {
    return null;
  }
}

/** Mode, uid and gid a replaced file should keep (0644 root for a new file). */
export async function ownershipOf(p: string): Promise<{ mode: number; uid: number; gid: number }> {
  try {
    const st = await fs.lstat(p);
    // Keep the permissions, never setuid/setgid bits.
    return { mode: st.mode & 0o1777, uid: st.uid, gid: st.gid };
  } catch {
    return { mode: 0o644, uid: 0, gid: 0 };
  }
}
