/**
 * Turns series outcomes into table rows: failover and failback times, idle
 * CPU of both units at every setting, RSS at the standard setting. hbd rows
 * carry hbd/reference ratios of medians within a tier; every row says what
 * failed, and a series that never started keeps its rows with n = 0.
 */
import { summarize, type BenchRow } from '../lib/types';
import type { SystemName } from './daemon';
import type { Tier } from './settings';
import type { SeriesOutcome } from './trial';

const REFERENCES: readonly SystemName[] = ['keepalived', 'heartbeat'];
type Metric = 'failover' | 'failback' | 'rss-active' | 'rss-standby' | 'cpu-active' | 'cpu-standby';

const METRIC_NAME: Record<Metric, string> = {
  failover: 'failover: kill -9 of active -> first GARP of standby',
  failback: 'failback: restart of preferred unit -> its first GARP',
  'rss-active': 'RSS, active unit (sum of daemon processes)',
  'rss-standby': 'RSS, standby unit (sum of daemon processes)',
  'cpu-active': 'CPU, active unit, idle window',
  'cpu-standby': 'CPU, standby unit, idle window',
};
const UNIT: Record<Metric, string> = { failover: 'ms', failback: 'ms', 'rss-active': 'MiB', 'rss-standby': 'MiB', 'cpu-active': '%', 'cpu-standby': '%' };

/** A row before notes: which series and metric it came from. */
interface Draft {
  o: SeriesOutcome;
  metric: Metric;
  row: BenchRow;
  notes: string[];
  /** CPU rows: the schedstat share, for a ratio when the tick count is 0. */
  precise?: number;
}

/** 0.83, 4.3, 37, 110: two significant digits, never exponent notation. */
const ratio = (x: number): string => (x >= 100 ? x.toFixed(0) : x.toPrecision(2));
const sec = (ms: number): string => `${+(ms / 1000).toFixed(2)} s`;

function failureNotes(o: SeriesOutcome, metric: 'failover' | 'failback'): string[] {
  const notes: string[] = [];
  if (metric === 'failover') {
    if (o.failoverMisses > 0) notes.push(`${o.failoverMisses} of ${o.reps} failed: no GARP within ${sec(o.failoverTimeoutMs)}`);
    const broken = o.reps - o.notRun - o.failoverMs.length - o.failoverMisses;
    if (broken > 0) notes.push(`${broken} of ${o.reps} broke before the crash`);
  } else {
    if (o.failbackMisses > 0) notes.push(`${o.failbackMisses} of ${o.reps} failed: no GARP within ${sec(o.failbackTimeoutMs)}`);
    const notTried = o.reps - o.notRun - o.failbackMs.length - o.failbackMisses;
    if (notTried > 0) notes.push(`${notTried} not tried (failover failed or trial broke)`);
  }
  if (o.notRun > 0) notes.push(`${o.notRun} of ${o.reps} not run: pair not restorable`);
  const first = o.problems[0];
  if (first !== undefined && metric === 'failover') notes.push(`first problem ${first}`);
  return notes;
}

function drafts(o: SeriesOutcome): Draft[] {
  const idleS = o.idleSeconds;
  const base = { system: o.spec.system, setting: o.spec.setting };
  const make = (metric: Metric, samples: readonly number[], notes: string[]): Draft => ({
    o,
    metric,
    row: { metric: METRIC_NAME[metric], ...base, unit: UNIT[metric], ...summarize(samples) },
    notes,
  });
  const start = o.startError === undefined ? [] : [`${o.spec.system} failed to start: ${o.startError}`];
  const out: Draft[] = [
    make('failover', o.failoverMs, [...start, ...(start.length > 0 ? [] : failureNotes(o, 'failover'))]),
    make('failback', o.failbackMs, [...start, ...(start.length > 0 ? [] : failureNotes(o, 'failback'))]),
  ];
  const [active, standby] = o.idle ?? [];
  if (o.spec.rss) {
    out.push(make('rss-active', active?.rssMiB ?? [], active ? [`${active.procs}; sampled 1/s for ${idleS} s`] : [...start]));
    out.push(make('rss-standby', standby?.rssMiB ?? [], standby ? [`${standby.procs}`] : [...start]));
  }
  const cpuNote = (u: typeof active): string[] =>
    u ? [`${u.ticks} ticks of ${u.tickMs} ms in ${idleS} s (utime+stime); schedstat ${u.runMs.toFixed(1)} ms = ${u.runPercent.toPrecision(2)}%`] : [...start];
  out.push({ ...make('cpu-active', active ? [active.cpuPercent] : [], cpuNote(active)), precise: active?.runPercent });
  out.push({ ...make('cpu-standby', standby ? [standby.cpuPercent] : [], cpuNote(standby)), precise: standby?.runPercent });
  return out;
}

/** "hbd/keepalived = 0.82x" for each reference measured in a tier this hbd series shares. */
function ratioNotes(d: Draft, all: readonly Draft[]): string[] {
  if (d.o.spec.system !== 'hbd' || d.row.n === 0) return [];
  const notes: string[] = [];
  for (const ref of REFERENCES) {
    const tier = d.o.spec.tiers.find((t: Tier) => all.some((x) => x.o.spec.system === ref && x.o.spec.tiers.includes(t)));
    if (tier === undefined) continue;
    const r = all.find((x) => x.o.spec.system === ref && x.metric === d.metric && x.o.spec.tiers.includes(tier));
    if (r === undefined || r.row.n === 0) continue;
    const what = tier === 'fastest' ? ` (fastest vs its fastest: ${r.o.spec.setting})` : '';
    if (d.precise !== undefined && r.precise !== undefined) {
      // CPU: compare schedstat run times; at 1 s timers a reference may use no whole clock tick in the window.
      if (r.precise > 0) notes.push(`hbd/${ref} = ${ratio(d.precise / r.precise)}x by schedstat${what}`);
    } else if (r.row.median > 0) {
      notes.push(`hbd/${ref} = ${ratio(d.row.median / r.row.median)}x${what}`);
    }
  }
  return notes;
}

export function buildRows(outcomes: readonly SeriesOutcome[]): BenchRow[] {
  const all = outcomes.flatMap((o) => drafts(o));
  return all.map((d) => {
    const notes = [...ratioNotes(d, all), ...d.notes];
    // Notes land in a Markdown table cell: no pipes, no line breaks, bounded length.
    const note = notes.join('; ').replace(/\|/g, '/').replace(/\s+/g, ' ').slice(0, 400);
    return note !== '' ? { ...d.row, note } : d.row;
  });
}
