/**
 * Startup recovery: every transaction left in state_dir/staging by a crash
 * is finished one way or the other before csyncd listens, following
 * planRecovery (core/journal.ts). Unfinished uploads (no journal) are
 * deleted; stray copies beside targets too. Journals that cannot be
 * resolved are kept and reported (status red, TRANSACTION_STUCK).
 */
import type { Logger } from '../../runtime/log';
import { isJournal, planRecovery, type FileFacts, type Journal } from '../core/journal';
import type { Registry } from '../config/types';
import { sha256Of } from './safe-fs';
import { removeStrayCopies, runStep, syncDirsOf, type Transactions, type Txn } from './transaction';
import type { AuditLog } from './audit-log';

export interface RecoveryDeps {
  txns: Transactions;
  registry: Registry;
  audit: AuditLog;
  log: Logger;
  /** Record the journal's version as this unit's (roll forward). */
  recordVersion(j: Journal): Promise<void>;
  /** Run the service's apply command; resolves with its outcome. */
  apply(service: string): Promise<{ ok: boolean; output: string } | null>;
}

/** Returns the reasons of journals left stuck (empty when all is well). */
export async function recoverTransactions(d: RecoveryDeps): Promise<string[]> {
  const stuck: string[] = [];
  const live = new Set<string>();
  for (const txn of await d.txns.list()) {
    const raw = await txn.readJournal();
    if (raw === null) {
      d.log.info({ txn: txn.id }, 'removing an unfinished upload');
      await txn.remove(null);
      continue;
    }
    if (!isJournal(raw)) {
      stuck.push(`${txn.journalPath} is unreadable`);
      live.add(txn.id);
      continue;
    }
    const reason = await recoverOne(d, txn, raw);
    if (reason !== null) {
      stuck.push(reason);
      live.add(txn.id);
    }
  }
  const targets = d.registry.services.flatMap((s) => s.files);
  for (const p of await removeStrayCopies(targets, live)) d.log.info({ file: p }, 'removed a stray copy left by an interrupted push');
  return stuck;
}

async function recoverOne(d: RecoveryDeps, txn: Txn, j: Journal): Promise<string | null> {
  const facts: FileFacts[] = [];
  for (const f of j.files) {
    facts.push({
      path: f.path,
      oldSha: f.oldSha,
      newSha: f.newSha,
      currentSha: await sha256Of(f.path),
      backupOk: f.backup === null ? f.oldSha === null : (await sha256Of(f.backup)) === f.oldSha,
      srcOk: (await sha256Of(f.src)) === f.newSha,
    });
  }
  const plan = planRecovery(j.phase, facts);
  const log = d.log.child({ txn: j.id, service: j.service });
  if (plan.action === 'stuck') {
    log.error({ facts }, `cannot recover: ${plan.reason}`);
    await d.audit.append({ op: 'recover', who: 'startup', service: j.service, result: 'failed', code: 'TRANSACTION_STUCK', message: plan.reason });
    return `${j.service} (${txn.dir}): ${plan.reason}`;
  }
  for (const step of plan.steps) await runStep(step, j, j.id);
  await syncDirsOf(j.files.map((f) => f.path));
  if (plan.action === 'roll-forward') await d.recordVersion(j);
  const applied = plan.reapply ? await d.apply(j.service) : null;
  log.warn({ action: plan.action, steps: plan.steps, reason: plan.reason, apply: applied }, `recovered an interrupted push: ${plan.action}`);
  await d.audit.append({
    op: 'recover',
    who: 'startup',
    service: j.service,
    result: applied === null || applied.ok ? 'ok' : 'failed',
    action: plan.action,
    from: j.files.length === 1 ? (j.files[0]?.oldSha ?? null) : null,
    to: plan.action === 'roll-forward' ? j.version.sha256 : null,
    message: `${plan.reason}${applied === null ? '' : `; apply: ${applied.ok ? 'ok' : 'failed'} ${applied.output}`}`,
  });
  await txn.remove(j);
  return null;
}
