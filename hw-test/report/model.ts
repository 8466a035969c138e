/** One run of the harness as stored in the JSON report (and shown in JUnit). */
import type { CheckResult } from '../checks/types';
import type { HardwareFacts } from '../detect/facts';

export interface RunReport {
  /** Format version of this JSON, bumped on incompatible changes. */
  format: 1;
  tool: string;
  firmwareVersion: string;
  /** real (a unit) or sim (the simulated rig). */
  mode: 'real' | 'sim';
  interactive: boolean;
  unit: { serial: string; model: string; manufacturer: string; systemModel: string; hostname: string };
  profile: { file: string; model: string; kind: string };
  startedAt: string;
  finishedAt: string;
  summary: { pass: number; fail: number; skip: number; total: number };
  /** Every check with every measurement. */
  checks: CheckResult[];
  /** What detection found (NIC MACs, disk models and serials ...), for the unit's record. */
  detected: HardwareFacts;
  /** Detection figures systeminformation could not read. */
  detectionFailed: string[];
}

export function summarise(checks: readonly CheckResult[]): RunReport['summary'] {
  const count = (s: string): number => checks.filter((c) => c.status === s).length;
  return { pass: count('pass'), fail: count('fail'), skip: count('skip'), total: checks.length };
}

/** File name stem: serial and start time, safe in any file system. */
export function reportStem(r: RunReport): string {
  const serial = (r.unit.serial || 'unknown').replace(/[^A-Za-z0-9._-]/g, '_');
  return `hw-test-${serial}-${r.startedAt.replace(/[:.]/g, '-')}`;
}
