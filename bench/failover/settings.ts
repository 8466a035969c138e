/**
 * What the failover bench runs: one series per system and timing, all in the
 * same simulated pair, one after the other. Tiers pair the settings that a
 * ratio may compare: the same timers ("standard", "fast") or each system's
 * fastest working setting ("fastest").
 */
import type { SystemName, Timing } from './daemon';

export type Tier = 'standard' | 'fast' | 'fastest';

/** One series: a system at one timing. */
export interface SeriesSpec {
  system: SystemName;
  /** As shown in the table's setting column. */
  setting: string;
  timing: Timing;
  tiers: readonly Tier[];
  /** Report RSS (only at the standard timing: memory does not depend on timers). */
  rss: boolean;
}

export const DEFAULT_REPS = 10;
/** Idle window at the standard timing (BENCH_IDLE_S overrides). */
export const DEFAULT_IDLE_S = 30;
/** Idle window at the other timings, to keep the whole run under ~25 min; at most BENCH_IDLE_S. */
export const SHORT_IDLE_S = 10;

export function idleSeconds(spec: SeriesSpec, standardS: number): number {
  return spec.tiers.includes('standard') ? standardS : Math.min(SHORT_IDLE_S, standardS);
}

const hb = (ka: number, dead: number): Timing => ({ keepaliveMs: ka, deadtimeMs: dead });
/** keepalived's nominal dead interval is 3 adverts; deadtimeMs only sizes settle times. */
const vrrp = (advert: number): Timing => ({ keepaliveMs: advert, deadtimeMs: 3 * advert });

export const SERIES: readonly SeriesSpec[] = [
  { system: 'keepalived', setting: 'advert_int 1 s', timing: vrrp(1000), tiers: ['standard'], rss: true },
  { system: 'heartbeat', setting: 'keepalive 1 s, deadtime 3 s', timing: hb(1000, 3000), tiers: ['standard'], rss: true },
  { system: 'hbd', setting: 'keepalive 1 s, deadtime 3 s', timing: hb(1000, 3000), tiers: ['standard'], rss: true },
  { system: 'keepalived', setting: 'advert_int 0.1 s', timing: vrrp(100), tiers: ['fast'], rss: false },
  { system: 'heartbeat', setting: 'keepalive 200 ms, deadtime 1 s', timing: hb(200, 1000), tiers: [], rss: false },
  { system: 'heartbeat', setting: 'keepalive 100 ms, deadtime 300 ms', timing: hb(100, 300), tiers: ['fast', 'fastest'], rss: false },
  { system: 'hbd', setting: 'keepalive 100 ms, deadtime 300 ms', timing: hb(100, 300), tiers: ['fast'], rss: false },
  { system: 'keepalived', setting: 'advert_int 0.01 s', timing: vrrp(10), tiers: ['fastest'], rss: false },
  { system: 'hbd', setting: 'keepalive 20 ms, deadtime 60 ms', timing: hb(20, 60), tiers: ['fastest'], rss: false },
];


/** The series BENCH_FAILOVER_ONLY picks: those whose "system setting" contains one of its comma-separated words (all when unset). */
export function selectedSeries(only = process.env.BENCH_FAILOVER_ONLY ?? ''): SeriesSpec[] {
  const words = only.split(',').filter((x) => x !== '');
  return SERIES.filter((x) => words.length === 0 || words.some((o) => `${x.system} ${x.setting}`.includes(o)));
}
