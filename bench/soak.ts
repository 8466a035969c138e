/**
 * Soak benchmark: hbd on a loaded appliance.
 *
 * 1. False failovers: an hbd pair (ucast + serial) soaks for
 *    BENCH_SOAK_MINUTES (default 10) per setting while `stress-ng --cpu 2 --vm
 *    1 --vm-bytes 256M` loads both cores in the root namespace; any "peer is
 *    dead" or takeover while both hbd run is a false failover (target 0). hbd
 *    runs as deployed (Nice=-10 -> `nice -n -10`) and, as a variant, SCHED_RR
 *    (`chrt -r 10`). The advert gaps on the heartbeat wire are recorded too.
 * 2. Failover under the same load at 20ms/60ms: kill -9 of the active hbd ->
 *    first gratuitous ARP of the VIP on the LAN bridge, BENCH_REPS times
 *    (default 10), goal < 100 ms.
 * 3. Serial-only failover, 19200 baud, 1 s/3 s, no load: hbd against Debian's
 *    Heartbeat in the same run.
 *
 * Default runs: 100ms/300ms with nice -10, 20ms/60ms with nice -10 and with
 * chrt -r 10 (~30 min of soak at the default 10 min; the fast timing is where
 * scheduling matters). BENCH_SOAK_FULL=1 adds 100ms/300ms with chrt -r 10.
 * BENCH_SOAK_LOGS=DIR keeps every pair's daemon logs. How each part is run:
 * bench/soak/{soak-run,kill-series,failover-runs}.ts.
 */
import type { Benchmark, BenchRow } from './lib/types';
import { intFromEnv } from './lib/env';
import { DEFAULT_REPS, DEFAULT_SOAK_MINUTES } from './soak/env';
import { loadedFailover, serialFailover } from './soak/failover-runs';
import { CHRT_RR10, NICE_10, type SchedVariant } from './soak/hbd-launch';
import { loadedFailoverRow, serialRows, soakRows } from './soak/rows';
import { runSoak, timingLabel, type SoakSpec } from './soak/soak-run';
import { ensureStressNg } from './soak/stress';

const SLOW = { keepaliveMs: 100, warntimeMs: 200, deadtimeMs: 300 } as const;
const FAST = { keepaliveMs: 20, warntimeMs: 40, deadtimeMs: 60 } as const;

function soakPlan(minutes: number): SoakSpec[] {
  const full = process.env.BENCH_SOAK_FULL === '1';
  const plan: [typeof SLOW | typeof FAST, SchedVariant][] = [
    [SLOW, NICE_10],
    ...(full ? [[SLOW, CHRT_RR10] as [typeof SLOW, SchedVariant]] : []),
    [FAST, NICE_10],
    [FAST, CHRT_RR10],
  ];
  return plan.map(([t, variant]) => ({ ...t, variant, minutes }));
}

export const soakBench: Benchmark = {
  name: 'soak',
  title: 'hbd under load: false failovers, fast failover, serial-only failover',
  run: async (log) => {
    const minutes = intFromEnv('BENCH_SOAK_MINUTES', DEFAULT_SOAK_MINUTES, 1);
    const reps = intFromEnv('BENCH_REPS', DEFAULT_REPS, 1);
    for (const w of [minutes.warning, reps.warning]) if (w !== undefined) log(w);
    ensureStressNg(log);
    const rows: BenchRow[] = [];
    const plan = soakPlan(minutes.value);
    log(`${plan.length} soaks x ${minutes.value} min, then failover series x ${reps.value}`);
    for (const spec of plan) {
      log(`-- soak ${timingLabel(spec)}, ${spec.variant.label}, ${spec.minutes} min`);
      const o = await runSoak(spec, log);
      const r = soakRows(o);
      log(`   ${r[0]?.median ?? 'n/a'} false failovers; ${r[0]?.note ?? ''}`);
      rows.push(...r);
    }
    for (const variant of [NICE_10, CHRT_RR10]) {
      log(`-- failover under stress-ng, 20ms/60ms, ${variant.label}, x${reps.value}`);
      const row = loadedFailoverRow(await loadedFailover(variant, reps.value, log));
      log(`   median ${row.median.toFixed(1)} ms, max ${row.max.toFixed(1)} ms; ${row.note ?? ''}`);
      rows.push(row);
    }
    log(`-- serial-only failover, hbd and Heartbeat, x${reps.value}`);
    const serial = serialRows(await serialFailover(NICE_10, reps.value, log));
    for (const r of serial) log(`   ${r.system}: median ${r.median.toFixed(0)} ms; ${r.note ?? ''}`);
    rows.push(...serial);
    return rows;
  },
};
