/**
 * The processes of one simulated unit (same network-namespace inode, the way
 * `ip netns pids` finds them, without forking), and a kill of what a crashed
 * daemon left behind.
 */
import { readdirSync, readFileSync, readlinkSync, statSync } from 'node:fs';
import { sleep } from './exec';
import { AppError } from '../../services/runtime/errors';

/** One process: its pid and kernel name (comm, at most 15 characters). */
export interface ProcRef {
  pid: number;
  comm: string;
}

/** How long a SIGKILLed process set may take to vanish from /proc. */
const REAP_TIMEOUT_MS = 5_000;

/** Every process in the network namespace `ns`. */
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

/** The daemon's processes in `ns`: those whose comm is one of `comms`. */
export function daemonProcs(ns: string, comms: readonly string[]): ProcRef[] {
  return procsInNetns(ns).filter((p) => comms.includes(p.comm));
}

export function signal(pid: number, sig: NodeJS.Signals): void {
  try {
    process.kill(pid, sig);
  } catch {
    /* already gone */
  }
}

/**
 * Crash a process set as one: SIGSTOP all first, so that no member can react
 * to another's death (keepalived's VRRP child would send a priority-0 advert
 * when its parent dies, Heartbeat's children would log and exit), then
 * SIGKILL all. The caller timestamps right before calling.
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

/** The simulation kit's own processes, never ours to kill. */
const KIT_COMMS = ['dbus-daemon', 'socat'];

/** SIGKILL everything we started in `ns` (daemons, their children, their scripts) until none is left. */
export async function killAllIn(ns: string): Promise<void> {
  const kit = new Set(procsInNetns(ns).filter((p) => KIT_COMMS.includes(p.comm)).map((p) => p.pid));
  await killLeftovers(ns, kit);
}
