/**
 * What a simulated pair created, written down as it is created, so that a
 * crashed test's leftovers (namespaces, processes, files) can be found and
 * removed by the next run. Everything carries the prefix `lbsim-`.
 */
import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync, renameSync } from 'node:fs';
import * as path from 'node:path';
import { isAlive, runSync, tryRunSync } from './exec';
import { AppError } from '../../services/runtime/errors';

export const SIM_PREFIX = 'lbsim-';
export const REGISTRY_DIR = '/run/lbos-sim';
/** How long teardown waits for SIGKILLed processes to be gone (a process in uninterruptible sleep dies when it wakes). */
export const KILL_WAIT_MS = 10_000;

/** One simulated setup's resources. */
export interface SimRecord {
  id: string;
  ownerPid: number;
  dir: string;
  namespaces: string[];
  /** Processes outside the namespaces (socat, dbus-daemon), with their start time so a reused pid is never killed. */
  pids: TrackedPid[];
}

export interface TrackedPid {
  pid: number;
  /** Field 22 of /proc/PID/stat (clock ticks since boot). */
  start: string;
}

/** The start time of a live process, or null. */
export function processStart(pid: number): string | null {
  return readProc(pid)?.start ?? null;
}

export function saveRecord(rec: SimRecord): void {
  mkdirSync(REGISTRY_DIR, { recursive: true });
  const file = path.join(REGISTRY_DIR, `${rec.id}.json`);
  writeFileSync(`${file}.tmp`, JSON.stringify(rec));
  renameSync(`${file}.tmp`, file);
}

function loadRecords(): SimRecord[] {
  let names: string[] = [];
  try {
    names = readdirSync(REGISTRY_DIR).filter((n) => n.endsWith('.json'));
  } catch {
    return [];
  }
  return names.flatMap((n) => {
    try {
      return [JSON.parse(readFileSync(path.join(REGISTRY_DIR, n), 'utf8')) as SimRecord];
    } catch {
      return [];
    }
  });
}

/**
 * Kill everything in the namespaces and the recorded processes, wait until
 * they are gone, delete all. Synchronous: works in exit handlers. Throws
 * TEARDOWN_INCOMPLETE naming every process still running after KILL_WAIT_MS
 * (the rest is removed anyway; the record stays so that the next run's
 * cleanLeftovers() tries again).
 */
export function destroyRecord(rec: SimRecord, waitMs = KILL_WAIT_MS): void {
  const targets = [...rec.namespaces.flatMap(namespacePids), ...rec.pids.filter((p) => processStart(p.pid) === p.start)];
  for (const p of targets) killHard(p.pid);
  const survivors = waitGone(targets, waitMs);
  for (const ns of rec.namespaces) tryRunSync('ip', ['netns', 'del', ns]);
  rmSync(rec.dir, { recursive: true, force: true });
  if (survivors.length > 0) throw teardownIncomplete(rec.id, survivors, waitMs);
  rmSync(path.join(REGISTRY_DIR, `${rec.id}.json`), { force: true });
}

/** SIGKILL every process of a namespace and wait until they are gone (throws like destroyRecord). */
export function killNamespaceProcesses(ns: string, waitMs = KILL_WAIT_MS): void {
  const targets = namespacePids(ns);
  for (const p of targets) killHard(p.pid);
  const survivors = waitGone(targets, waitMs);
  if (survivors.length > 0) throw teardownIncomplete(ns, survivors, waitMs);
}

function namespacePids(ns: string): TrackedPid[] {
  let pids: number[] = [];
  try {
    pids = runSync('ip', ['netns', 'pids', ns]).split(/\s+/).filter(Boolean).map(Number);
  } catch {
    return [];
  }
  return pids.flatMap((pid) => {
    const start = processStart(pid);
    return start === null ? [] : [{ pid, start }];
  });
}

/** A process still running after teardown's wait, as `ps` would name it. */
export interface Survivor {
  pid: number;
  /** Field 3 of /proc/PID/stat: R, S, D (uninterruptible), T... */
  state: string;
  comm: string;
}

/** What /proc says of a process: null when it is gone or is another process now (pid reused). */
export type ProcReader = (pid: number) => { start: string; state: string; comm: string } | null;

export const readProc: ProcReader = (pid) => {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const close = stat.lastIndexOf(')');
    const rest = stat.slice(close + 2).split(' ');
    return { comm: stat.slice(stat.indexOf('(') + 1, close), state: rest[0] ?? '?', start: rest[19] ?? '' };
  } catch {
    return null;
  }
};

/**
 * Wait until none of `targets` runs; returns those still running after `waitMs`.
 * A zombie counts as gone: it runs no more, and its parent (often this very
 * process, whose event loop cannot reap it during a synchronous wait) reaps it.
 */
export function waitGone(targets: readonly TrackedPid[], waitMs: number, read: ProcReader = readProc, sleep: (ms: number) => void = sleepSync, now: () => number = Date.now): Survivor[] {
  const end = now() + waitMs;
  for (;;) {
    const running = targets.flatMap((t) => {
      const p = read(t.pid);
      return p === null || p.start !== t.start || p.state === 'Z' || p.state === 'X' ? [] : [{ pid: t.pid, state: p.state, comm: p.comm }];
    });
    if (running.length === 0 || now() >= end) return running;
    sleep(10);
  }
}

export function teardownIncomplete(what: string, survivors: readonly Survivor[], waitMs: number): AppError {
  const list = survivors.map((s) => `${s.pid} (${s.comm}, state ${s.state})`).join(', ');
  return new AppError('TEARDOWN_INCOMPLETE', `${what}: still running ${waitMs} ms after SIGKILL: ${list}`, { survivors });
}

function sleepSync(ms: number): void {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}

function killHard(pid: number): void {
  try {
    process.kill(pid, 'SIGKILL');
  } catch {
    /* already gone */
  }
}

/** Names of namespaces that look like ours. */
export function simNamespaces(): string[] {
  try {
    return runSync('ip', ['netns', 'list'])
      .split('\n')
      .map((l) => l.split(' ')[0] ?? '')
      .filter((n) => n.startsWith(SIM_PREFIX));
  } catch {
    return [];
  }
}

/** Remove what dead owners left behind; returns how many setups were cleaned. */
export function cleanLeftovers(): number {
  let cleaned = 0;
  const live = new Set<string>();
  const failures: string[] = [];
  for (const rec of loadRecords()) {
    if (isAlive(rec.ownerPid)) {
      rec.namespaces.forEach((ns) => live.add(ns));
      continue;
    }
    try {
      destroyRecord(rec);
    } catch (err) {
      failures.push((err as Error).message);
    }
    cleaned++;
  }
  for (const ns of simNamespaces()) {
    if (live.has(ns)) continue;
    try {
      killNamespaceProcesses(ns);
    } catch (err) {
      failures.push((err as Error).message);
    }
    tryRunSync('ip', ['netns', 'del', ns]);
    cleaned++;
  }
  if (failures.length > 0) throw new AppError('TEARDOWN_INCOMPLETE', failures.join('; '));
  return cleaned;
}
