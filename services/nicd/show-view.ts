/** Plain-text rendering of `nicctl show` and of an apply reply (pure; fits 80 columns where it can). */
import type { NicdStatusView } from './publish';
import type { InterfaceView } from './core/link-events';

const pad = (s: string, n: number): string => (s.length >= n ? `${s} ` : s.padEnd(n));

function speedText(v: InterfaceView): string {
  if (v.speedMbps === null) return '-';
  const s = v.speedMbps >= 1000 && v.speedMbps % 1000 === 0 ? `${v.speedMbps / 1000}G` : `${v.speedMbps}M`;
  return v.duplex === null ? s : `${s}/${v.duplex}`;
}

/** "in 42 s at 12:34:56" for a wall-clock deadline. */
export function deadlineText(untilWallMs: number, nowWallMs: number): string {
  const secs = Math.max(0, Math.round((untilWallMs - nowWallMs) / 1000));
  return `in ${secs} s, at ${new Date(untilWallMs).toTimeString().slice(0, 8)}`;
}

export function renderShow(v: NicdStatusView, nowWallMs: number): string {
  const out: string[] = [];
  const src = v.source === 'factory-default' ? `factory default (no ${v.configFile} yet)` : v.configFile;
  out.push(`Configuration: generation ${v.generation}, ${src}`);
  if (v.pendingGeneration > 0 && v.state === 'pending') {
    out.push(`Pending:       generation ${v.pendingGeneration} runs unconfirmed; rolls back ${deadlineText(v.pendingUntilWallMs, nowWallMs)}`);
    out.push('               keep it: nicctl confirm    undo it now: nicctl rollback');
  } else if (v.state !== 'idle') {
    out.push(`State:         ${v.state}`);
  }
  if (v.lastResult !== '') out.push(`Last change:   ${v.lastResult}`);
  out.push(`Management:    ${v.managementInterface || '(no NIC)'}`, '');
  const owned = new Set(v.owned.addresses);
  out.push(`${pad('IFACE', 11)}${pad('KIND', 7)}${pad('STATE', 8)}${pad('CARRIER', 8)}${pad('MTU', 6)}${pad('SPEED', 10)}${pad('MAC', 18)}ADDRESSES`);
  for (const i of v.interfaces) {
    const addrs = i.addresses.map((a) => (owned.has(`${i.name}|${a}`) ? a : `${a}*`));
    out.push(`${pad(i.name, 11)}${pad(i.kind, 7)}${pad(i.adminUp ? i.operstate : 'down', 8)}${pad(i.carrier ? 'yes' : 'no', 8)}${pad(String(i.mtu), 6)}${pad(speedText(i), 10)}${pad(i.mac, 18)}${addrs.join(' ') || '-'}`);
  }
  out.push('', '* not configured by nicd (floating IPs, link-local, added by hand): nicd leaves these alone');
  return `${out.join('\n')}\n`;
}

export interface ApplyReplyView {
  generation: number;
  steps: string[];
  pending: boolean;
  pendingUntilWallMs: number;
}

export function renderApply(r: ApplyReplyView, nowWallMs: number, dryRun = false): string {
  const out: string[] = [];
  const n = r.steps.length;
  if (dryRun) out.push(n === 0 ? 'nothing to change' : `${n} change(s) would be made:`);
  else out.push(n === 0 ? `generation ${r.generation}: nothing to change` : `generation ${r.generation} applied: ${n} change(s)`);
  for (const s of r.steps) out.push(`  ${s}`);
  if (r.pending) {
    out.push(`Not confirmed yet: it rolls back ${deadlineText(r.pendingUntilWallMs, nowWallMs)} unless you run \`nicctl confirm\`.`);
    out.push('`nicctl rollback` undoes it now.');
  }
  return `${out.join('\n')}\n`;
}
