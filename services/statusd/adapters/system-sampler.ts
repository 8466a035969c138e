/**
 * One round of system figures, read in statusd's own process with
 * asynchronous file and statfs calls (libuv's thread pool): nothing here
 * blocks the feed's event loop, and no process is spawned. systeminformation
 * runs shells for what are file reads on Linux (`cat /proc/stat | grep cpu`,
 * `df`, a loop over hwmon), and every spawn forks the whole statusd process
 * (stalls of up to 200 ms with 1,000 feed clients). So CPU load comes from
 * /proc/stat (core/proc-stat.ts), uptime from os.uptime(), disks from
 * /proc/self/mounts + statfs(2) and temperatures from hwmon and the thermal
 * zones (core/disks-temps.ts); memory from systeminformation (a read of
 * /proc/meminfo), loaded at the first sample, not at start-up. Disks and
 * temperatures change slowly: read every SLOW_EVERY-th sample.
 *
 * This used to run in a worker thread: a second V8 instance cost ~3 s of CPU
 * at every boot of the emulated appliance, and 2-3 % of a CPU afterwards, to
 * guard against blocking calls that are no longer made.
 */
import { readdir, readFile, statfs } from 'node:fs/promises';
import * as os from 'node:os';
import { cpuTemperature, diskFigures, parseMounts, type TempReading } from '../core/disks-temps';
import { currentLoad, parseProcStat, type ProcStat } from '../core/proc-stat';
import type { SystemSample } from '../core/system-views';

const SLOW_EVERY = 6;

/** One sample and the figures that failed in it (the caller names each once). */
export interface SampleResult {
  sample: SystemSample;
  failed: string[];
}

async function safe<T>(what: string, failed: string[], f: () => Promise<T>): Promise<T | null> {
  try {
    return await f();
  } catch {
    failed.push(what);
    return null;
  }
}

async function readProcStat(): Promise<ProcStat> {
  const stat = parseProcStat(await readFile('/proc/stat', 'utf8'));
  if (stat === null) throw new Error('/proc/stat has no cpu line');
  return stat;
}

/** Every data file system this process sees, with its statfs figures (one unreadable mount is left out). */
async function readDisks(): Promise<NonNullable<SystemSample['fsSize']>> {
  const mounts = parseMounts(await readFile('/proc/self/mounts', 'utf8'));
  const figures = await Promise.all(mounts.map(async (m) => {
    try {
      return [diskFigures(m, await statfs(m.mount))];
    } catch {
      return [];
    }
  }));
  return figures.flat();
}

const readText = async (file: string): Promise<string | null> => {
  try {
    return (await readFile(file, 'utf8')).trim();
  } catch {
    return null;
  }
};
const list = async (dir: string): Promise<string[]> => {
  try {
    return await readdir(dir);
  } catch {
    return [];
  }
};

/** hwmon temp*_input (chip name, label) and thermal zones (type). */
async function readTemperatures(): Promise<SystemSample['cpuTemperature']> {
  const readings: TempReading[] = [];
  for (const h of await list('/sys/class/hwmon')) {
    const dir = `/sys/class/hwmon/${h}`;
    const chip = (await readText(`${dir}/name`)) ?? '';
    for (const f of (await list(dir)).filter((x) => /^temp\d+_input$/.test(x))) {
      const milliC = Number(await readText(`${dir}/${f}`));
      readings.push({ source: 'hwmon', chip, label: (await readText(`${dir}/${f.replace('_input', '_label')}`)) ?? '', milliC });
    }
  }
  for (const z of (await list('/sys/class/thermal')).filter((x) => x.startsWith('thermal_zone'))) {
    const dir = `/sys/class/thermal/${z}`;
    readings.push({ source: 'thermal', chip: (await readText(`${dir}/type`)) ?? '', label: '', milliC: Number(await readText(`${dir}/temp`)) });
  }
  return cpuTemperature(readings);
}

async function readMemory(): Promise<SystemSample['mem']> {
  // Loaded at the first sample, not at start-up (esbuild keeps a nested require lazy).
  const si = require('systeminformation') as typeof import('systeminformation');
  return si.mem();
}

/** Keeps what one sample needs from the previous ones (CPU counters, the slow figures). */
export class SystemSampler {
  private round = 0;
  private prevStat: ProcStat | null = null;
  private disks: SystemSample['fsSize'] = null;
  private temps: SystemSample['cpuTemperature'] = null;

  async sample(): Promise<SampleResult> {
    const failed: string[] = [];
    const slow = this.round % SLOW_EVERY === 0;
    this.round += 1;
    const [stat, mem, temps, disks] = await Promise.all([
      safe('cpu', failed, readProcStat),
      safe('memory', failed, readMemory),
      slow ? safe('temperature', failed, readTemperatures) : Promise.resolve(this.temps),
      slow ? safe('disks', failed, readDisks) : Promise.resolve(this.disks),
    ]);
    this.disks = disks;
    this.temps = temps;
    const load = stat === null ? null : currentLoad(this.prevStat, stat, os.loadavg()[0] ?? 0);
    this.prevStat = stat ?? this.prevStat;
    return { sample: { currentLoad: load, mem, time: { uptime: os.uptime() }, cpuTemperature: temps, fsSize: disks }, failed };
  }
}
