/**
 * Detection with systeminformation (the dependency statusd already uses for
 * the same figures): model, serial, CPU, memory, sensors, disks, NICs and
 * virtualization. One shot; a figure that fails to read is left empty and
 * named in `failed`, the checks then say what is missing. `factsFrom` is the
 * pure mapping, tested on recorded dumps (detect/__fixtures__).
 */
import si from 'systeminformation';
import type { DetectedDisk, DetectedNic, HardwareFacts } from './facts';

/** systeminformation's answers as detection gathers them (null: that call failed). */
export interface SiDump {
  system: si.Systeminformation.SystemData | null;
  cpu: si.Systeminformation.CpuData | null;
  mem: si.Systeminformation.MemData | null;
  temperature: si.Systeminformation.CpuTemperatureData | null;
  blockDevices: si.Systeminformation.BlockDevicesData[];
  diskLayout: si.Systeminformation.DiskLayoutData[];
  networkInterfaces: si.Systeminformation.NetworkInterfacesData[];
}

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

export function factsFrom(d: SiDump): HardwareFacts {
  const { system: sys, cpu, mem, temperature: temp } = d;
  const temps = [temp?.main, ...(temp?.cores ?? [])].filter((v): v is number => typeof v === 'number' && Number.isFinite(v));
  const disks: DetectedDisk[] = d.blockDevices
    .filter((b) => b.type === 'disk' || b.type === 'loop')
    .map((b) => {
      const l = d.diskLayout.find((x) => x.device === b.device);
      return { device: b.device ?? `/dev/${b.name}`, name: b.name, type: b.type, sizeBytes: b.size, model: meaningful(l?.name ?? b.model), serial: meaningful(l?.serialNum ?? b.serial) };
    });
  const nics: DetectedNic[] = d.networkInterfaces
    .filter((n) => !n.internal)
    .map((n) => ({ name: n.iface, mac: n.mac, operstate: n.operstate, speedMbps: typeof n.speed === 'number' && n.speed > 0 ? n.speed : null, virtual: n.virtual }));
  return {
    manufacturer: meaningful(sys?.manufacturer),
    model: meaningful(sys?.model),
    serial: meaningful(sys?.serial),
    cpu: { brand: cpu?.brand ?? '', cores: cpu?.cores ?? 0, physicalCores: cpu?.physicalCores ?? 0 },
    memoryBytes: mem?.total ?? 0,
    temperatures: temps,
    disks,
    nics,
    virtual: sys?.virtual ?? false,
    hypervisor: (sys?.virtualHost ?? '').toLowerCase(),
  };
}

export async function detectHardware(): Promise<{ facts: HardwareFacts; failed: string[] }> {
  const failed: string[] = [];
  const [system, cpu, mem, temperature, blockDevices, diskLayout, networkInterfaces] = await Promise.all([
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
  return { facts: factsFrom({ system, cpu, mem, temperature, blockDevices, diskLayout, networkInterfaces }), failed };
}
