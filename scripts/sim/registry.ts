/**
 * What a simulated pair created, written down as it is created, so that a
 * crashed test's leftovers (namespaces, processes, files) can be found and
 * removed by the next run. Everything carries the prefix `lbsim-`.
 */
import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync, renameSync } from 'node:fs';
import * as path from 'node:path';
import { isAlive, runSync, tryRunSync } from './exec';

export const SIM_PREFIX = 'lbsim-';
export const REGISTRY_DIR = '/run/lbos-sim';

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
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // comm (field 2) may contain spaces: split after its closing parenthesis.
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19] ?? null;
  } catch {
    return null;
  }
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

/** Kill everything in the namespaces and the recorded processes, delete all. Synchronous: works in exit handlers. */
export function destroyRecord(rec: SimRecord): void {
  for (const ns of rec.namespaces) killNamespaceProcesses(ns);
  for (const p of rec.pids) if (processStart(p.pid) === p.start) killHard(p.pid);
  for (const ns of rec.namespaces) tryRunSync('ip', ['netns', 'del', ns]);
  rmSync(rec.dir, { recursive: true, force: true });
  rmSync(path.join(REGISTRY_DIR, `${rec.id}.json`), { force: true });
}

export function killNamespaceProcesses(ns: string): void {
  let pids: number[] = [];
  try {
    pids = runSync('ip', ['netns', 'pids', ns]).split(/\s+/).filter(Boolean).map(Number);
  } catch {
    return;
  }
  for (const pid of pids) killHard(pid);
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
  for (const rec of loadRecords()) {
    if (isAlive(rec.ownerPid)) {
      rec.namespaces.forEach((ns) => live.add(ns));
      continue;
    }
    destroyRecord(rec);
    cleaned++;
  }
  for (const ns of simNamespaces()) {
    if (live.has(ns)) continue;
    killNamespaceProcesses(ns);
    tryRunSync('ip', ['netns', 'del', ns]);
    cleaned++;
  }
  return cleaned;
}
