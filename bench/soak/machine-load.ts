/**
 * What else the machine did during a soak, to tell hbd's stalls from the
 * host's: CPU time stolen by the hypervisor (/proc/stat steal) and other
 * simulated pairs (other tests or benches) running at the same time.
 */
import { readFileSync } from 'node:fs';
import { runSync } from '../../scripts/sim/exec';

export interface CpuSample {
  total: number;
  steal: number;
}

export function cpuSample(): CpuSample {
  const line = readFileSync('/proc/stat', 'utf8').split('\n')[0] ?? '';
  const f = line.trim().split(/\s+/).slice(1, 9).map(Number);
  return { total: f.reduce((a, b) => a + (Number.isFinite(b) ? b : 0), 0), steal: f[7] ?? 0 };
}

/** Percentage of CPU time stolen between two samples. */
export function stealPercent(a: CpuSample, b: CpuSample): number {
  const dt = b.total - a.total;
  return dt > 0 ? (100 * (b.steal - a.steal)) / dt : 0;
}

/** Simulated pairs other than `ownId` (lbsim-<id>-lan namespaces). */
export function otherPairs(ownId: string): number {
  return tryList().filter((n) => /^lbsim-[0-9a-f]+-lan$/.test(n) && n !== `lbsim-${ownId}-lan`).length;
}

function tryList(): string[] {
  try {
    return runSync('ip', ['netns', 'list'])
      .split('\n')
      .map((l) => l.split(' ')[0] ?? '')
      .filter(Boolean);
  } catch {
    return [];
  }
}
