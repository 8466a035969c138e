/**
 * Worker thread body of the system source: systeminformation on Linux runs
 * execSync (cat /proc/stat, date, the thermal zones, /proc/mounts), which
 * would stall the feed for milliseconds at every sample. Here it only
 * stalls this thread. Posts one SystemSample per interval; disks every 6th.
 */
import { parentPort, workerData } from 'node:worker_threads';
import si from 'systeminformation';
import type { SystemSample } from '../core/system-views';

const DISK_EVERY = 6;

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

async function loop(intervalMs: number): Promise<void> {
  let disks: SystemSample['fsSize'] = null;
  for (let round = 0; ; round++) {
    const failed: string[] = [];
    const [currentLoad, mem, time, cpuTemperature, disksNow] = await Promise.all([
      safe('cpu', failed, () => si.currentLoad()),
      safe('memory', failed, () => si.mem()),
      safe('uptime', failed, () => si.time()),
      safe('temperature', failed, () => si.cpuTemperature()),
      round % DISK_EVERY === 0 ? safe('disks', failed, () => si.fsSize()) : Promise.resolve(disks),
    ]);
    disks = disksNow as SystemSample['fsSize'];
    const msg: WorkerMessage = { sample: { currentLoad, mem, time, cpuTemperature, fsSize: disks }, failed };
    parentPort?.postMessage(msg);
    await new Promise((r) => setTimeout(r, intervalMs));
  }
}

if (parentPort !== null) void loop(Number((workerData as { intervalMs?: number } | null)?.intervalMs ?? 5000));
