/**
 * Table rows of the soak bench: false failovers and advert gaps per soak,
 * failover times under load, serial-only failover of hbd and Heartbeat with
 * their ratio. Every row says what went wrong; a series that never ran keeps
 * its row with n = 0.
 */
import { summarize, type BenchRow } from '../lib/types';
import type { SeriesResult } from './kill-series';
import { timingLabel, type SoakOutcome } from './soak-run';
import { STRESS_LABEL } from './stress';

/** The failover time hbd should stay under at 20ms/60ms, even loaded. */
export const LOADED_FAILOVER_GOAL_MS = 100;
/** Heartbeat serial-only, 19200 baud, 1 s/3 s, measured elsewhere: for orientation only. */
const HEARTBEAT_SERIAL_ORIENTATION_S = 3.2;

const NAN_ROW = { n: 0, median: Number.NaN, min: Number.NaN, max: Number.NaN };
const ms = (x: number): string => `${x.toFixed(1)} ms`;
const perUnit = (v: readonly [number, number]): string => `u1 ${v[0]}, u2 ${v[1]}`;

export function soakRows(o: SoakOutcome): BenchRow[] {
  const setting = `${timingLabel(o.spec)}, ${o.spec.variant.label}`;
  const metric = `false failovers / ${o.spec.minutes} min under stress-ng`;
  if (o.startError !== undefined) {
    return [{ metric, system: 'hbd', setting, unit: 'count', ...NAN_ROW, note: `did not start: ${o.startError}` }];
  }
  const count = o.incidents.length;
  const notes = [
    count === 0 ? 'target 0: met' : `target 0: MISSED (${o.incidents.map((i) => `+${i.atS.toFixed(0)} s`).join(', ')})`,
    `late-heartbeat (peer warn) events ${perUnit(o.peerWarn)}`,
    `peer dead ${perUnit(o.peerDead)}`,
    `became active ${perUnit(o.becameActive)}`,
    `links declared dead ${perUnit(o.linkDead)}`,
    `VIP on both units in ${o.vipOnBoth} and on none in ${o.vipOnNone} of ${o.vipSamples} samples`,
    `GARPs on the LAN ${perUnit(o.garps)}`,
    `D-Bus signalled ${o.busChanges.filter((c) => c.key === 'State').length} State and ${o.busChanges.filter((c) => c.key === 'PeerStatus').length} PeerStatus changes`,
    `warntime ${o.spec.warntimeMs} ms, ucast + serial 19200, ${STRESS_LABEL}`,
    `CPU steal ${o.stealPct.toFixed(1)} %`,
  ];
  if (o.otherPairsMax > 0) notes.push(`up to ${o.otherPairsMax} other simulated pairs (other tests/benches) ran meanwhile`);
  if (o.minutesRun < o.spec.minutes - 0.05) notes.push(`soak ended after ${o.minutesRun.toFixed(1)} min`);
  if (o.errors.length > 0) notes.push(`${o.errors.length} error lines in hbd's log`);
  notes.push(...o.problems);
  const row: BenchRow = { metric, system: 'hbd', setting, unit: 'count', n: Math.round(o.minutesRun), median: count, min: count, max: count, note: notes.join('; ') };
  const gapNotes = o.gaps.map((g) => `${g.source}: worst ${ms(g.maxGapMs)}, ${g.overWarn} over warntime, ${g.overDead} over deadtime, ${g.packets} packets`);
  if (o.tcpdumpStats !== '') gapNotes.push(`tcpdump: ${o.tcpdumpStats}`);
  const gapRow: BenchRow = {
    metric: 'ucast advert gap on the wire under stress-ng (both directions)',
    system: 'hbd',
    setting,
    unit: 'ms',
    ...summarize(o.allGapsMs),
    note: gapNotes.join('; '),
  };
  return [row, gapRow];
}

function problemNotes(r: SeriesResult): string[] {
  const notes: string[] = [];
  if (r.misses > 0) notes.push(`${r.misses} of ${r.reps} kills without a takeover GARP`);
  const other = r.problems.length - r.misses;
  if (other > 0) notes.push(`problems: ${r.problems.slice(0, 3).join(' | ')}${r.problems.length > 3 ? ' ...' : ''}`);
  return notes;
}

export function loadedFailoverRow(r: SeriesResult): BenchRow {
  const s = r.failoverMs.length > 0 ? summarize(r.failoverMs) : NAN_ROW;
  const over = r.failoverMs.filter((x) => x >= LOADED_FAILOVER_GOAL_MS).length;
  const goal = r.failoverMs.length === 0 ? 'no figure' : over === 0 && r.misses === 0 ? `goal < ${LOADED_FAILOVER_GOAL_MS} ms: met` : `goal < ${LOADED_FAILOVER_GOAL_MS} ms: MISSED by ${over + r.misses} of ${r.failoverMs.length + r.misses}`;
  return {
    metric: 'failover under load: kill -9 of active -> first GARP',
    system: 'hbd',
    setting: r.setting,
    unit: 'ms',
    ...s,
    note: [goal, ...problemNotes(r)].join('; '),
  };
}

const median = (xs: readonly number[]): number => summarize(xs).median;

export function serialRows(rs: readonly SeriesResult[]): BenchRow[] {
  const hb = rs.find((r) => r.system === 'heartbeat');
  const hbMedian = hb !== undefined && hb.failoverMs.length > 0 ? median(hb.failoverMs) : Number.NaN;
  return rs.map((r) => {
    const notes: string[] = [];
    if (r.system === 'hbd') {
      notes.push(Number.isFinite(hbMedian) && r.failoverMs.length > 0 ? `hbd/Heartbeat ${(median(r.failoverMs) / hbMedian).toFixed(2)} (medians, same run)` : 'no hbd/Heartbeat ratio: a series has no figure');
    } else {
      notes.push(`orientation, measured elsewhere: ${HEARTBEAT_SERIAL_ORIENTATION_S} s`);
    }
    notes.push('no load; pty cable (socat), which does not pace bytes at the baud rate');
    return {
      metric: 'serial-only failover: kill -9 of active -> first GARP',
      system: r.system,
      setting: r.setting,
      unit: 'ms',
      ...(r.failoverMs.length > 0 ? summarize(r.failoverMs) : NAN_ROW),
      note: [...notes, ...problemNotes(r)].join('; '),
    };
  });
}
