/**
 * The processes of one simulated unit (same network-namespace inode, the way
 * `ip netns pids` finds them, without forking), and a kill of what a crashed
 * daemon left behind.
 */
import { readdirSync, readFileSync, readlinkSync, statSync } from 'node:fs';
import { sleep } from '../../scripts/sim/exec';
import { AppError } from '../../services/runtime/errors';

export interface ProcRef {
  pid: number;
  comm: string;
}

const REAP_TIMEOUT_MS = 5_000;

export function procsInNetns(ns: string): ProcRef[] {
  const want = `net:[${statSync(`/run/netns/${ns}`).ino}]`;
  const out: ProcRef[] = [];
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      if (readlinkSync(`/proc/${name}/ns/net`) !== want) continue;
      out.push({ pid: Number(name), comm: readFileSync(`/proc/${name}/comm`, 'utf8').trim() });
    } catch {
      /* exited while we looked */
    }
  }
  return out;
}

export function signal(pid: number, sig: NodeJS.Signals): void {
  try {
    process.kill(pid, sig);
  } catch {
    /* already gone */
  }
}

/**
 * Crash a process set as one: SIGSTOP all, then SIGKILL all, so no member
 * reacts to another's death (Heartbeat's children would log and exit).
 */
export function crash(procs: readonly ProcRef[]): void {
  for (const p of procs) signal(p.pid, 'SIGSTOP');
  for (const p of procs) signal(p.pid, 'SIGKILL');
}

/**
 * SIGKILL what is left in `ns` of the daemons we started (their scripts,
 * arping), never the watchers whose pids are in `keep`.
 */
export async function killLeftovers(ns: string, keep: ReadonlySet<number>): Promise<void> {
  const end = Date.now() + REAP_TIMEOUT_MS;
  for (;;) {
    const left = procsInNetns(ns).filter((p) => !keep.has(p.pid));
    if (left.length === 0) return;
    crash(left);
    if (Date.now() > end) throw new AppError('LEFTOVER_PROCESSES', `${ns}: still running after SIGKILL: ${left.map((p) => `${p.pid} ${p.comm}`).join(', ')}`);
    await sleep(20);
  }
}
