/**
 * The audit log: one JSON line per push, apply, rollback, save and key
 * exchange in state_dir/audit.log, appended with O_APPEND (one write(2) per
 * line) and fsync'ed before the operation is reported done. Lines are
 * capped so a huge validator output cannot bloat the log.
 */
import { constants, promises as fs } from 'node:fs';
import * as path from 'node:path';

export type AuditOp = 'push-out' | 'push-in' | 'apply' | 'rollback' | 'recover' | 'save' | 'save-remote' | 'genkey' | 'getkey' | 'passwd';

export interface AuditEntry {
  op: AuditOp;
  /** Who asked: "dbus" (csyncctl), "auto-sync", or the SSH peer ({user, key, addr}). */
  who: string | Record<string, unknown>;
  service?: string;
  result: 'ok' | 'unchanged' | 'refused' | 'failed';
  code?: string;
  from?: string | null;
  to?: string | null;
  message?: string;
  [k: string]: unknown;
}

const MAX_LINE = 8192;

export class AuditLog {
  private chain: Promise<void> = Promise.resolve();
  constructor(readonly file: string, private readonly now: () => Date = () => new Date()) {}

  /** Append one entry; resolves once it is on disk. Never rejects (a log problem must not fail a push). */
  append(entry: AuditEntry): Promise<void> {
    const next = this.chain.then(() => this.write(entry)).catch(() => undefined);
    this.chain = next;
    return next;
  }

  private async write(entry: AuditEntry): Promise<void> {
    let line = JSON.stringify({ ts: this.now().toISOString(), ...entry });
    if (line.length > MAX_LINE) line = JSON.stringify({ ts: this.now().toISOString(), ...entry, message: `${String(entry.message ?? '').slice(0, MAX_LINE / 2)}… (truncated)` });
    await fs.mkdir(path.dirname(this.file), { recursive: true, mode: 0o700 });
    const h = await fs.open(this.file, constants.O_WRONLY | constants.O_APPEND | constants.O_CREAT, 0o600);
    try {
      await h.write(`${line}\n`);
      await h.sync();
    } finally {
      await h.close();
    }
  }
}
