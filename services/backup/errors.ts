/**
 * lbos-backup's error codes (README "Exit codes and errors"): each AppError
 * carries the exit code its command ends with.
 */
import { AppError } from '../runtime/errors';
import { EXIT, type ExitCode } from '../runtime/exit-codes';

export const BACKUP_ERRORS = {
  USAGE: EXIT.USAGE,
  /** Not an archive, damaged, altered, a refused path, a wrong passphrase: the input is wrong. */
  NOT_AN_ARCHIVE: EXIT.DATA,
  ARCHIVE_DAMAGED: EXIT.DATA,
  ARCHIVE_REFUSED: EXIT.DATA,
  BAD_PASSPHRASE: EXIT.DATA,
  PASSPHRASE_NEEDED: EXIT.USAGE,
  /** create: a file of the unit cannot be archived (not a regular file, unreadable). */
  UNIT_FILE_BAD: EXIT.DATA,
  /** A service's own check refused a file of the archive. */
  CHECK_REFUSED: EXIT.CONFIG,
  /** A service's check could not run (its binary is missing, timed out). */
  CHECK_UNAVAILABLE: EXIT.UNAVAILABLE,
  /** The files were restored, but a reload or restart failed. */
  UNIT_ACTION_FAILED: EXIT.FAILURE,
  /** Writing failed (disk full...): what was written is named. */
  WRITE_FAILED: EXIT.FAILURE,
} as const satisfies Record<string, ExitCode>;

export type BackupErrorCode = keyof typeof BACKUP_ERRORS;

/** An error whose message may span several lines (one problem per line). */
export function backupError(code: BackupErrorCode, message: string, cause?: unknown): AppError {
  return new AppError(code, message, { exit: BACKUP_ERRORS[code] }, cause === undefined ? undefined : { cause });
}
