/**
 * The receiver's file transaction (see core/journal.ts for the protocol and
 * the recovery table). The journal of push <id> is
 * state_dir/staging/<id>/journal.json; the files themselves are staged
 * *beside their targets*, as hidden siblings:
 *
 *   /etc/haproxy/.haproxy.cfg.csyncd-<id>.new   the received file (fsync'ed, sha256 checked)
 *   /etc/haproxy/.haproxy.cfg.csyncd-<id>.old   hard link to the file it replaces (the backup)
 *
 * so every step is a link(2) or rename(2) within one directory: no copy of
 * a 10 MB file, and no EXDEV when /etc and state_dir are different mounts
 * (a bind mount is enough for rename(2) to refuse). A staging directory
 * without journal.json is an unfinished upload: it and its siblings go.
 */
import { constants, promises as fs } from 'node:fs';
import * as path from 'node:path';
import { randomBytes } from 'node:crypto';
import { fsyncDir, writeFileAtomic } from '../../runtime/atomic-file';
import type { Journal, JournalFile, RecoveryStep } from '../core/journal';
import type { Version } from '../core/version';
import { copyDurable, errnoOf, sha256Of } from './safe-fs';
import { ownershipOf } from './service-files';

/** One received file, fsync'ed and verified. */
export interface StagedFile {
  path: string;
  staged: string;
  sha256: string;
}

export const TMP_MARK = '.csyncd-';

export class Transactions {
  constructor(readonly root: string) {}

  async init(): Promise<void> {
    await fs.mkdir(this.root, { recursive: true, mode: 0o700 });
  }

  async begin(): Promise<Txn> {
    const id = `${Date.now().toString(36)}-${randomBytes(4).toString('hex')}`;
    const dir = path.join(this.root, id);
    await fs.mkdir(dir, { mode: 0o700 });
    return new Txn(id, dir);
  }

  /** Existing transaction directories (oldest first). */
  async list(): Promise<Txn[]> {
    const names = (await fs.readdir(this.root).catch(() => [] as string[])).sort();
    return names.map((n) => new Txn(n, path.join(this.root, n)));
  }
}

export class Txn {
  /** Sibling files this process created (removed on abort even without a journal). */
  private readonly made = new Set<string>();

  constructor(readonly id: string, readonly dir: string) {}

  /** Where the new content of `target` is received. */
  stagedPath(target: string): string {
    this.made.add(siblingOf(target, this.id, 'new'));
    return siblingOf(target, this.id, 'new');
  }

  get journalPath(): string {
    return path.join(this.dir, 'journal.json');
  }

  async readJournal(): Promise<unknown> {
    try {
      return JSON.parse(await fs.readFile(this.journalPath, 'utf8')) as unknown;
    } catch (err) {
      return errnoOf(err) === 'ENOENT' ? null : { corrupt: String(err) };
    }
  }

  async writeJournal(j: Journal): Promise<void> {
    await writeFileAtomic(this.journalPath, `${JSON.stringify(j)}\n`, { mode: 0o600 });
  }

  /**
   * Backups (hard links beside the targets), then the journal (phase
   * prepared). `current`: the targets' sha256 as the caller just read them
   * under the lock (null: missing); read again here when absent.
   */
  async prepare(service: string, version: Version, staged: readonly StagedFile[], current: ReadonlyMap<string, string | null> = new Map()): Promise<Journal> {
    const files: JournalFile[] = [];
    for (const s of staged) {
      const own = await ownershipOf(s.path);
      await fs.chmod(s.staged, own.mode);
      await fs.chown(s.staged, own.uid, own.gid);
      const known = current.get(s.path);
      const oldSha = known === undefined ? await sha256Of(s.path) : known;
      let backup: string | null = null;
      if (oldSha !== null) {
        backup = siblingOf(s.path, this.id, 'old');
        this.made.add(backup);
        await fs.rm(backup, { force: true });
        await linkOrCopy(s.path, backup, own.mode);
      }
      files.push({ path: s.path, oldSha, newSha: s.sha256, src: s.staged, backup });
    }
    await syncDirsOf(files.map((f) => f.path));
    const journal: Journal = { v: 1, id: this.id, service, phase: 'prepared', version, files };
    await this.writeJournal(journal);
    return journal;
  }

  /** Rename every new file into place and fsync the directories (the journal stays "prepared"). */
  async commit(j: Journal): Promise<void> {
    for (const f of j.files) await fs.rename(f.src, f.path);
    await syncDirsOf(j.files.map((f) => f.path));
  }

  /** Put every old file back (journal first says rolling-back). */
  async rollBack(j: Journal): Promise<Journal> {
    const next: Journal = { ...j, phase: 'rolling-back' };
    await this.writeJournal(next);
    for (const f of j.files) {
      if ((await sha256Of(f.path)) === f.oldSha) continue;
      await runStep(f.oldSha === null ? { type: 'remove', path: f.path } : { type: 'restore', path: f.path }, j, this.id);
    }
    await syncDirsOf(j.files.map((f) => f.path));
    return next;
  }

  /** Remove the transaction: its siblings beside the targets, then its directory. */
  async remove(j: Journal | null): Promise<void> {
    const siblings = new Set([...this.made, ...(j?.files ?? []).flatMap((f) => [f.src, ...(f.backup === null ? [] : [f.backup])])]);
    for (const p of siblings) await fs.rm(p, { force: true });
    await fs.rm(this.dir, { recursive: true, force: true });
  }
}

/** One recovery or rollback step (core/journal.ts RecoveryStep). */
export async function runStep(step: RecoveryStep, j: Journal, id: string): Promise<void> {
  const f = j.files.find((x) => x.path === step.path);
  if (f === undefined) return;
  switch (step.type) {
    case 'install':
      await fs.rename(f.src, f.path);
      return;
    case 'remove':
      await fs.rm(f.path, { force: true });
      return;
    case 'restore': {
      if (f.backup === null) return;
      const tmp = siblingOf(f.path, id, 'restore');
      try {
        await fs.rename(f.backup, f.path);
      } catch (err) {
        if (errnoOf(err) !== 'EXDEV') throw err;
        await fs.rm(tmp, { force: true });
        await copyDurable(f.backup, tmp, (await fs.stat(f.backup)).mode & 0o7777);
        await fs.rename(tmp, f.path);
      }
      return;
    }
  }
}

/** ".name.csyncd-<id>.new|old|restore" beside target. */
export function siblingOf(target: string, id: string, kind: 'new' | 'old' | 'restore'): string {
  return path.join(path.dirname(target), `.${path.basename(target)}${TMP_MARK}${id}.${kind}`);
}

/** A hard link costs no copy; the directory fsync in prepare() makes it durable. */
async function linkOrCopy(target: string, backup: string, mode: number): Promise<void> {
  try {
    await fs.link(target, backup);
  } catch (err) {
    // EPERM: fs.protected_hardlinks without CAP_FOWNER; ENOTSUP/EXDEV: odd file systems.
    if (!['EXDEV', 'EPERM', 'ENOTSUP', 'EMLINK'].includes(errnoOf(err) ?? '')) throw err;
    await copyDurable(target, backup, mode);
  }
}

export async function syncDirsOf(paths: readonly string[]): Promise<void> {
  for (const d of new Set(paths.map((p) => path.dirname(p)))) await fsyncDir(d);
}

/** Stray ".name.csyncd-<id>.new|old|restore" files beside registered targets whose transaction is gone. */
export async function removeStrayCopies(targets: readonly string[], liveIds: ReadonlySet<string>): Promise<string[]> {
  const removed: string[] = [];
  for (const dir of new Set(targets.map((p) => path.dirname(p)))) {
    for (const name of await fs.readdir(dir).catch(() => [] as string[])) {
      const m = /^\..+\.csyncd-([0-9a-z]+-[0-9a-f]{8})\.(new|old|restore)$/.exec(name);
      if (m === null || liveIds.has(m[1] ?? '')) continue;
      const p = path.join(dir, name);
      const st = await fs.lstat(p).catch(() => null);
      if (st?.isFile() === true) {
        await fs.rm(p, { force: true });
        removed.push(p);
      }
    }
  }
  return removed;
}

/** Staged files are new, never followed links. */
export const O_STAGE = constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | constants.O_NOFOLLOW;
