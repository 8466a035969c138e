/**
 * Worker thread body of the system source. Posts one SystemSample per
 * interval. systeminformation spawns shells for what are file reads on Linux
 * (`cat /proc/stat | grep cpu`, `date`, the thermal zones): about ten
 * processes per sample, 18 % of a vCPU at idle on an emulated appliance. So
 * CPU load comes from /proc/stat here (core/proc-stat.ts), uptime from
 * os.uptime(), and the figures that change slowly (temperatures, disks) are
 * asked of systeminformation every SLOW_EVERY-th sample only. In a worker,
 * what still blocks stalls this thread, never the feed.
 */
import { readFileSync } from 'node:fs';
import * as os from 'node:os';
import { parentPort, workerData } from 'node:worker_threads';
import si from 'systeminformation';
import { currentLoad, parseProcStat, type ProcStat } from '../core/proc-stat';
import type { SystemSample } from '../core/system-views';

const SLOW_EVERY = 6;

/** What the worker posts: the sample, and figures that failed (named once each). */
export interface WorkerMessage {
  sample: SystemSample;
  failed: string[];
}

async function safe<T>(what: string, failed: string[], f: () => Promise<T> | T): Promise<T | null> {
  try {
    return await f();
  } catch {
    failed.push(what);
    return null;
  }
}

function readProcStat(): ProcStat {
  const stat = parseProcStat(readFileSync('/proc/stat', 'utf8'));
  if (stat === null) throw new Error('/proc/stat has no cpu line');
  return stat;
}

async function loop(intervalMs: number): Promise<void> {
  let disks: SystemSample['fsSize'] = null;
  let temps: SystemSample['cpuTemperature'] = null;
  let prevStat: ProcStat | null = null;
  for (let round = 0; ; round++) {
    const failed: string[] = [];
    const slow = round % SLOW_EVERY === 0;
    const stat = await safe('cpu', failed, readProcStat);
    const [mem, tempsNow, disksNow] = await Promise.all([
      safe('memory', failed, () => si.mem()),
      slow ? safe('temperature', failed, () => si.cpuTemperature()) : Promise.resolve(temps),
      slow ? safe('disks', failed, () => si.fsSize()) : Promise.resolve(disks),
    ]);
    disks = disksNow as SystemSample['fsSize'];
    temps = tempsNow as SystemSample['cpuTemperature'];
    const load = stat === null ? null : currentLoad(prevStat, stat, os.loadavg()[0] ?? 0);
    prevStat = stat ?? prevStat;
    const sample: SystemSample = { currentLoad: load, mem, time: { uptime: os.uptime() }, cpuTemperature: temps, fsSize: disks };
    const msg: WorkerMessage = { sample, failed };
    parentPort?.postMessage(msg);
    await new Promise((r) => setTimeout(r, intervalMs));
  }
}

if (parentPort !== null) void loop(Number((workerData as { intervalMs?: number } | null)?.intervalMs ?? 5000));
