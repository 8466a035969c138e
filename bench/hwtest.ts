/**
 * hw-test on the simulated rig: what `make hw-test` costs in CI (the whole
 * run, detection + rig build before the first check, each group of checks)
 * and the figures the rig gives (veth throughput, serial echo over a pty,
 * loop-device read). Runs the real CLI RUNS times and reads its JSON reports.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { performance } from 'node:perf_hooks';
import type { RunReport } from '../hw-test/report/model';
import { summarize, type Benchmark, type BenchRow } from './lib/types';

const RUNS = 3;
const MAIN = path.join(__dirname, '..', 'hw-test', 'main.js');

function oneRun(): { wallMs: number; report: RunReport } {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'hwt-bench-'));
  try {
    const t0 = performance.now();
    const r = spawnSync(process.execPath, [MAIN, '--hw', 'sim', '--report-dir', dir], { encoding: 'utf8', timeout: 300_000 });
    const wallMs = performance.now() - t0;
    if (r.status !== 0) throw new Error(`hw-test --hw sim exited ${r.status}: ${r.stdout.slice(-2000)}${r.stderr}`);
    const json = readdirSync(dir).find((f) => f.endsWith('.json'));
    if (json === undefined) throw new Error('hw-test wrote no JSON report');
    return { wallMs, report: JSON.parse(readFileSync(path.join(dir, json), 'utf8')) as RunReport };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export const hwtestBench: Benchmark = {
  name: 'hwtest',
  title: 'hw-test on the simulated rig (`make hw-test` in CI)',
  run: (log) => {
    const runs: { wallMs: number; report: RunReport }[] = [];
    for (let i = 0; i < RUNS; i++) {
      const r = oneRun();
      log(`run ${i + 1}: ${Math.round(r.wallMs)} ms, ${r.report.summary.pass} passed, ${r.report.summary.skip} skipped`);
      runs.push(r);
    }
    const setting = 'sim.profile: 4 veth ports, 2 cables, 1 pty at 5 bauds, loop disk, LCDd curses, 3 LEDs';
    const row = (metric: string, unit: string, samples: number[], note?: string): BenchRow => ({ metric, system: 'hw-test', setting, unit, ...summarize(samples), ...(note === undefined ? {} : { note }) });
    const measured = (id: string, key: string): number[] =>
      runs.map((r) => r.report.checks.find((c) => c.id === id)?.measurements[key]).filter((v): v is number => typeof v === 'number');
    const beforeFirstCheck = runs.map((r) => Date.parse(r.report.checks[0]?.startedAt ?? r.report.startedAt) - Date.parse(r.report.startedAt));
    const groups = [...new Set(runs[0]?.report.checks.map((c) => c.group) ?? [])];
    const rows: BenchRow[] = [
      row('whole run (node start to exit)', 'ms', runs.map((r) => r.wallMs), 'one machine of 2 cores shared with other jobs'),
      row('detection + rig build, before the first check', 'ms', beforeFirstCheck),
      ...groups.map((g) => row(`checks of group ${g}`, 'ms', runs.map((r) => r.report.checks.filter((c) => c.group === g).reduce((a, c) => a + c.durationMs, 0)))),
      row('traffic p0-p1: TCP throughput over veth', 'Mb/s', measured('nic.p0-p1.traffic', 'throughput_mbps'), '8 MiB, one TCP stream; node:net on both ends'),
      row('traffic p0-p1: UDP echo round trip', 'ms', measured('nic.p0-p1.traffic', 'rtt_avg_ms'), '100 packets, 16 in flight'),
      row('serial echo at 115200: 20 frames of 64 bytes', 'ms', measured('serial.ttyS0.115200', 'elapsed_ms'), 'pty: no baud-rate pacing'),
      row('disk read (loop device, O_DIRECT)', 'MiB/s', measured('disk.disk0.read', 'read_mib_per_s'), '8 MiB from a sparse file'),
    ];
    return Promise.resolve(rows);
  },
};
