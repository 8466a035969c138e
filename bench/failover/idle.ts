/**
 * Memory and CPU of a daemon at rest: RSS is VmRSS from /proc/PID/status
 * summed over the daemon's processes, sampled once a second; CPU is the
 * growth of utime+stime (/proc/PID/stat, clock ticks) over the whole window,
 * for the processes alive at both ends, as a share of one core. At 1 s
 * timers a daemon may use no whole tick in 30 s, so the scheduler's own run
 * time (/proc/PID/schedstat, nanoseconds) is kept beside it.
 */
import { readFileSync } from 'node:fs';
import { runSync, sleep } from '../../scripts/sim/exec';
import type { SimUnit } from '../../scripts/sim/pair';
import { daemonProcs, type ProcRef } from '../../scripts/sim/netns-procs';

const SAMPLE_EVERY_MS = 1_000;

/** What one unit's daemon used while idle. */
export interface UnitUsage {
  /** Summed VmRSS per sample, MiB. */
  rssMiB: number[];
  cpuPercent: number;
  /** Clock ticks used in the window, to judge the CPU figure's resolution. */
  ticks: number;
  tickMs: number;
  /** On-CPU time in the window from /proc/PID/schedstat, ms. */
  runMs: number;
  /** runMs as a share of one core, %. */
  runPercent: number;
  /** Process count at the start of the window, with their names. */
  procs: string;
}

let clkTck = 0;
function ticksPerSecond(): number {
  if (clkTck === 0) clkTck = Number(runSync('getconf', ['CLK_TCK']).trim()) || 100;
  return clkTck;
}

function rssKiB(pid: number): number {
  try {
    const m = /^VmRSS:\s+(\d+) kB/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) : 0;
  } catch {
    return 0;
  }
}

/** utime+stime of a process in clock ticks, or undefined once it is gone. */
function cpuTicks(pid: number): number | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Fields after "(comm)"; comm may hold spaces, so split after the last ')'. utime is field 14, stime 15.
    const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return Number(f[11]) + Number(f[12]);
  } catch {
    return undefined;
  }
}

/** Time on CPU in nanoseconds (first field of schedstat), or undefined once gone. */
function runNs(pid: number): number | undefined {
  try {
    return Number(readFileSync(`/proc/${pid}/schedstat`, 'utf8').split(' ')[0]);
  } catch {
    return undefined;
  }
}

/** Sum over pids of (after - before), for those readable at both ends. */
function growth(before: ReadonlyMap<number, number | undefined>, read: (pid: number) => number | undefined): number {
  let sum = 0;
  for (const [pid, b] of before) {
    const a = read(pid);
    if (b !== undefined && a !== undefined) sum += a - b;
  }
  return sum;
}

function describe(procs: readonly ProcRef[]): string {
  const count = new Map<string, number>();
  for (const p of procs) count.set(p.comm, (count.get(p.comm) ?? 0) + 1);
  return [...count].map(([c, n]) => `${n} ${c}`).join(', ');
}

/** Measures both units over the same window. */
export async function measureIdle(units: readonly SimUnit[], comms: readonly string[], windowMs: number): Promise<UnitUsage[]> {
  const procs = units.map((u) => daemonProcs(u.ns, comms));
  const startTicks = procs.map((ps) => new Map(ps.map((p) => [p.pid, cpuTicks(p.pid)])));
  const startRun = procs.map((ps) => new Map(ps.map((p) => [p.pid, runNs(p.pid)])));
  const t0 = performance.now();
  const rss: number[][] = units.map(() => []);
  while (performance.now() - t0 < windowMs) {
    units.forEach((u, i) => rss[i]?.push(daemonProcs(u.ns, comms).reduce((s, p) => s + rssKiB(p.pid), 0) / 1024));
    await sleep(Math.min(SAMPLE_EVERY_MS, Math.max(0, windowMs - (performance.now() - t0))));
  }
  const seconds = (performance.now() - t0) / 1000;
  return units.map((_, i) => {
    const ticks = growth(startTicks[i] ?? new Map(), cpuTicks);
    const runMs = growth(startRun[i] ?? new Map(), runNs) / 1e6;
    return {
      rssMiB: rss[i] ?? [],
      cpuPercent: (100 * ticks) / ticksPerSecond() / seconds,
      ticks,
      tickMs: 1000 / ticksPerSecond(),
      runMs,
      runPercent: (100 * runMs) / 1000 / seconds,
      procs: describe(procs[i] ?? []),
    };
  });
}
