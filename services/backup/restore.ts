/**
 * lbos-backup restore, in the order that keeps a refused restore from
 * changing anything:
 *
 *   read whole -> decode (passphrase) -> check archive (format, paths, sha256,
 *   allow-list) -> select (--only) -> each owning service's check on a staged
 *   copy -> [dry run stops here] -> write all files (two phases) -> report
 *   -> reload/restart the owning units (a separate step, its own exit code)
 */
import { promises as fs } from 'node:fs';
import type { Category } from './core/catalog';
import { decodeArchive } from './core/codec';
import { checkArchive, type CheckedArchive } from './core/manifest';
import { formatActions, formatSteps, planFiles, selectFiles, staleAfter, unitActions, type FileStep, type UnitAction } from './core/plan';
import { runServiceChecks, type CheckResult } from './adapters/service-checks';
import { applyFiles, currentFiles } from './adapters/unit-files';
import { runUnitActions, type ActionResult } from './adapters/systemctl';
import { backupError } from './errors';

export interface RestoreOptions {
  root: string;
  binDir: string;
  archive: string;
  dryRun: boolean;
  only: ReadonlySet<Category> | null;
  /** Asked only when the archive is encrypted. */
  passphrase: () => Promise<string>;
  /** Run the unit actions (false: only print them). */
  restartUnits: boolean;
  systemctl?: string;
}

export interface RestoreResult {
  archive: CheckedArchive;
  checks: CheckResult[];
  steps: FileStep[];
  stale: string[];
  actions: UnitAction[];
  /** null when the actions were not run. */
  actionResults: ActionResult[] | null;
}

const MAX_ARCHIVE_BYTES = 256 * 1024 * 1024;

/** Reads, decodes and checks an archive; throws the refusal with every problem. */
export async function loadArchive(file: string, passphrase: () => Promise<string>): Promise<CheckedArchive> {
  let bytes: Buffer;
  try {
    const st = await fs.stat(file);
    if (!st.isFile()) throw new Error('not a regular file');
    if (st.size > MAX_ARCHIVE_BYTES) throw new Error(`${st.size} bytes, more than an archive can be`);
    bytes = await fs.readFile(file);
  } catch (err) {
    throw backupError('NOT_AN_ARCHIVE', `${file}: cannot read: ${(err as Error).message}`, err);
  }
  let v = decodeArchive(bytes, null);
  if (!v.ok && v.code === 'PASSPHRASE_NEEDED') v = decodeArchive(bytes, await passphrase());
  if (!v.ok) throw backupError(v.code === 'PASSPHRASE_NEEDED' ? 'PASSPHRASE_NEEDED' : v.code, `${file}: ${v.message}`);
  let raw: unknown;
  try {
    raw = JSON.parse(v.json);
  } catch {
    throw backupError('ARCHIVE_DAMAGED', `${file}: the manifest is not JSON`);
  }
  const checked = checkArchive(raw, v.encrypted);
  if (!checked.ok) throw backupError('ARCHIVE_REFUSED', `${file}: archive refused:\n${checked.problems.map((p) => `  ${p}`).join('\n')}`);
  return checked.archive;
}

export async function restoreArchive(o: RestoreOptions): Promise<RestoreResult> {
  const archive = await loadArchive(o.archive, o.passphrase);
  const restoring = selectFiles(archive.files, o.only);
  const steps = planFiles(restoring, await currentFiles(o.root, restoring.map((f) => f.path)));
  const checks = await runServiceChecks({ root: o.root, binDir: o.binDir, restoring, archive: archive.files });
  const refused = checks.filter((c) => c.verdict === 'refused');
  const unavailable = checks.filter((c) => c.verdict === 'unavailable');
  if (refused.length > 0 || unavailable.length > 0) {
    const lines = [...formatChecks(checks), 'nothing was changed'];
    throw backupError(refused.length > 0 ? 'CHECK_REFUSED' : 'CHECK_UNAVAILABLE', `restore refused by ${[...refused, ...unavailable].map((c) => c.name).join(', ')}:\n${lines.join('\n')}`);
  }
  // A stale file is removed only when there is one to remove.
  const stale: string[] = [];
  for (const p of staleAfter(steps)) if ((await currentFiles(o.root, [p])).get(p) != null) stale.push(p);
  const actions = unitActions(steps);
  if (o.dryRun) return { archive, checks, steps, stale, actions, actionResults: null };
  await applyFiles(o.root, steps, stale);
  const actionResults = o.restartUnits && actions.length > 0 ? await runUnitActions(actions, o.systemctl) : null;
  return { archive, checks, steps, stale, actions, actionResults };
}

export function formatChecks(checks: readonly CheckResult[]): string[] {
  const out: string[] = [];
  for (const c of checks) {
    out.push(`  ${c.verdict.padEnd(11)}  ${c.name}`);
    if (c.verdict !== 'ok' && c.detail !== '') out.push(...c.detail.split('\n').map((l) => `               ${l}`));
  }
  return out;
}

export function formatRestore(r: RestoreResult, o: Pick<RestoreOptions, 'dryRun' | 'root' | 'restartUnits'>): string[] {
  const d = r.archive.doc;
  const counts = (s: string): number => r.steps.filter((x) => x.status === s).length;
  const lines = [
    `archive of ${d.hostname}, made ${d.created} by ${d.product.name} ${d.product.version}${d.withKeys ? ', with keys' : ''}: ${r.archive.files.length} files, ${r.steps.length} selected`,
    'checks:',
    ...formatChecks(r.checks),
    'files:',
    ...formatSteps(r.steps, o.dryRun),
    ...r.stale.map((p) => `  ${o.dryRun ? 'would be removed' : 'removed  '}  ${p}  (statusd's initial password: the restored users file replaces admin's)`),
    `${o.dryRun ? 'dry run: nothing written' : `restored into ${o.root}`}: ${counts('changed')} changed, ${counts('added')} added, ${counts('unchanged')} unchanged`,
  ];
  if (r.actions.length === 0) {
    lines.push('units: nothing to reload or restart');
    return lines;
  }
  if (r.actionResults === null) {
    const why = o.dryRun ? 'dry run' : o.root !== '/' ? `--root ${o.root} is not this unit's root` : '--no-restart';
    lines.push(`units (not run: ${why}; run these to take the files in):`, ...formatActions(r.actions));
  } else {
    lines.push('units:');
    for (const a of r.actionResults) lines.push(`  ${a.ok ? 'ok    ' : 'FAILED'}  systemctl ${a.action.verb} ${a.action.unit}${a.ok ? '' : `: ${a.detail}`}`);
  }
  return lines;
}
