/**
 * Worker thread body of the system source. Posts one SystemSample per
 * interval. It spawns no process: systeminformation runs shells for what
 * are file reads on Linux (`cat /proc/stat | grep cpu`, `date`, `cat
 * /proc/mounts`, `df`, a loop over hwmon), and every spawn forks the whole
 * statusd process, whose event loop stalled with it (up to 200 ms with
 * 1,000 feed clients) — not something a worker thread can hide. So CPU
 * load comes from /proc/stat (core/proc-stat.ts), uptime from os.uptime(),
 * disks from /proc/self/mounts + statfs(2) and temperatures from hwmon and
 * the thermal zones (core/disks-temps.ts); memory from systeminformation (a
 * read of /proc/meminfo). Disks and temperatures change
 * slowly: read every SLOW_EVERY-th sample.
 */
import { readdirSync, readFileSync, statfsSync } from 'node:fs';
import * as os from 'node:os';
import { parentPort, workerData } from 'node:worker_threads';
import si from 'systeminformation';
import { cpuTemperature, diskFigures, parseMounts, type TempReading } from '../core/disks-temps';
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

/** Every data file system this process sees, with its statfs figures (one unreadable mount is left out). */
function readDisks(): NonNullable<SystemSample['fsSize']> {
  return parseMounts(readFileSync('/proc/self/mounts', 'utf8')).flatMap((m) => {
    try {
      return [diskFigures(m, statfsSync(m.mount))];
    } catch {
      return [];
    }
  });
}

const readText = (file: string): string | null => {
  try {
    return readFileSync(file, 'utf8').trim();
  } catch {
    return null;
  }
};
const list = (dir: string): string[] => {
  try {
    return readdirSync(dir);
  } catch {
    return [];
  }
};

/** hwmon temp*_input (chip name, label) and thermal zones (type). */
function readTemperatures(): SystemSample['cpuTemperature'] {
  const readings: TempReading[] = [];
  for (const h of list('/sys/class/hwmon')) {
    const dir = `/sys/class/hwmon/${h}`;
    const chip = readText(`${dir}/name`) ?? '';
    for (const f of list(dir).filter((x) => /^temp\d+_input$/.test(x))) {
      const milliC = Number(readText(`${dir}/${f}`));
      readings.push({ source: 'hwmon', chip, label: readText(`${dir}/${f.replace('_input', '_label')}`) ?? '', milliC });
    }
  }
  for (const z of list('/sys/class/thermal').filter((x) => x.startsWith('thermal_zone'))) {
    const dir = `/sys/class/thermal/${z}`;
    readings.push({ source: 'thermal', chip: readText(`${dir}/type`) ?? '', label: '', milliC: Number(readText(`${dir}/temp`)) });
  }
  return cpuTemperature(readings);
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
      slow ? safe('temperature', failed, readTemperatures) : Promise.resolve(temps),
      slow ? safe('disks', failed, readDisks) : Promise.resolve(disks),
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
