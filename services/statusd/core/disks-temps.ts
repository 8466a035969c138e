/**
 * Disks and temperatures from the kernel's own files, without spawning a
 * process: systeminformation's fsSize and cpuTemperature run `cat
 * /proc/mounts`, `df` and a shell loop over hwmon. Each spawn forks the
 * whole statusd process (1,000 feed sockets, ~120 MB), and its event loop
 * stalled for up to 200 ms every 30 s with them (bench/statusd.ts, fan-out
 * max; most likely the fork's page-table copy and copy-on-write faults).
 * Pure parsing here; adapters/system-sampler.ts reads the files
 * and calls statfs(2).
 */
import type { SystemSample } from './system-views';

export interface Mount {
  fs: string;
  type: string;
  mount: string;
}

/** File systems that hold data on a device (pseudo, network and overlay ones are left out). */
const DATA_FS = /^(ext[234]|xfs|btrfs|vfat|exfat|f2fs|zfs|jfs|reiserfs|ntfs3?|fuseblk)$/;

/** /proc/self/mounts: octal escapes (\040 for a space) undone. */
const unescape = (s: string): string => s.replace(/\\([0-7]{3})/g, (_, o: string) => String.fromCharCode(parseInt(o, 8)));

/** The data file systems of a mounts table, first mount of each mount point. */
export function parseMounts(text: string): Mount[] {
  const seen = new Set<string>();
  const out: Mount[] = [];
  for (const line of text.split('\n')) {
    const [fs, mount, type] = line.split(' ');
    if (fs === undefined || mount === undefined || type === undefined || !DATA_FS.test(type)) continue;
    const m = unescape(mount);
    if (seen.has(m)) continue;
    seen.add(m);
    out.push({ fs: unescape(fs), type, mount: m });
  }
  return out;
}

/** statfs(2) figures of one mount (fs.statfsSync). */
export interface StatFs {
  bsize: number;
  blocks: number;
  bfree: number;
  bavail: number;
}

/** One disk as the view reads it; "use" as df computes it (used of what a user may fill). */
export function diskFigures(m: Mount, s: StatFs): NonNullable<SystemSample['fsSize']>[number] {
  const size = s.blocks * s.bsize;
  const used = (s.blocks - s.bfree) * s.bsize;
  const avail = s.bavail * s.bsize;
  const use = used + avail === 0 ? 0 : Math.round((1000 * used) / (used + avail)) / 10;
  return { fs: m.fs, type: m.type, mount: m.mount, size, used, use };
}

/** One temperature input: hwmon (chip name + label) or a thermal zone (its type). */
export interface TempReading {
  source: 'hwmon' | 'thermal';
  /** hwmon: chip name (coretemp, k10temp, ...); thermal: zone type (x86_pkg_temp, acpitz, ...). */
  chip: string;
  /** hwmon: the input's label (Package id 0, Core 0, Tctl, ...); thermal: ''. */
  label: string;
  milliC: number;
}

/** CPU chips of hwmon and thermal zones that mean the CPU package. */
const CPU_CHIP = /^(coretemp|k10temp|zenpower|cpu_thermal|x86_pkg_temp)$/;
const PACKAGE_LABEL = /^(Package id \d+|Tctl|Tdie|Physical id \d+)$/;

/**
 * main: the CPU package (coretemp "Package id", k10temp Tctl/Tdie), else the
 * average of the CPU cores, else the first thermal zone; max: the hottest
 * sane reading; cores: the "Core N" inputs. Null when there is no sensor
 * (a virtual machine usually has none).
 */
export function cpuTemperature(readings: readonly TempReading[]): SystemSample['cpuTemperature'] {
  const sane = readings.filter((r) => Number.isFinite(r.milliC) && r.milliC > -40_000 && r.milliC < 150_000);
  if (sane.length === 0) return null;
  const c = (r: TempReading): number => Math.round(r.milliC / 100) / 10;
  const cpu = sane.filter((r) => CPU_CHIP.test(r.chip));
  const cores = cpu.filter((r) => /^Core \d+$/.test(r.label)).map(c);
  const pkg = cpu.find((r) => PACKAGE_LABEL.test(r.label) || (r.source === 'thermal' && r.chip === 'x86_pkg_temp'));
  const avgCores = cores.length === 0 ? null : Math.round((10 * cores.reduce((a, b) => a + b, 0)) / cores.length) / 10;
  const firstZone = sane.find((r) => r.source === 'thermal') ?? (sane[0] as TempReading);
  const main = pkg !== undefined ? c(pkg) : (avgCores ?? c(firstZone));
  return { main, max: Math.max(...sane.map(c)), cores };
}
