/**
 * statusd feed benchmark (issue 6): 1,000 authenticated WebSocket clients
 * over TLS on loopback, statusd as a real process on 127.0.0.1 fed by a
 * stand-in hbd on a private D-Bus (bench/statusd/rig.ts).
 *
 *   latency: hbd's State flips (a real PropertiesChanged); time from the
 *            D-Bus emit in this process to the LAST of the 1,000 clients
 *            holding the delta (clients in worker threads of this process,
 *            one clock); p50/p99. Also 100 clients, for the slope.
 *   cost:    statusd RSS (VmRSS) and CPU (schedstat) with 1,000 clients,
 *            idle and while changes stream.
 *   slow:    100 clients that stop reading while ~20 KiB deltas stream:
 *            statusd RSS and what it holds for them (Stats() over D-Bus).
 *
 *   floor:   the same clients and changes against a bare Node TLS fan-out
 *            (statusd/floor-server.ts): statusd's latency as a ratio to it.
 *
 * Env: BENCH_STATUSD_CLIENTS (1000), BENCH_STATUSD_CHANGES (300), BENCH_STATUSD_SLOW (100),
 *      BENCH_STATUSD_CLIENT_THREADS (2), BENCH_STATUSD_NODE_ARGS (extra node flags for statusd, e.g. --cpu-prof).
 * Goal (issue 6): p99 < 50 ms at 1,000 clients, RSS < 150 MB.
 */
import { fork } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { performance } from 'node:perf_hooks';
import { sleep } from '../scripts/sim/exec';
import { login, stalledClient } from '../services/statusd/testing/harness';
import { summarize, type Benchmark, type BenchRow } from './lib/types';
import { ClientFleet } from './statusd/clients';
import type { FromFloor, ToFloor } from './statusd/floor-server';
import { cpuMs, fdLimit, quantile, rssMiB, sampleRss } from './statusd/proc';
import { startRig, type Rig } from './statusd/rig';

const num = (name: string, dflt: number): number => {
  const v = Number(process.env[name] ?? dflt);
  return Number.isSafeInteger(v) && v > 0 ? v : dflt;
};

/** Client worker threads (BENCH_STATUSD_CLIENT_THREADS, default 2: the machine's cores). */
const threads = (): number => num('BENCH_STATUSD_CLIENT_THREADS', 2);

const MiB = (x: number): string => `${x.toFixed(1)} MiB`;

/**
 * `changes` changes, 100 ms apart: arm every client for change i's marker,
 * make the change, and keep when each client had it (ms after the change,
 * one clock) and when the last one did.
 */
async function timeChanges(fleet: ClientFleet, changes: number, marker: (i: number) => string, change: (i: number) => void): Promise<{ lastMs: number[]; allMs: number[] }> {
  const lastMs: number[] = [];
  const allMs: number[] = [];
  for (let i = 0; i < changes; i++) {
    const { arrived } = await fleet.expect(marker(i));
    const at = performance.timeOrigin + performance.now();
    change(i);
    const times = await arrived;
    lastMs.push(Math.max(...times) - at);
    for (const x of times) allMs.push(x - at);
    await sleep(100);
  }
  return { lastMs, allMs };
}

async function latency(rig: Rig, clients: number, changes: number, log: (m: string) => void, full: boolean): Promise<BenchRow[]> {
  const { cookie } = await login(rig.base, rig.password);
  const t0 = performance.now();
  const fleet = await ClientFleet.open(rig.base, cookie, clients, threads());
  const connectMs = performance.now() - t0;
  log(`${clients} clients connected and got their snapshot in ${connectMs.toFixed(0)} ms`);
  try {
    await sleep(2000);
    const idleCpu0 = cpuMs(rig.pid);
    const idleWindowMs = full ? 10_000 : 1000;
    const idleRss = sampleRss(rig.pid, 200);
    await sleep(idleWindowMs);
    const idleRssSamples = idleRss.stop();
    const idleCpuPct = (100 * (cpuMs(rig.pid) - idleCpu0)) / idleWindowMs;
    const busyRss = sampleRss(rig.pid, 50);
    const cpu0 = cpuMs(rig.pid);
    const w0 = performance.now();
    const state = (i: number): 'active' | 'passive' => (i % 2 === 0 ? 'passive' : 'active');
    const { lastMs, allMs } = await timeChanges(fleet, changes, (i) => `"state"],"value":"${state(i)}"`, (i) => rig.hbd.update({ State: state(i) }));
    const busyCpuPct = (100 * (cpuMs(rig.pid) - cpu0)) / (performance.now() - w0);
    const load = os.loadavg()[0] ?? NaN;
    const busyRssSamples = busyRss.stop();
    const stats = await rig.stats();
    const p50 = quantile(lastMs, 0.5);
    const p99 = quantile(lastMs, 0.99);
    const fan = stats.fanoutMs as { p50: number; p99: number; max: number; n: number };
    log(`state change -> last of ${clients}: p50 ${p50.toFixed(1)} ms, p99 ${p99.toFixed(1)} ms, max ${Math.max(...lastMs).toFixed(1)} ms over ${changes} changes; ` +
      `statusd's own fan-out p50 ${fan.p50} ms, p99 ${fan.p99} ms; load average ${load.toFixed(1)}`);
    log(`RSS idle ${MiB(quantile(idleRssSamples, 0.5))}, while streaming max ${MiB(Math.max(...busyRssSamples))}; CPU idle ${idleCpuPct.toFixed(2)} %, streaming ${busyCpuPct.toFixed(1)} %`);
    const setting = `${clients} clients, TLS, loopback`;
    const rows: BenchRow[] = [
      { metric: 'state change -> last client has it (p50 in median column)', system: 'statusd', setting, unit: 'ms', ...summarize(lastMs), median: p50, note: `p99 ${p99.toFixed(1)} ms (goal < 50 ms); D-Bus emit -> ${clients}th client, one clock; clients: hand-made TLS WebSocket readers (bench/statusd/frames.ts) in ${threads()} threads of the bench process` },
      { metric: 'state change -> last client has it, p99', system: 'statusd', setting, unit: 'ms', n: lastMs.length, median: p99, min: p99, max: p99, note: p99 < 50 ? 'goal < 50 ms: met' : 'goal < 50 ms: MISSED' },
      { metric: 'state change -> each client has it', system: 'statusd', setting, unit: 'ms', ...summarize(allMs), note: `p99 ${quantile(allMs, 0.99).toFixed(1)} ms` },
      { metric: 'statusd fan-out: one delta queued to every client (p50 in median column)', system: 'statusd', setting, unit: 'ms', n: fan.n, median: fan.p50, min: NaN, max: fan.max, note: `p99 ${fan.p99} ms; statusd's Stats(); machine load average ${load.toFixed(1)} on ${os.cpus().length} cores (other jobs share it)` },
    ];
    if (!full) return rows;
    return [
      ...rows,
      { metric: 'connect + login-cookie upgrade + snapshot, all clients', system: 'statusd', setting, unit: 'ms', n: 1, median: connectMs, min: connectMs, max: connectMs, note: '50 at a time' },
      { metric: 'statusd RSS, clients connected, idle', system: 'statusd', setting, unit: 'MiB', ...summarize(idleRssSamples), note: 'goal < 150 MB' },
      { metric: 'statusd RSS while changes stream', system: 'statusd', setting, unit: 'MiB', ...summarize(busyRssSamples), note: `sampled every 50 ms; clients counted by statusd: ${String(stats.clients)}` },
      { metric: 'statusd CPU, idle with clients connected', system: 'statusd', setting, unit: '% of a core', n: 1, median: idleCpuPct, min: idleCpuPct, max: idleCpuPct, note: `schedstat over ${idleWindowMs / 1000} s; heartbeat every 15 s, system figures every 5 s` },
      { metric: 'statusd CPU while changes stream', system: 'statusd', setting, unit: '% of a core', n: 1, median: busyCpuPct, min: busyCpuPct, max: busyCpuPct, note: `${changes} changes, 100 ms apart` },
    ];
  } finally {
    await fleet.close();
  }
}

/**
 * The floor (bench/statusd/floor-server.ts): the same clients and changes
 * against a bare Node TLS fan-out, timed from the IPC send that triggers it.
 */
async function floor(clients: number, changes: number, log: (m: string) => void): Promise<{ rows: BenchRow[]; p50: number; p99: number }> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'lbos-bench-floor-'));
  const child = fork(path.join(__dirname, 'statusd', 'floor-server.js'), [dir], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  const loops: number[] = [];
  let fleet: ClientFleet | null = null;
  try {
    const port = await new Promise<number>((resolve, reject) => {
      const t = setTimeout(() => reject(new Error('floor server: not ready in 30 s')), 30_000);
      child.once('exit', (code) => reject(new Error(`floor server exited (${String(code)})`)));
      child.on('message', (m: FromFloor) => {
        if (m.t === 'ready') {
          clearTimeout(t);
          resolve(m.port);
        } else loops.push(m.loopMs);
      });
    });
    fleet = await ClientFleet.open(`https://127.0.0.1:${port}`, 'lbos_session=floor', clients, threads());
    await sleep(2000);
    const { lastMs, allMs } = await timeChanges(fleet, changes, (i) => `floor-${i}`, (i) => child.send({ t: 'send', marker: `floor-${i}` } satisfies ToFloor));
    const p50 = quantile(lastMs, 0.5);
    const p99 = quantile(lastMs, 0.99);
    log(`floor (bare Node TLS fan-out, same clients): last of ${clients}: p50 ${p50.toFixed(1)} ms, p99 ${p99.toFixed(1)} ms; write loop p50 ${quantile(loops, 0.5).toFixed(1)} ms, p99 ${quantile(loops, 0.99).toFixed(1)} ms`);
    const setting = `${clients} clients, TLS, loopback`;
    const system = 'floor: bare Node TLS';
    return {
      p50, p99,
      rows: [
        { metric: 'state change -> last client has it (p50 in median column)', system, setting, unit: 'ms', ...summarize(lastMs), median: p50, note: `p99 ${p99.toFixed(1)} ms; IPC send -> ${clients}th client; one https server, hand upgrade, one write per socket (bench/statusd/floor-server.ts)` },
        { metric: 'state change -> last client has it, p99', system, setting, unit: 'ms', n: lastMs.length, median: p99, min: p99, max: p99, note: 'what any single Node process does here' },
        { metric: 'state change -> each client has it', system, setting, unit: 'ms', ...summarize(allMs), note: `p99 ${quantile(allMs, 0.99).toFixed(1)} ms` },
        { metric: 'statusd fan-out: one delta queued to every client (p50 in median column)', system, setting, unit: 'ms', ...summarize(loops), median: quantile(loops, 0.5), note: `p99 ${quantile(loops, 0.99).toFixed(1)} ms; the write loop alone` },
      ],
    };
  } finally {
    await fleet?.close();
    child.kill('SIGKILL');
    rmSync(dir, { recursive: true, force: true });
  }
}

async function slowConsumers(rig: Rig, slow: number, log: (m: string) => void): Promise<BenchRow[]> {
  const { cookie } = await login(rig.base, rig.password);
  await sleep(1000);
  const before = rssMiB(rig.pid);
  const stalled = await Promise.all(Array.from({ length: slow }, () => stalledClient(rig.base, cookie)));
  const readers = await ClientFleet.open(rig.base, cookie, 10, 1);
  try {
    const detail = 'x'.repeat(100);
    const rounds = 300;
    let bytes = 0;
    const rss = sampleRss(rig.pid, 50);
    for (let i = 0; i < rounds; i++) {
      const resources: [string, string, string][] = Array.from({ length: 200 }, (_, k) => [`IPaddr::192.0.${k}.${i % 250}/24/eth0`, 'held', detail]);
      const { arrived } = await readers.expect(`192.0.199.${i % 250}/24`);
      rig.hbd.update({ Resources: resources });
      await arrived;
      bytes += resources.length * 140;
    }
    await sleep(500);
    const samples = rss.stop();
    const stats = await rig.stats();
    const pushedMiB = bytes / 2 ** 20;
    const peak = Math.max(...samples);
    log(`${slow} stalled clients while ${pushedMiB.toFixed(1)} MiB of deltas went out: statusd RSS ${MiB(before)} -> peak ${MiB(peak)}; ` +
      `stalled ${String(stats.stalled)}, max buffered per client ${(Number(stats.maxBufferedBytes) / 1024).toFixed(0)} KiB, total buffered ${(Number(stats.bufferedBytes) / 2 ** 20).toFixed(1)} MiB`);
    const setting = `${slow} clients stop reading, 10 read; ${rounds} deltas of ~28 KiB`;
    return [
      { metric: 'statusd RSS with clients that stopped reading', system: 'statusd', setting, unit: 'MiB', ...summarize(samples), note: `before ${before.toFixed(1)} MiB; unbounded queues would hold ${(pushedMiB * slow).toFixed(0)} MiB` },
      { metric: 'bytes held for one stalled client (max)', system: 'statusd', setting, unit: 'KiB', n: 1, median: Number(stats.maxBufferedBytes) / 1024, min: Number(stats.maxBufferedBytes) / 1024, max: Number(stats.maxBufferedBytes) / 1024, note: `slow_client_high 64 KiB; ${String(stats.stalled)} clients stalled (collapsed to a snapshot when they drain, dropped after 30 s)` },
    ];
  } finally {
    stalled.forEach((s) => s.destroy());
    await readers.close();
  }
}

/** statusd's last-client latency at `clients` as a ratio to the floor's, same run. */
function ratioRows(rows: BenchRow[], f: { rows: BenchRow[]; p50: number; p99: number }, clients: number): BenchRow[] {
  const setting = `${clients} clients, TLS, loopback`;
  const of = (metric: string): number => rows.find((r) => r.system === 'statusd' && r.setting === setting && r.metric === metric)?.median ?? NaN;
  const p50 = of('state change -> last client has it (p50 in median column)') / f.p50;
  const p99 = of('state change -> last client has it, p99') / f.p99;
  return [
    ...f.rows,
    { metric: 'state change -> last client has it: statusd / floor (p50)', system: 'statusd', setting, unit: 'x', n: 1, median: p50, min: p50, max: p50, note: `p99 ratio ${p99.toFixed(2)}; same clients, same run` },
  ];
}

export const statusdBench: Benchmark = {
  name: 'statusd',
  title: 'statusd live feed: 1,000 WebSocket clients, slow consumers',
  run: async (log) => {
    const clients = num('BENCH_STATUSD_CLIENTS', 1000);
    const changes = num('BENCH_STATUSD_CHANGES', 300);
    const slow = num('BENCH_STATUSD_SLOW', 100);
    if (fdLimit('self') < clients + 200) log(`warning: this process may open only ${fdLimit('self')} files; raise ulimit -n above ${clients + 200}`);
    const rows: BenchRow[] = [];
    // A fresh statusd per phase: RSS figures do not carry the previous phase's heap.
    for (const phase of ['small', 'full', 'slow'] as const) {
      const rig = await startRig();
      try {
        // statusd starts its system-figures worker one sample interval (5 s) after it starts: RSS counts it.
        await sleep(6000);
        if (phase === 'slow') {
          rows.push(...(await slowConsumers(rig, slow, log)));
          continue;
        }
        if (phase === 'full') {
          const idle = rssMiB(rig.pid);
          log(`statusd RSS with no client: ${MiB(idle)}`);
          rows.push({ metric: 'statusd RSS, no client', system: 'statusd', setting: 'started, sources on the bus', unit: 'MiB', n: 1, median: idle, min: idle, max: idle });
        }
        rows.push(...(await latency(rig, phase === 'full' ? clients : Math.max(1, Math.round(clients / 10)), phase === 'full' ? changes : 20, log, phase === 'full')));
      } finally {
        await rig.stop();
      }
      if (phase === 'full') rows.push(...ratioRows(rows, await floor(clients, changes, log), clients));
    }
    return rows;
  },
};
