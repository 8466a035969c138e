/**
 * Detection with systeminformation (the dependency statusd already uses for
 * the same figures): model, serial, CPU, memory, sensors, disks, NICs and
 * virtualization. One shot; a figure that fails to read is left empty and
 * named in `failed`, the checks then say what is missing.
 */
import si from 'systeminformation';
import type { DetectedDisk, DetectedNic, HardwareFacts } from './facts';

async function safe<T>(what: string, failed: string[], fallback: T, f: () => Promise<T>): Promise<T> {
  try {
    return await f();
  } catch {
    failed.push(what);
    return fallback;
  }
}

/** systeminformation answers '-', 'Default string' and friends for "unknown". */
export function meaningful(text: string | undefined | null): string {
  const t = (text ?? '').trim();
  return /^(-|none|unknown|default string|to be filled by o\.e\.m\.|not specified|0+|system serial number)$/i.test(t) ? '' : t;
}

export async function detectHardware(): Promise<{ facts: HardwareFacts; failed: string[] }> {
  const failed: string[] = [];
  const [sys, cpu, mem, temp, blk, layout, nics] = await Promise.all([
    safe('system', failed, null, () => si.system()),
    safe('cpu', failed, null, () => si.cpu()),
    safe('memory', failed, null, () => si.mem()),
    safe('temperature', failed, null, () => si.cpuTemperature()),
    safe('block devices', failed, [], () => si.blockDevices()),
    safe('disk layout', failed, [], () => si.diskLayout()),
    safe('network interfaces', failed, [], async () => {
      const r = await si.networkInterfaces();
      return Array.isArray(r) ? r : [r];
    }),
  ]);
  const temps = [temp?.main, ...(temp?.cores ?? [])].filter((v): v is number => typeof v === 'number' && Number.isFinite(v));
  const disks: DetectedDisk[] = blk
    .filter((b) => b.type === 'disk' || b.type === 'loop')
    .map((b) => {
      const l = layout.find((d) => d.device === b.device);
      return { device: b.device ?? `/dev/${b.name}`, name: b.name, type: b.type, sizeBytes: b.size, model: meaningful(l?.name ?? b.model), serial: meaningful(l?.serialNum ?? b.serial) };
    });
  const nicList: DetectedNic[] = nics
    .filter((n) => !n.internal)
    .map((n) => ({ name: n.iface, mac: n.mac, operstate: n.operstate, speedMbps: typeof n.speed === 'number' && n.speed > 0 ? n.speed : null, virtual: n.virtual }));
  const facts: HardwareFacts = {
    manufacturer: meaningful(sys?.manufacturer),
    model: meaningful(sys?.model),
    serial: meaningful(sys?.serial),
    cpu: { brand: cpu?.brand ?? '', cores: cpu?.cores ?? 0, physicalCores: cpu?.physicalCores ?? 0 },
    memoryBytes: mem?.total ?? 0,
    temperatures: temps,
    disks,
    nics: nicList,
    virtual: sys?.virtual ?? false,
    hypervisor: (sys?.virtualHost ?? '').toLowerCase(),
  };
  return { facts, failed };
}
