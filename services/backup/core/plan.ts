/**
 * What a restore does, as data: per file changed / unchanged / added (sha256
 * and mode against what the unit has), the mode each file gets, which
 * services must check which files, and the units to reload or restart.
 */
import type { Category, Owner } from './catalog';
import { INITIAL_PASSWORD_FILE, USERS_FILE } from './catalog';
import type { ArchivedFile } from './manifest';

export type FileStatus = 'changed' | 'unchanged' | 'added';

/** What the unit has at a path now (null: nothing). */
export type CurrentFile = { sha256: string; mode: number } | null;

export interface FileStep {
  file: ArchivedFile;
  status: FileStatus;
  /** Mode written: the archived permission bits without set-id/sticky, secrets readable by their owner only. */
  mode: number;
  /** Set when only the mode differs, or the mode changes with the content. */
  modeBefore: number | null;
}

/** The mode a restored file gets. */
export function restoredMode(file: Pick<ArchivedFile, 'mode' | 'secret'>): number {
  const perm = file.mode & 0o777;
  return file.secret ? perm & 0o700 : perm;
}

export function planFiles(files: readonly ArchivedFile[], current: ReadonlyMap<string, CurrentFile>): FileStep[] {
  return files.map((file) => {
    const now = current.get(file.path) ?? null;
    const mode = restoredMode(file);
    if (now === null) return { file, status: 'added', mode, modeBefore: null };
    const modeBefore = (now.mode & 0o777) === mode ? null : now.mode & 0o777;
    const status: FileStatus = now.sha256 === file.sha256 && modeBefore === null ? 'unchanged' : 'changed';
    return { file, status, mode, modeBefore };
  });
}

/** Files chosen by `--only` (all categories when null). */
export function selectFiles(files: readonly ArchivedFile[], only: ReadonlySet<Category> | null): ArchivedFile[] {
  return only === null ? [...files] : files.filter((f) => only.has(f.category));
}

/** The checks a set of restored files needs: each owning service once. */
export function checksNeeded(files: readonly Pick<ArchivedFile, 'owner'>[]): Owner[] {
  const order: Owner[] = ['nicd', 'hbd', 'csyncd', 'statusd', 'paneld', 'synced'];
  const owners = new Set(files.map((f) => f.owner));
  return order.filter((o) => owners.has(o));
}

export type UnitVerb = 'try-reload-or-restart' | 'try-restart';

export interface UnitAction {
  verb: UnitVerb;
  unit: string;
  /** Why, for the report. */
  because: string[];
}

/**
 * Which unit takes a changed file in, and how (each service's README,
 * "Signals"): nicd applies a new network.conf on SIGHUP; csyncd re-reads
 * services.conf on SIGHUP but needs a restart for csyncd.cfg and keys; statusd
 * re-reads its certificate on SIGHUP, reads users at each login, and needs a
 * restart for statusd.conf; hbd only reports a changed ha.d on SIGHUP
 * (RELOAD_NEEDS_RESTART); a synced service's own unit is reloaded.
 */
export function unitActionFor(file: Pick<ArchivedFile, 'path' | 'owner' | 'service' | 'category'>): { verb: UnitVerb; unit: string } | null {
  switch (file.owner) {
    case 'nicd':
      return { verb: 'try-reload-or-restart', unit: 'nicd.service' };
    case 'hbd':
      return { verb: 'try-restart', unit: 'hbd.service' };
    case 'paneld':
      return { verb: 'try-restart', unit: 'paneld.service' };
    case 'csyncd':
      return file.path === '/etc/csyncd/services.conf' ? { verb: 'try-reload-or-restart', unit: 'csyncd.service' } : { verb: 'try-restart', unit: 'csyncd.service' };
    case 'statusd':
      if (file.path === USERS_FILE) return null;
      return file.category === 'keys' ? { verb: 'try-reload-or-restart', unit: 'statusd.service' } : { verb: 'try-restart', unit: 'statusd.service' };
    case 'synced':
      return file.service === null ? null : { verb: 'try-reload-or-restart', unit: `${file.service}.service` };
  }
}

/** One action per unit; a restart covers a reload of the same unit. */
export function unitActions(steps: readonly FileStep[]): UnitAction[] {
  const byUnit = new Map<string, UnitAction>();
  for (const s of steps) {
    if (s.status === 'unchanged') continue;
    const a = unitActionFor(s.file);
    if (a === null) continue;
    const had = byUnit.get(a.unit);
    if (had === undefined) byUnit.set(a.unit, { ...a, because: [s.file.path] });
    else {
      had.because.push(s.file.path);
      if (a.verb === 'try-restart') had.verb = 'try-restart';
    }
  }
  return [...byUnit.values()];
}

/** A restored users file replaces admin's hash: statusd's initial password no longer applies. */
export function staleAfter(steps: readonly FileStep[]): string[] {
  return steps.some((s) => s.file.path === USERS_FILE && s.status !== 'unchanged') ? [INITIAL_PASSWORD_FILE] : [];
}

const octal = (m: number): string => `0${m.toString(8).padStart(3, '0')}`;

/** The per-file lines of the report. */
export function formatSteps(steps: readonly FileStep[], dryRun: boolean): string[] {
  const width = Math.max(0, ...steps.map((s) => s.file.path.length));
  return steps.map((s) => {
    const mode = s.modeBefore !== null ? `mode ${octal(s.modeBefore)} -> ${octal(s.mode)}` : `mode ${octal(s.mode)}`;
    const what = s.status === 'unchanged' ? 'unchanged' : dryRun ? `would be ${s.status}` : s.status;
    return `  ${what.padEnd(dryRun ? 16 : 9)}  ${s.file.path.padEnd(width)}  ${s.file.category}, ${mode}`;
  });
}

export function formatActions(actions: readonly UnitAction[]): string[] {
  return actions.map((a) => `  systemctl ${a.verb} ${a.unit}   (${a.because.join(', ')})`);
}
