/**
 * The receiver's transaction journal and what to do with one found at
 * startup (after a crash or kill -9). adapters/transaction.ts writes it;
 * this file only decides.
 *
 *   stage files (fsync, sha256) -> validate -> backups + journal "prepared"
 *     -> rename every file into place, fsync dirs
 *     -> apply -> (ok) meta, remove journal
 *              -> (fails) journal "rolling-back" -> restore backups -> apply old
 *
 * Recovery, decided from the journal phase and the sha256 of what is on disk:
 *
 *   phase         files on disk            action
 *   prepared      all new                  roll forward, apply (again: it may not have run or finished)
 *   prepared      old, or a mix            roll back (apply runs only once all are new: nothing to re-apply)
 *   rolling-back  any                      roll back, apply old
 *
 * (No "committed" phase: "prepared" with every new file in place already
 * says it, and one journal write fewer is 2 fsyncs off every push.)
 *
 * A roll back that lacks a backup it needs rolls forward instead when every
 * new file is still staged; if neither is possible the journal is kept and
 * the status turns red ("stuck") until an operator looks.
 */
import type { Version } from './version';

export type JournalPhase = 'prepared' | 'rolling-back';

export interface JournalFile {
  /** The registered target. */
  path: string;
  /** sha256 of the content being replaced; null: the file did not exist. */
  oldSha: string | null;
  newSha: string;
  /** The new content, on the target's file system, ready to be renamed over it. */
  src: string;
  /** The old content (hard link or copy); null when oldSha is null. */
  backup: string | null;
}

export interface Journal {
  v: 1;
  id: string;
  service: string;
  phase: JournalPhase;
  /** The version and synced hash to record once the new files are in place. */
  version: Version;
  files: JournalFile[];
}

/** What is on disk for one journal file. */
export interface FileFacts {
  path: string;
  oldSha: string | null;
  newSha: string;
  /** sha256 of the target now; null when missing. */
  currentSha: string | null;
  /** The backup exists and has oldSha. */
  backupOk: boolean;
  /** The staged new file exists and has newSha. */
  srcOk: boolean;
}

export type RecoveryStep = { type: 'install'; path: string } | { type: 'restore'; path: string } | { type: 'remove'; path: string };

export type RecoveryPlan =
  | { action: 'roll-forward'; reapply: boolean; steps: RecoveryStep[]; reason: string }
  | { action: 'roll-back'; reapply: boolean; steps: RecoveryStep[]; reason: string }
  | { action: 'stuck'; reason: string };

export function planRecovery(phase: JournalPhase, files: readonly FileFacts[]): RecoveryPlan {
  const allNew = files.every((f) => f.currentSha === f.newSha);
  if (allNew && phase !== 'rolling-back') {
    return { action: 'roll-forward', reapply: true, steps: [], reason: `${phase}: every new file is in place` };
  }
  const back = rollBackSteps(files);
  const reapply = phase === 'rolling-back';
  if (back !== null) return { action: 'roll-back', reapply, steps: back, reason: `${phase}: ${allNew ? 'rolling back as the journal says' : 'not every new file is in place'}` };
  const forward = rollForwardSteps(files);
  if (forward !== null) return { action: 'roll-forward', reapply: true, steps: forward, reason: `${phase}: a backup is missing, so the swap is completed instead` };
  return { action: 'stuck', reason: `${phase}: neither the old nor the new files are complete (missing backup and staged file); journal kept for an operator` };
}

function rollBackSteps(files: readonly FileFacts[]): RecoveryStep[] | null {
  const steps: RecoveryStep[] = [];
  for (const f of files) {
    if (f.currentSha === f.oldSha) continue;
    if (f.oldSha === null) steps.push({ type: 'remove', path: f.path });
    else if (f.backupOk) steps.push({ type: 'restore', path: f.path });
    else return null;
  }
  return steps;
}

function rollForwardSteps(files: readonly FileFacts[]): RecoveryStep[] | null {
  const steps: RecoveryStep[] = [];
  for (const f of files) {
    if (f.currentSha === f.newSha) continue;
    if (!f.srcOk) return null;
    steps.push({ type: 'install', path: f.path });
  }
  return steps;
}

/** Structural check of a journal read from disk; never throws. */
export function isJournal(v: unknown): v is Journal {
  if (typeof v !== 'object' || v === null) return false;
  const j = v as Record<string, unknown>;
  return j.v === 1 && typeof j.id === 'string' && typeof j.service === 'string' && ['prepared', 'rolling-back'].includes(j.phase as string) && Array.isArray(j.files);
}
