/**
 * systemd units and system figures -> the feed's `systemd` and `system`
 * subtrees. Figures are rounded to what the page shows, so noise below
 * that does not produce deltas.
 */
import type { JsonObject } from './json';

const str = (v: unknown, d = ''): string => (typeof v === 'string' ? v : d);
const num = (v: unknown): number | null => (typeof v === 'number' && Number.isFinite(v) ? v : typeof v === 'bigint' ? Number(v) : null);
const round = (v: number, digits = 0): number => Math.round(v * 10 ** digits) / 10 ** digits;

/**
 * One unit, from the properties of org.freedesktop.systemd1.Unit and
 * org.freedesktop.systemd1.Service (NRestarts; absent for non-services).
 */
export function unitView(unit: Readonly<Record<string, unknown>>, service: Readonly<Record<string, unknown>>): JsonObject {
  return {
    load: str(unit.LoadState, 'unknown'),
    active: str(unit.ActiveState, 'unknown'),
    sub: str(unit.SubState, 'unknown'),
    restarts: num(service.NRestarts),
  };
}

/** The subset of systeminformation's answers statusd reads (fixtures use the same shape). */
export interface SystemSample {
  currentLoad?: { currentLoad?: number; avgLoad?: number; cpus?: unknown[] } | null;
  mem?: { total?: number; active?: number; available?: number; swaptotal?: number; swapused?: number } | null;
  fsSize?: { fs?: string; type?: string; mount?: string; size?: number; used?: number; use?: number }[] | null;
  time?: { uptime?: number } | null;
  cpuTemperature?: { main?: number | null; max?: number | null; cores?: (number | null)[] } | null;
}

const MIB = 2 ** 20;
const GIB = 2 ** 30;
/** Pseudo and container file systems nobody fills by accident. */
const HIDDEN_FS = /^(tmpfs|devtmpfs|overlay|squashfs|proc|sysfs|cgroup2?|ramfs|nsfs)$/;

export function systemView(s: SystemSample): JsonObject {
  const cpuPct = num(s.currentLoad?.currentLoad);
  const total = num(s.mem?.total);
  const used = num(s.mem?.active);
  const disks = (s.fsSize ?? [])
    .filter((d) => !HIDDEN_FS.test(str(d.type)) && str(d.mount) !== '')
    .map((d) => ({
      mount: str(d.mount),
      fs: str(d.fs),
      sizeGiB: round((num(d.size) ?? 0) / GIB, 1),
      usedPercent: round(num(d.use) ?? 0),
    }));
  const temps = s.cpuTemperature;
  const main = num(temps?.main);
  const max = num(temps?.max);
  return {
    cpu: {
      percent: cpuPct === null ? null : round(cpuPct),
      cores: Array.isArray(s.currentLoad?.cpus) ? s.currentLoad.cpus.length : null,
      load1: num(s.currentLoad?.avgLoad) === null ? null : round(num(s.currentLoad?.avgLoad) ?? 0, 2),
    },
    memory: {
      totalMiB: total === null ? null : round(total / MIB),
      usedMiB: used === null ? null : round(used / MIB),
      percent: total === null || used === null || total === 0 ? null : round((100 * used) / total),
    },
    disks,
    uptimeS: num(s.time?.uptime) === null ? null : Math.floor(num(s.time?.uptime) ?? 0),
    temperatureC: main === null && max === null ? null : { main: main === null ? null : round(main), max: max === null ? null : round(max) },
  };
}
