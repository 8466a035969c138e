/**
 * CPU busy percentage from two readings of /proc/stat, without spawning a
 * process (systeminformation's currentLoad runs `cat /proc/stat | grep cpu`
 * through a shell at every sample: ~0.2 s of CPU each time on a slow box).
 */

/** Jiffies of one CPU line ("cpu" is the sum; "cpu0".. the cores). */
export interface CpuTimes {
  busy: number;
  total: number;
}

export interface ProcStat {
  all: CpuTimes;
  cores: CpuTimes[];
}

/** Parse the `cpu` lines of /proc/stat; null when there is none. */
export function parseProcStat(text: string): ProcStat | null {
  let all: CpuTimes | null = null;
  const cores: CpuTimes[] = [];
  for (const line of text.split('\n')) {
    const m = /^cpu(\d*)\s+(.*)$/.exec(line);
    if (m === null) continue;
    const f = (m[2] ?? '').trim().split(/\s+/).map(Number);
    // user nice system idle iowait irq softirq steal (guest is inside user)
    const [user = 0, nice = 0, system = 0, idle = 0, iowait = 0, irq = 0, softirq = 0, steal = 0] = f;
    if (![user, nice, system, idle].every(Number.isFinite)) continue;
    const busy = user + nice + system + irq + softirq + steal;
    const times = { busy, total: busy + idle + iowait };
    if (m[1] === '') all = times;
    else cores.push(times);
  }
  return all === null ? null : { all, cores };
}

/** Busy share of the interval, 0..100; since boot when there is no earlier reading. */
export function busyPercent(prev: CpuTimes | undefined, now: CpuTimes): number {
  const dTotal = now.total - (prev?.total ?? 0);
  const dBusy = now.busy - (prev?.busy ?? 0);
  if (dTotal <= 0) return 0;
  return Math.min(100, Math.max(0, (100 * dBusy) / dTotal));
}

/** The `currentLoad` part of a SystemSample from two readings (load1: the 1-minute load average). */
export function currentLoad(prev: ProcStat | null, now: ProcStat, load1: number): { currentLoad: number; avgLoad: number; cpus: { load: number }[] } {
  return {
    currentLoad: busyPercent(prev?.all, now.all),
    avgLoad: load1,
    cpus: now.cores.map((c, i) => ({ load: busyPercent(prev?.cores[i], c) })),
  };
}
