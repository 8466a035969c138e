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

  /**
   * A file was just renamed into place from a staged copy of a known sha256
   * (after a push): remember it without re-hashing, but only if it still is
   * that copy. `staged` is the copy's identity taken before the rename
   * (stagedIdentity): a rename keeps inode, size and mtime, a write changes
   * them. A local edit that lands between the rename and this call is thus
   * never taken for the pushed content (it is hashed at the next digest, and
   * the next push sees it as a change here).
   */
  async learn(p: string, sha256: string, staged: string | null): Promise<void> {
    const st = await statOf(p);
    if (st === null || staged === null || identityOf(st) !== staged) this.cache.delete(p);
    else this.cache.set(p, { key: keyOf(st), sha256 });
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

type BigStats = Awaited<ReturnType<typeof lstatBig>>;
const lstatBig = (p: string) => fs.lstat(p, { bigint: true });

async function statOf(p: string): Promise<BigStats | null> {
  try {
    return await lstatBig(p);
  } catch {
    return null;
  }
}

/** What identifies one version of a file for the cache: any write changes ctime. */
const keyOf = (st: BigStats): string => `${st.ino}:${st.size}:${st.mtimeNs}:${st.ctimeNs}:${st.mode}`;

async function statKey(p: string): Promise<string | null> {
  const st = await statOf(p);
  return st === null ? null : keyOf(st);
}

/** What a rename keeps and a write changes (ctime and mode change with chmod/chown and rename too). */
const identityOf = (st: BigStats): string => `${st.ino}:${st.size}:${st.mtimeNs}`;

/** A staged file's identity, to be handed to ServiceFiles.learn after it is renamed into place. */
export async function stagedIdentity(p: string): Promise<string | null> {
  const st = await statOf(p);
  return st === null ? null : identityOf(st);
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
