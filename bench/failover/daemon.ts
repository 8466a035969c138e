/**
 * The contract every measured HA daemon implements for the failover bench:
 * write its configuration for a timing, start it on one unit, and say how
 * long its peer needs to notice a crash. The bench treats all three systems
 * through this interface only, so they get the same trial procedure.
 */
import { existsSync, readFileSync } from 'node:fs';
import type { SimPair, SimProcess, SimUnit } from '../../scripts/sim/pair';

export type SystemName = 'hbd' | 'keepalived' | 'heartbeat';

/** Heartbeat-style timers; keepalived reads keepaliveMs as advert_int. */
export interface Timing {
  keepaliveMs: number;
  deadtimeMs: number;
}

/** A daemon started on a unit (the part of the kit's SimProcess the bench uses). */
export type DaemonProc = Pick<SimProcess, 'child' | 'logFile'>;

/** How the bench configures, starts and times one HA system; one implementation per system. */
export interface DaemonDriver {
  readonly system: SystemName;
  /** Kernel names (comm) of the daemon's long-lived processes: what RSS and CPU are summed over. */
  readonly comms: readonly string[];
  /** Writes both units' configuration; throws with the reason when the system cannot run here. */
  prepare(pair: SimPair, timing: Timing): void;
  start(pair: SimPair, unit: SimUnit): DaemonProc;
  /** Nominal time from the active's last heartbeat to the standby declaring it dead. */
  detectionMs(timing: Timing): number;
}

/**
 * Starts a process inside a unit's namespace with the kit's spawnIn, output to
 * DIR/<logName>.log. Everything it starts stays in the unit's namespace, which
 * Series.stopAll(), teardown and the next run's cleanLeftovers() empty.
 */
export function spawnInUnit(pair: SimPair, unit: SimUnit, cmd: string, args: string[], logName: string, env: NodeJS.ProcessEnv = {}): DaemonProc {
  return pair.spawnIn(unit.ns, cmd, args, { env, logName });
}

export const isRunning = (p: DaemonProc): boolean => p.child.exitCode === null && p.child.signalCode === null;

/** The last lines a daemon wrote, for a failure note. */
export function logTail(p: DaemonProc, lines = 2): string {
  if (!existsSync(p.logFile)) return '(no output)';
  const text = readFileSync(p.logFile, 'utf8').trim();
  if (text === '') return '(no output)';
  return text.split('\n').slice(-lines).join(' | ').slice(0, 300);
}

/** ha.cf-style duration: whole seconds bare (as Heartbeat 1 configs write them), else milliseconds. */
export function haDuration(ms: number): string {
  return ms % 1000 === 0 ? String(ms / 1000) : `${ms}ms`;
}
