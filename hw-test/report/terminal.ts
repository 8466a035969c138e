/** What the technician sees: one progress line per check and a summary table. */
import type { Check, CheckResult } from '../checks/types';
import type { RunReport } from './model';

const WORD = { pass: 'PASS', fail: 'FAIL', skip: 'SKIP' } as const;

export function startLine(check: Check, index: number, total: number): string {
  const n = String(total).length;
  return `[${String(index + 1).padStart(n)}/${total}] ${check.id} ...`;
}

export function resultLine(r: CheckResult, index: number, total: number): string {
  const n = String(total).length;
  return `[${String(index + 1).padStart(n)}/${total}] ${WORD[r.status]} ${r.id}: ${r.reason} (${formatMs(r.durationMs)})`;
}

export function formatMs(ms: number): string {
  return ms < 1000 ? `${Math.round(ms)} ms` : `${(ms / 1000).toFixed(1)} s`;
}

function truncate(s: string, n: number): string {
  return s.length <= n ? s : `${s.slice(0, n - 1)}…`;
}

/** The closing table: every check, its status and reason; failures repeated at the end. */
export function summaryTable(report: RunReport, width = 100): string {
  const idW = Math.min(40, Math.max(5, ...report.checks.map((c) => c.id.length)));
  const reasonW = Math.max(20, width - idW - 10);
  const rule = '-'.repeat(idW + reasonW + 10);
  const rows = report.checks.map((c) => `${c.id.padEnd(idW)}  ${WORD[c.status]}  ${truncate(c.reason, reasonW)}`);
  const s = report.summary;
  const verdict = s.fail === 0 ? 'PASSED' : 'FAILED';
  const out = [
    rule,
    `${'check'.padEnd(idW)}  ${'    '}  result`,
    rule,
    ...rows,
    rule,
    `${verdict}: ${s.pass} passed, ${s.fail} failed, ${s.skip} skipped  (${report.unit.model}, serial ${report.unit.serial || 'unknown'})`,
  ];
  const failed = report.checks.filter((c) => c.status === 'fail');
  if (failed.length > 0) out.push('', 'Failed:', ...failed.map((c) => `  ${c.id}: ${c.reason}`));
  return out.join('\n');
}
