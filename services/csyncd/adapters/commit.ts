/**
 * The decisive part of an incoming push, under the lock: compare with what
 * this unit runs (conflict?), validate the staged copy, swap the files in
 * (journal, renames, fsync), apply, and on an apply failure put the old
 * files back and apply them again. Every outcome is audited.
 */
import { promises as fs } from 'node:fs';
import { performance } from 'node:perf_hooks';
import type { Logger } from '../../runtime/log';
import type { CsyncdSettings, Registry, ServiceDef } from '../config/types';
import { unifiedDiff } from '../core/diff';
import type { PushHeader } from '../core/push-frame';
import type { OpReply } from '../core/protocol';
import { acceptedVersion, decidePush, observeLocal, versionLabel, type ServiceMeta } from '../core/version';
import type { AuditLog } from './audit-log';
import { expandArgs, runCommand, type CommandResult } from './command-runner';
import type { MetaStore } from './meta-store';
import type { Mutex } from './mutex';
import type { Peer } from './ssh-caller';
import { stagedIdentity, type ServiceFiles, type ServiceSnapshot } from './service-files';
import type { StagedFile, Transactions, Txn } from './transaction';
import type { Journal } from '../core/journal';

export interface CommitDeps {
  settings: () => CsyncdSettings;
  registry: () => Registry;
  files: ServiceFiles;
  meta: MetaStore;
  txns: Transactions;
  audit: AuditLog;
  lock: Mutex;
  log: Logger;
  /** Something changed: refresh the published status. */
  changed: () => void;
}

const MAX_DIFF_FILE = 4 * 1024 * 1024;

export async function commitPush(d: CommitDeps, def: ServiceDef, h: PushHeader, txn: Txn, staged: StagedFile[], who: Peer): Promise<OpReply> {
  const audit = { op: 'push-in' as const, who: { ...who, node: h.from }, service: def.name, to: h.version.sha256 };
  let journal: Journal | null = null;
  const t0 = performance.now();
  const ms = (): number => Math.round(performance.now() - t0);
  try {
    return await d.lock.run(async () => {
      // Digests come from the (inode, size, mtime, ctime) cache: no re-read of a 10 MB file that did not change.
      const current = await d.files.digest(def);
      const observed = observeLocal(await d.meta.get(def.name), current.hash, d.settings().localNode);
      const meta: ServiceMeta = observed.meta;
      if (observed.changed) await d.meta.put(def.name, meta);
      const decision = decidePush({ current: current.hash, synced: meta.synced?.sha256 ?? null, expect: h.expect?.sha256 ?? null, incoming: h.version.sha256, force: h.force });
      const from = current.hash;
      if (decision.verdict === 'unchanged') {
        await d.meta.put(def.name, { ...meta, synced: meta.version });
        await d.audit.append({ ...audit, from, result: 'unchanged' });
        return { ok: true, result: 'unchanged', version: meta.version, validateOutput: '', applyOutput: '' };
      }
      if (decision.verdict === 'conflict') {
        const diff = await diffOf(await d.files.snapshot(def), staged, d.settings().localNode, h.from);
        const message = `${def.name}: CONFLICT: ${decision.reason} (here ${versionLabel(meta.version)}, last synced ${meta.synced === null ? 'never' : versionLabel(meta.synced)}; the push expected ${versionLabel(h.expect)}). Nothing was changed; push --force to overwrite.\n${diff}`;
        await d.audit.append({ ...audit, from, result: 'refused', code: 'CONFLICT', message: decision.reason });
        return { ok: false, code: 'CONFLICT', message, diff };
      }
      const tv = performance.now();
      const validated = await validate(def, h, staged);
      const validateMs = Math.round(performance.now() - tv);
      if (validated !== null && !validated.ok) {
        await d.audit.append({ ...audit, from, result: 'refused', code: 'VALIDATE_FAILED', message: validated.output });
        return { ok: false, code: 'VALIDATE_FAILED', message: `${def.name}: the peer's validator refused the configuration (${describe(validated)}); nothing was changed:\n${validated.output}`, output: validated.output };
      }
      const version = acceptedVersion(meta.version, h.version);
      journal = await txn.prepare(def.name, version, staged, new Map(current.files.map((f) => [f.path, f.sha256])));
      const identities = await Promise.all(staged.map((s) => stagedIdentity(s.staged)));
      await txn.commit(journal);
      for (const [k, s] of staged.entries()) await d.files.learn(s.path, s.sha256, identities[k] ?? null);
      const ta = performance.now();
      const applied = def.apply === null ? null : await runCommand(def.apply, { timeoutMs: def.timeoutMs, env: { CSYNCD_SERVICE: def.name, CSYNCD_PHASE: 'apply' } });
      const applyMs = Math.round(performance.now() - ta);
      if (applied !== null && !applied.ok) {
        await txn.rollBack(journal);
        d.files.invalidate(def.files);
        const again = await runCommand(def.apply ?? [], { timeoutMs: def.timeoutMs, env: { CSYNCD_SERVICE: def.name, CSYNCD_PHASE: 'reapply-old' } });
        await d.audit.append({ ...audit, op: 'rollback', from, result: 'failed', code: 'APPLY_FAILED', message: applied.output, reapply: again.ok ? 'ok' : again.output });
        await txn.remove(journal);
        journal = null;
        const note = again.ok ? 'the previous files were restored and applied again' : `the previous files were restored, but applying them again failed too (${describe(again)}):\n${again.output}`;
        return { ok: false, code: 'APPLY_FAILED', message: `${def.name}: apply failed on the peer (${describe(applied)}); ${note}\n${applied.output}`, output: applied.output };
      }
      await d.meta.put(def.name, { version, synced: version });
      await Promise.all([txn.remove(journal), d.audit.append({ ...audit, from, result: 'ok', version: versionLabel(version), force: h.force })]);
      journal = null;
      d.log.info({ service: def.name, from: who, version: versionLabel(version), commitMs: ms(), validateMs, applyMs }, 'push applied');
      return { ok: true, result: 'applied', version, validateOutput: validated?.output ?? '', applyOutput: applied?.output ?? '' };
    });
  } catch (err) {
    if (journal !== null) await rescue(d, def, txn, journal, err);
    throw err;
  } finally {
    // Without a journal nothing was touched: the staged files just go.
    if (journal === null) await txn.remove(null).catch(() => undefined);
    d.changed();
  }
}

/** An unexpected error after the journal was written: put the old files back now, or leave it to startup recovery. */
async function rescue(d: CommitDeps, def: ServiceDef, txn: Txn, j: Journal, err: unknown): Promise<void> {
  d.log.error({ err, service: def.name, txn: txn.id }, 'push failed half-way; rolling back');
  try {
    await txn.rollBack(j);
    d.files.invalidate(def.files);
    if (def.apply !== null) await runCommand(def.apply, { timeoutMs: def.timeoutMs, env: { CSYNCD_SERVICE: def.name, CSYNCD_PHASE: 'reapply-old' } });
    await txn.remove(j);
  } catch (again) {
    d.log.error({ err: again, txn: txn.dir }, 'rollback failed too; the journal is kept and the next start recovers it');
  }
}

/** Run validate on the staged copy of the service's first file; null when there is no validator. */
async function validate(def: ServiceDef, h: PushHeader, staged: StagedFile[]): Promise<CommandResult | null> {
  if (def.validate === null) return null;
  const main = staged.find((s) => s.path === def.files[0]) ?? staged[0];
  const dir = main === undefined ? '' : main.staged.slice(0, main.staged.lastIndexOf('/'));
  return runCommand(expandArgs(def.validate, { file: main?.staged ?? '', dir, service: def.name }), { timeoutMs: def.timeoutMs, env: { CSYNCD_SERVICE: def.name, CSYNCD_PHASE: 'validate', CSYNCD_FROM_NODE: String(h.from) } });
}

function describe(r: CommandResult): string {
  if (r.timedOut) return 'timed out';
  return r.code === null ? `killed by ${r.signal ?? 'a signal'}` : `exit ${r.code}`;
}

async function diffOf(snap: ServiceSnapshot, staged: StagedFile[], here: number, from: number): Promise<string> {
  const parts: string[] = [];
  for (const cur of snap.files) {
    const s = staged.find((x) => x.path === cur.path);
    if (s === undefined || s.sha256 === cur.sha256) continue;
    const size = (await fs.stat(s.staged)).size;
    if (size > MAX_DIFF_FILE || (cur.content?.length ?? 0) > MAX_DIFF_FILE) {
      parts.push(`--- ${cur.path}: larger than 4 MiB; sha256 here ${cur.sha256 ?? '(missing)'}, pushed ${s.sha256}\n`);
      continue;
    }
    parts.push(unifiedDiff({ label: `${cur.path} (node ${here}, running)`, content: cur.content }, { label: `${cur.path} (pushed by node ${from})`, content: await fs.readFile(s.staged) }));
  }
  return parts.join('');
}
