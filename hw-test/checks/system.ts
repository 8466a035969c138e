/**
 * Checks on what detection found: `memory.size`, `memory.test` (only with
 * --memtest SIZE), `cpu.count`, `cpu.temperature`, and on a virtual
 * appliance `vm.hypervisor` and `vm.agent`.
 */
import type { HardwareFacts } from '../detect/facts';
import type { Profile } from '../profile/types';
import { formatRange, inRange } from '../profile/values';
import { memtest } from './memtest';
import { fail, pass, skip, type Check, type Outcome } from './types';

const GiB = 2 ** 30;
const gib = (b: number): string => `${(b / GiB).toFixed(2)} GiB`;

export function judgeMemory(p: Profile, f: HardwareFacts): Outcome {
  const m = { memory_bytes: f.memoryBytes, min_bytes: p.memory?.min ?? null, max_bytes: p.memory?.max ?? null };
  if (p.memory === undefined) return skip('the profile gives no memory size', m);
  if (f.memoryBytes === 0) return fail('memory size could not be read', m);
  if (!inRange(f.memoryBytes, p.memory)) {
    const want = formatRange({ ...(p.memory.min === undefined ? {} : { min: Number((p.memory.min / GiB).toFixed(2)) }), ...(p.memory.max === undefined ? {} : { max: Number((p.memory.max / GiB).toFixed(2)) }) }, 'GiB');
    return fail(`${gib(f.memoryBytes)} of memory, expected ${want}: a module missing, wrong size or not seated`, m);
  }
  return pass(gib(f.memoryBytes), m);
}

export function judgeCpus(p: Profile, f: HardwareFacts): Outcome {
  const m = { cpus: f.cpu.cores, physical_cores: f.cpu.physicalCores, brand: f.cpu.brand };
  if (p.cpus === undefined) return skip('the profile gives no CPU count', m);
  if (!inRange(f.cpu.cores, p.cpus)) return fail(`${f.cpu.cores} CPUs, expected ${formatRange(p.cpus)}: wrong CPU or cores disabled in the BIOS`, m);
  return pass(`${f.cpu.cores} CPUs (${f.cpu.brand || 'unknown model'})`, m);
}

export function judgeTemperature(p: Profile, f: HardwareFacts): Outcome {
  const t = p.temperature;
  const max = f.temperatures.length === 0 ? null : Math.max(...f.temperatures);
  const min = f.temperatures.length === 0 ? null : Math.min(...f.temperatures);
  const m = { sensors: f.temperatures.length, max_c: max, min_c: min, range_c: t === undefined ? null : formatRange(t) };
  if (t === undefined) return skip('the profile gives no temperature range', m);
  if (max === null || min === null) {
    return t.required ? fail('no CPU temperature sensor readable (coretemp/k10temp module not loaded?)', m) : skip('no CPU temperature sensor on this machine', m);
  }
  if (!inRange(max, t) || !inRange(min, t)) return fail(`CPU temperature ${min}..${max} °C outside ${formatRange(t, '°C')}: check the fan and heat sink`, m);
  return pass(`${f.temperatures.length} sensor(s), ${min}..${max} °C`, m);
}

/** systeminformation's virtualHost words for each hypervisor a profile may name. */
const HYPERVISOR_ALIASES: Record<string, string[]> = {
  kvm: ['kvm', 'qemu'],
  qemu: ['qemu', 'kvm'],
  vmware: ['vmware'],
  'hyper-v': ['microsoft', 'hyper-v'],
  xen: ['xen'],
  virtualbox: ['virtualbox', 'innotek'],
};

export function judgeHypervisor(p: Profile, f: HardwareFacts): Outcome {
  const h = p.hypervisor;
  const m = { virtual: f.virtual, hypervisor: f.hypervisor || null, expected: h?.name ?? null };
  if (h === undefined) return skip('not a virtual appliance model', m);
  if (!f.virtual) return fail(`not running on a hypervisor (expected ${h.name})`, m);
  const words = HYPERVISOR_ALIASES[h.name] ?? [h.name];
  if (!words.some((w) => f.hypervisor.includes(w))) return fail(`running on "${f.hypervisor || 'an unknown hypervisor'}", this image is for ${h.name}`, m);
  return pass(`on ${f.hypervisor}`, m);
}

export function judgeAgent(p: Profile, running: readonly string[]): Outcome {
  const h = p.hypervisor;
  if (h === undefined) return skip('not a virtual appliance model');
  const m = { agent: h.agent, running: running.includes(h.agent) };
  return running.includes(h.agent) ? pass(`${h.agent} is running`, m) : fail(`guest agent ${h.agent} is not running (systemctl status ${h.agent === 'qemu-ga' ? 'qemu-guest-agent' : h.agent})`, m);
}

export interface SystemCheckDeps {
  facts: HardwareFacts;
  /** Process names (comm) running now. */
  processNames(): Promise<string[]>;
  /** Bytes for --memtest, 0 when not asked. */
  memtestBytes: number;
}

export function systemChecks(p: Profile, d: SystemCheckDeps): Check[] {
  const now = (o: Outcome): (() => Promise<Outcome>) => () => Promise.resolve(o);
  const checks: Check[] = [
    { id: 'memory.size', group: 'memory', timeoutMs: 5000, run: now(judgeMemory(p, d.facts)) },
    {
      id: 'memory.test',
      group: 'memory',
      timeoutMs: Math.ceil(30_000 + (d.memtestBytes / 2 ** 20) * 200),
      run: () => {
        if (d.memtestBytes === 0) return Promise.resolve(skip('not asked for (--memtest SIZE runs a bounded test)'));
        const r = memtest(d.memtestBytes);
        const m = { bytes_tested: r.bytes, passes: r.passes, errors: r.errors, first_error_at: r.firstErrorAt };
        return Promise.resolve(r.errors === 0 ? pass(`${(r.bytes / 2 ** 20).toFixed(0)} MiB x ${r.passes} patterns, no errors`, m) : fail(`${r.errors} memory errors (first at offset ${r.firstErrorAt}): replace the module`, m));
      },
    },
    { id: 'cpu.count', group: 'cpu', timeoutMs: 5000, run: now(judgeCpus(p, d.facts)) },
    { id: 'cpu.temperature', group: 'cpu', timeoutMs: 5000, run: now(judgeTemperature(p, d.facts)) },
  ];
  if (p.hypervisor !== undefined) {
    checks.push({ id: 'vm.hypervisor', group: 'vm', timeoutMs: 5000, run: now(judgeHypervisor(p, d.facts)) });
    checks.push({ id: 'vm.agent', group: 'vm', timeoutMs: 5000, run: async () => judgeAgent(p, await d.processNames()) });
  }
  return checks;
}
