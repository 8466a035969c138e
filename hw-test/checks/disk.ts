/**
 * Disk checks: `disk.DEV.present` (a block device of at least min-size),
 * `disk.DEV.smart` (smartctl's overall health where the disk supports SMART)
 * and `disk.DEV.read` (a bounded direct read from the start of the disk).
 */
import * as path from 'node:path';
import { directRead, probeBlockDevice, smartctlJson } from '../adapters/disk';
import type { DiskSpec } from '../profile/types';
import { fail, pass, skip, type Check, type Measurements, type Outcome } from './types';

const GiB = 2 ** 30;
const fmtSize = (b: number): string => (b >= GiB ? `${(b / GiB).toFixed(1)} GiB` : `${(b / 2 ** 20).toFixed(0)} MiB`);

/** The parts of smartctl -j this check reads. */
interface SmartJson {
  smartctl?: { exit_status?: number; messages?: { string?: string; severity?: string }[] };
  model_name?: string;
  serial_number?: string;
  smart_support?: { available?: boolean; enabled?: boolean };
  smart_status?: { passed?: boolean };
  power_on_time?: { hours?: number };
  temperature?: { current?: number };
  ata_smart_attributes?: { table?: { id?: number; raw?: { value?: number }; when_failed?: string; name?: string }[] };
  nvme_smart_health_information_log?: { media_errors?: number; percentage_used?: number; critical_warning?: number };
}

/** smartctl exit status bit 3: "SMART status check returned DISK FAILING". */
const DISK_FAILING = 8;

export function judgeSmart(device: string, mode: DiskSpec['smart'], raw: unknown): Outcome {
  const j = (raw ?? {}) as SmartJson;
  const attr = (id: number): number | null => j.ata_smart_attributes?.table?.find((a) => a.id === id)?.raw?.value ?? null;
  const m: Measurements = {
    smartctl_exit_status: j.smartctl?.exit_status ?? null,
    model: j.model_name ?? null,
    disk_serial: j.serial_number ?? null,
    power_on_hours: j.power_on_time?.hours ?? null,
    temperature_c: j.temperature?.current ?? null,
    reallocated_sectors: attr(5),
    pending_sectors: attr(197),
    nvme_media_errors: j.nvme_smart_health_information_log?.media_errors ?? null,
    nvme_percentage_used: j.nvme_smart_health_information_log?.percentage_used ?? null,
  };
  const passed = j.smart_status?.passed;
  const failing = ((j.smartctl?.exit_status ?? 0) & DISK_FAILING) !== 0 || passed === false;
  if (failing) {
    const bad = (j.ata_smart_attributes?.table ?? []).filter((a) => (a.when_failed ?? '') !== '').map((a) => a.name ?? `#${a.id}`);
    return fail(`${device}: SMART health check FAILED${bad.length > 0 ? ` (${bad.join(', ')})` : ''}: replace the disk`, m);
  }
  if (passed === true) return pass(`SMART health PASSED${j.model_name === undefined ? '' : ` (${j.model_name})`}`, m);
  const why =
    j.smart_support?.available === true && j.smart_support.enabled === false
      ? 'SMART is disabled on the disk (smartctl -s on)'
      : (j.smartctl?.messages ?? []).map((x) => x.string ?? '').filter((s) => s !== '').join('; ') || 'smartctl reports no health status';
  return mode === 'required' ? fail(`${device}: SMART required but not available: ${why}`, m) : skip(`SMART not supported by this device: ${why}`, m);
}

export function diskChecks(spec: DiskSpec, devRoot: string): Check[] {
  const dev = path.join(devRoot, spec.device);
  const missing = `${dev} is not there (disk not detected: cable, controller or BIOS setting)`;
  const checks: Check[] = [
    {
      id: `disk.${spec.device}.present`,
      group: 'disk',
      timeoutMs: 10_000,
      run: async () => {
        const b = await probeBlockDevice(dev);
        if (b === null) return fail(missing);
        const m = { device: dev, kernel_name: b.kernelName, size_bytes: b.sizeBytes, min_size_bytes: spec.minBytes };
        if (b.sizeBytes < spec.minBytes) return fail(`${dev} is ${fmtSize(b.sizeBytes)}, smaller than ${fmtSize(spec.minBytes)}: wrong disk fitted`, m);
        return pass(`${b.kernelName}, ${fmtSize(b.sizeBytes)}`, m);
      },
    },
  ];
  if (spec.smart !== 'off') {
    checks.push({
      id: `disk.${spec.device}.smart`,
      group: 'disk',
      timeoutMs: 30_000,
      run: async () => {
        if ((await probeBlockDevice(dev)) === null) return fail(missing);
        return judgeSmart(dev, spec.smart, await smartctlJson(dev, 25_000));
      },
    });
  }
  if (spec.readBytes > 0) {
    // At least 5 MB/s, plus room for a busy machine.
    const timeoutMs = Math.ceil(10_000 + spec.readBytes / 5000);
    checks.push({
      id: `disk.${spec.device}.read`,
      group: 'disk',
      timeoutMs: timeoutMs + 5000,
      run: async () => {
        const b = await probeBlockDevice(dev);
        if (b === null) return fail(missing);
        const r = await directRead(dev, Math.min(spec.readBytes, b.sizeBytes), timeoutMs);
        const mbps = Math.round((r.bytes / 2 ** 20 / (r.ms / 1000)) * 10) / 10;
        return pass(`read ${fmtSize(r.bytes)} at ${mbps} MiB/s`, { device: dev, bytes_read: r.bytes, read_ms: Math.round(r.ms), read_mib_per_s: mbps });
      },
    });
  }
  return checks;
}
