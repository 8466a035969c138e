/**
 * paneld benchmark (issue 7): the real paneld process and the real LCDd
 * (text driver, 20x4) on a private D-Bus, fed by a stand-in hbd.
 *
 *   latency: hbd's State flips (a real PropertiesChanged emitted here);
 *            time to paneld's Lcd PropertiesChanged (paneld's own work,
 *            one clock) and to the frame LCDd prints with the new badge
 *            (adds LCDd's render tick: it draws 8 frames a second).
 *   cost:    paneld RSS (VmRSS) and CPU, idle and while hbd changes state
 *            10 times a second.
 * Env: BENCH_PANELD_CHANGES (40).
 */
import * as fs from 'node:fs/promises';
import * as os from 'node:os';
import * as path from 'node:path';
import { performance } from 'node:perf_hooks';
import { startPrivateBus } from '../scripts/sim/bus';
import { POLICY_FILE } from '../scripts/sim/pair';
import { PaneldUnit } from '../scripts/sim/paneld-unit';
import { sleep } from '../scripts/sim/exec';
import { connectSystemBus, getServiceProxy } from '../services/runtime/dbus';
import { StandIns } from '../scripts/sim/stand-ins';
import { summarize, type Benchmark, type BenchRow } from './lib/types';
import { cpuMs, quantile, sampleRss } from './statusd/proc';

const CHANGES = Number(process.env.BENCH_PANELD_CHANGES ?? 40) || 40;

async function run(log: (m: string) => void): Promise<BenchRow[]> {
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'paneld-bench-'));
  await fs.chmod(dir, 0o755);
  const bus = await startPrivateBus(dir, POLICY_FILE());
  const stand = new StandIns(bus.address);
  let unit: PaneldUnit | null = null;
  const watcher = await connectSystemBus(bus.address);
  try {
    await stand.startHbd();
    await stand.startNicd();
    await stand.startCsyncd();
    unit = await PaneldUnit.start(null, { name: 'bench', dir, busAddress: bus.address }, { width: 20, height: 4, conf: ['hostname lb1'], logLevel: 'warn' });
    const u = unit;
    const pid = u.proc?.pid ?? -1;
    await u.lcd.waitForFrame((r) => r[0] === 'lb1           ACTIVE');
    const paneld = await getServiceProxy(watcher, 'paneld');
    let lcdChangedAt = 0;
    let lastTop = '';
    paneld.onChanged((c) => {
      const rows = c.Lcd as string[] | undefined;
      if (rows?.[0] !== undefined && rows[0] !== lastTop) {
        lastTop = rows[0];
        lcdChangedAt = performance.now();
      }
    });

    await sleep(2000);
    const idleWindowMs = 10_000;
    const idleCpu0 = cpuMs(pid);
    const idleRss = sampleRss(pid, 200);
    await sleep(idleWindowMs);
    const idleRssSamples = idleRss.stop();
    const idleCpuPct = (100 * (cpuMs(pid) - idleCpu0)) / idleWindowMs;

    const toDbus: number[] = [];
    const toFrame: number[] = [];
    for (let i = 0; i < CHANGES; i++) {
      const next = i % 2 === 0 ? { State: 'passive', Role: 'master' } : { State: 'active', Role: 'master' };
      const badge = next.State === 'active' ? 'ACTIVE' : 'STANDBY';
      lcdChangedAt = 0;
      const t0 = performance.now();
      stand.hbd?.update(next);
      const frameAt = await pollUntil(async () => (await u.lcd.frame())?.[0]?.endsWith(badge) === true);
      toFrame.push(frameAt - t0);
      const dbusAt = await pollUntil(() => Promise.resolve(lcdChangedAt !== 0)).then(() => lcdChangedAt);
      toDbus.push(dbusAt - t0);
      await sleep(100 + (i % 7) * 13);
    }
    log(`state change -> LCDd frame p50 ${quantile(toFrame, 0.5).toFixed(1)} ms, p95 ${quantile(toFrame, 0.95).toFixed(1)} ms`);

    const busyWindowMs = 10_000;
    const busyCpu0 = cpuMs(pid);
    const busyRss = sampleRss(pid, 200);
    const end = performance.now() + busyWindowMs;
    for (let i = 0; performance.now() < end; i++) {
      stand.hbd?.update({ State: i % 2 === 0 ? 'passive' : 'active' });
      await sleep(100);
    }
    const busyRssSamples = busyRss.stop();
    const busyCpuPct = (100 * (cpuMs(pid) - busyCpu0)) / busyWindowMs;
    log(`paneld RSS idle ${quantile(idleRssSamples, 0.5).toFixed(1)} MiB, CPU idle ${idleCpuPct.toFixed(2)} %, busy ${busyCpuPct.toFixed(2)} %`);

    const setting = 'real LCDd (text driver, 20x4), private D-Bus, stand-in hbd';
    const rows: BenchRow[] = [
      { metric: 'hbd state change -> paneld Lcd property changed', system: 'paneld', setting, unit: 'ms', ...summarize(toDbus), note: `p95 ${quantile(toDbus, 0.95).toFixed(1)} ms; D-Bus emit -> PropertiesChanged back, one clock` },
      { metric: 'hbd state change -> LCDd frame shows it', system: 'paneld + LCDd', setting, unit: 'ms', ...summarize(toFrame), note: `p95 ${quantile(toFrame, 0.95).toFixed(1)} ms; includes LCDd's render tick (8 frames/s) and stdout; polled every 2 ms` },
      { metric: 'paneld RSS, idle', system: 'paneld', setting, unit: 'MiB', ...summarize(idleRssSamples) },
      { metric: 'paneld RSS, 10 state changes/s', system: 'paneld', setting, unit: 'MiB', ...summarize(busyRssSamples) },
      { metric: 'paneld CPU, idle (one core = 100)', system: 'paneld', setting, unit: '%', n: 1, median: idleCpuPct, min: idleCpuPct, max: idleCpuPct, note: `${idleWindowMs / 1000} s window; includes the 2 Hz re-render tick` },
      { metric: 'paneld CPU, 10 state changes/s (one core = 100)', system: 'paneld', setting, unit: '%', n: 1, median: busyCpuPct, min: busyCpuPct, max: busyCpuPct, note: `${busyWindowMs / 1000} s window; load average ${os.loadavg()[0]?.toFixed(1) ?? '?'} on ${os.cpus().length} cores (shared machine)` },
    ];
    return rows;
  } finally {
    watcher.disconnect();
    await unit?.stop();
    stand.stop();
    await bus.stop();
    await fs.rm(dir, { recursive: true, force: true });
  }
}

/** Poll every 2 ms (bounded: 10 s); resolves with the time it held. */
async function pollUntil(check: () => Promise<boolean>): Promise<number> {
  const end = performance.now() + 10_000;
  while (performance.now() < end) {
    if (await check()) return performance.now();
    await sleep(2);
  }
  throw new Error('timed out waiting for the panel to change');
}

export const paneldBench: Benchmark = {
  name: 'paneld',
  title: 'paneld: D-Bus state change to LCD frame through the real LCDd; RSS and CPU',
  run,
};
