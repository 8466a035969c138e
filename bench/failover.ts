/**
 * Failover benchmark: hbd against keepalived (VRRPv3) and Heartbeat 3, side
 * by side in one simulated pair, same links, same clock.
 *
 * Failover = SIGKILL of the active unit's daemon -> first gratuitous ARP for
 * the VIP from the standby, captured on the LAN bridge (tcpdump -tt, the
 * kernel's capture time) and timed against the kill on the same realtime
 * clock. Failback = restart of the preferred unit's daemon -> its first GARP.
 * Idle RSS and CPU of each daemon come from /proc. How each system is run:
 * bench/failover/{keepalived,heartbeat,hbd}.ts; the trial: bench/failover/trial.ts.
 *
 * Env: BENCH_REPS      trials per series (default 10)
 *      BENCH_IDLE_S    idle window at the 1 s timers (default 30; <= 10 s at the faster ones)
 *      BENCH_FAILOVER_LOGS=DIR    keep the daemons' logs (the pair's directory goes at teardown)
 *      BENCH_FAILOVER_ONLY=a[,b]  only the series whose "system setting" contains a or b
 */
import { cpSync, statSync } from 'node:fs';
import { SimPair, VIP } from '../scripts/sim/pair';
import type { DaemonDriver, SystemName } from './failover/daemon';
import { GarpWatch } from './lib/garp-watch';
import { hbdDriver } from './failover/hbd';
import { heartbeatDriver } from './failover/heartbeat';
import { keepalivedDriver } from './failover/keepalived';
import { buildRows } from './failover/rows';
import { intFromEnv } from './lib/env';
import { DEFAULT_IDLE_S, DEFAULT_REPS, idleSeconds, selectedSeries } from './failover/settings';
import { runSeries, type SeriesOutcome } from './failover/trial';
import { lanMac } from './lib/unit-net';
import type { Benchmark } from './lib/types';

const DRIVERS: Record<SystemName, DaemonDriver> = { hbd: hbdDriver, keepalived: keepalivedDriver, heartbeat: heartbeatDriver };

function summary(o: SeriesOutcome): string {
  if (o.startError !== undefined) return `did not start: ${o.startError}`;
  const med = (xs: number[]): string => (xs.length === 0 ? 'n/a' : [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!.toFixed(1));
  return `failover ~${med(o.failoverMs)} ms (n=${o.failoverMs.length}), failback ~${med(o.failbackMs)} ms (n=${o.failbackMs.length}), problems ${o.problems.length}`;
}

function keepLogs(dir: string, log: (msg: string) => void): void {
  const to = process.env.BENCH_FAILOVER_LOGS;
  if (to === undefined || to === '') return;
  try {
    cpSync(dir, to, { recursive: true, filter: (src) => statSync(src).isDirectory() || src.endsWith('.log') });
    log(`daemon logs kept in ${to}`);
  } catch (err) {
    log(`could not keep logs in ${to}: ${String(err)}`);
  }
}

export const failoverBench: Benchmark = {
  name: 'failover',
  title: 'hbd failover vs keepalived vs Heartbeat',
  run: async (log) => {
    const reps = intFromEnv('BENCH_REPS', DEFAULT_REPS, 1);
    const idle = intFromEnv('BENCH_IDLE_S', DEFAULT_IDLE_S, 1);
    for (const w of [reps.warning, idle.warning]) if (w !== undefined) log(w);
    const series = selectedSeries();
    log(`${series.length} series x ${reps.value} trials, idle window ${idle.value} s at 1 s timers, <= 10 s at the others`);
    const pair = await SimPair.create({ serial: false });
    let watch: GarpWatch | undefined;
    try {
      watch = await GarpWatch.start(pair.lanNs, VIP);
      const ctx = { pair, watch, macs: [lanMac(pair.units[0]), lanMac(pair.units[1])] as const, log };
      const outcomes: SeriesOutcome[] = [];
      for (const spec of series) {
        log(`-- ${spec.system}, ${spec.setting}`);
        const o = await runSeries(ctx, spec, DRIVERS[spec.system], reps.value, idleSeconds(spec, idle.value));
        log(`   ${summary(o)}`);
        outcomes.push(o);
      }
      return buildRows(outcomes);
    } finally {
      watch?.stop();
      keepLogs(pair.dir, log);
      pair.teardown();
    }
  },
};
