/**
 * Starts hbd in a unit's namespace under a scheduling variant: as deployed
 * (the systemd unit sets Nice=-10, here `nice -n -10`) or real-time
 * (`chrt -r 10`, SCHED_RR). `ip netns exec`, nice and chrt all exec, so the
 * spawned pid is hbd's node process itself, and every thread and child
 * (arping, ip) inherits the policy, as under systemd.
 *
 * Not SimPair.spawnIn: that records pids for teardown to SIGKILL, and a pid
 * reused by then would be killed. Everything started here lives in the
 * unit's namespace, which teardown empties by namespace.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { closeSync, mkdirSync, openSync } from 'node:fs';
import * as path from 'node:path';
import { run } from '../../scripts/sim/exec';
import type { SimPair, SimUnit } from '../../scripts/sim/pair';
import { repoRoot } from '../../services/runtime/cli';

/** How hbd is scheduled. */
export interface SchedVariant {
  /** As shown in the setting column. */
  label: string;
  /** The command line prefix. */
  wrap: readonly string[];
}

export const NICE_10: SchedVariant = { label: 'nice -10', wrap: ['nice', '-n', '-10'] };
export const CHRT_RR10: SchedVariant = { label: 'chrt -r 10', wrap: ['chrt', '-r', '10'] };

export const hbdMain = (): string => path.join(repoRoot(), 'dist', 'services', 'hbd', 'main.js');

/** One started hbd. */
export interface HbdProc {
  child: ChildProcess;
  pid: number;
  logFile: string;
  exited: Promise<number | null>;
}

export const isRunning = (p: HbdProc): boolean => p.child.exitCode === null && p.child.signalCode === null;

/** Starts hbd on `unit` with the config in `configDir`; output appended to DIR/<logName>.log. */
export function startHbd(pair: SimPair, unit: SimUnit, configDir: string, variant: SchedVariant, logName: string): HbdProc {
  const logFile = path.join(pair.dir, `${logName}.log`);
  const stateDir = path.join(unit.dir, 'hbd-state');
  mkdirSync(stateDir, { recursive: true });
  const fd = openSync(logFile, 'a');
  try {
    const args = ['netns', 'exec', unit.ns, ...variant.wrap, process.execPath, hbdMain(), '-c', configDir, '--node', unit.name, '--state-dir', stateDir];
    const child = spawn('ip', args, {
      stdio: ['ignore', fd, fd],
      env: { ...process.env, DBUS_SYSTEM_BUS_ADDRESS: unit.busAddress, LOG_LEVEL: 'info' },
    });
    child.on('error', () => undefined);
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    return { child, pid: child.pid ?? -1, logFile, exited };
  } finally {
    closeSync(fd);
  }
}

/** The unit's ExecStopPost: `hbd --release-vips`. */
export async function releaseVips(unit: SimUnit, configDir: string): Promise<void> {
  await run('ip', ['netns', 'exec', unit.ns, process.execPath, hbdMain(), '--release-vips', '-c', configDir, '--node', unit.name], {
    env: { ...process.env, DBUS_SYSTEM_BUS_ADDRESS: unit.busAddress },
  }).catch(() => undefined);
}

/** SIGTERM (hbd releases and tells the peer), SIGKILL after the grace time. */
export async function stopHbd(p: HbdProc, graceMs = 10_000): Promise<void> {
  if (!isRunning(p)) return;
  p.child.kill('SIGTERM');
  const t = setTimeout(() => p.child.kill('SIGKILL'), graceMs);
  await p.exited;
  clearTimeout(t);
}
