/** Rows of the csync bench: one per system and size, with ratios against rsync and scp on the csyncd rows. */
import { summarize, type BenchRow } from '../lib/types';

export interface Series {
  system: string;
  size: string;
  ms: number[];
  failures: number;
  note?: string;
}

export const METRIC = 'push + apply one changed config file';

export function buildRows(series: readonly Series[]): BenchRow[] {
  const med = (system: string, size: string): number | undefined => {
    const s = series.find((x) => x.system.startsWith(system) && x.size === size);
    return s === undefined || s.ms.length === 0 ? undefined : summarize(s.ms).median;
  };
  return series.map((s) => {
    const sum = summarize(s.ms);
    const notes: string[] = [];
    if (s.system.startsWith('csyncd') || s.system.startsWith('csyncctl')) {
      for (const ref of ['rsync', 'scp', 'csync2']) {
        const r = med(ref, s.size);
        if (r !== undefined) notes.push(`${s.system.split(' ')[0] ?? ''}/${ref} = ${(sum.median / r).toFixed(2)}x`);
      }
    }
    if (s.failures > 0) notes.push(`${s.failures} runs failed or left a wrong file`);
    if (s.note !== undefined) notes.push(s.note);
    return { metric: METRIC, system: s.system, setting: s.size, unit: 'ms', ...sum, note: notes.join('; ') };
  });
}
