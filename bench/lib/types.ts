/** Shapes shared by every benchmark and the runner. */

/** One measured figure: a metric of one system under one setting. */
export interface BenchRow {
  metric: string;
  /** The system measured: "hbd", "keepalived", "heartbeat", ... */
  system: string;
  setting: string;
  unit: string;
  n: number;
  median: number;
  min: number;
  max: number;
  /** Free text: a ratio to the reference, failures seen, caveats. */
  note?: string;
}

export interface BenchResult {
  name: string;
  title: string;
  date: string;
  machine: MachineInfo;
  rows: BenchRow[];
  /** How long the run took (absent in results saved before it was recorded). */
  durationS?: number;
}

export interface MachineInfo {
  cpu: string;
  cores: number;
  memoryGiB: number;
  kernel: string;
  node: string;
}

export interface Benchmark {
  name: string;
  title: string;
  run(log: (msg: string) => void): Promise<BenchRow[]>;
}

export function summarize(samples: readonly number[]): { n: number; median: number; min: number; max: number } {
  const s = [...samples].sort((a, b) => a - b);
  if (s.length === 0) return { n: 0, median: NaN, min: NaN, max: NaN };
  const mid = Math.floor(s.length / 2);
  const median = s.length % 2 === 1 ? (s[mid] ?? NaN) : ((s[mid - 1] ?? NaN) + (s[mid] ?? NaN)) / 2;
  return { n: s.length, median, min: s[0] ?? NaN, max: s[s.length - 1] ?? NaN };
}
