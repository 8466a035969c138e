/**
 * Quick Start benchmark (issue 20): rootfs/test/quickstart-test.sh on the
 * qcow2 in out/ (make image-kvm first): two unseeded units under QEMU
 * walked through the Quick Start by a scripted person (console setup login,
 * initial password from the banner, first web login, pairing from the HA
 * page, a push and saves from the sync page, the active unit powered off).
 * Goals: QEMU start of both -> paired with sync green under 3 min under
 * TCG, under 10 s of it in pairing; what a person types: the reference
 * guide's steps, no file edited.
 */
import { spawn } from 'node:child_process';
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { repoRoot } from '../services/runtime/cli';
import type { Benchmark, BenchRow } from './lib/types';

interface QuickstartResult {
  accel: string;
  steps: { step: string; s: number }[];
  paired_s: number;
  pairing_s: number;
  failover_ms: number;
  total_s: number;
  typed: { console_lines: number; web_fields_and_clicks: number; files_edited: number };
}

const one = (metric: string, setting: string, unit: string, v: number, note: string): BenchRow =>
  ({ metric, system: 'LBOS image (qcow2), two units', setting, unit, n: 1, median: v, min: v, max: v, note });

export const quickstartBench: Benchmark = {
  name: 'quickstart',
  title: 'Quick Start on two unseeded appliances under QEMU: console setup, first login, pairing, failover',
  async run(log) {
    const out = process.env.OUT ?? path.join(repoRoot(), 'out');
    await new Promise<void>((resolve, reject) => {
      const child = spawn('rootfs/test/quickstart-test.sh', [], { cwd: repoRoot(), env: { ...process.env, OUT: out }, stdio: ['ignore', 'pipe', 'pipe'] });
      let tail = '';
      const onData = (b: Buffer): void => {
        const text = b.toString();
        tail = (tail + text).slice(-4000);
        for (const line of text.split('\n')) if (/^\[|^ok |^FAIL/.test(line)) log(line);
      };
      child.stdout.on('data', onData);
      child.stderr.on('data', onData);
      child.on('error', reject);
      child.on('close', (code) => (code === 0 ? resolve() : reject(new Error(`quickstart-test.sh exited ${code}:\n${tail}`))));
    });
    const r = JSON.parse(await fs.readFile(path.join(out, 'image-quickstart-test.json'), 'utf8')) as QuickstartResult;
    const setting = `${r.accel.toUpperCase()}, 2 vCPU + 2 GiB each, no seed disk`;
    const steps = r.steps.map((s) => `${s.step} ${s.s.toFixed(1)} s`).join('; ');
    return [
      one('QEMU start of both -> paired, sync green', setting, 's', r.paired_s, `goal < 180 s under TCG: ${r.paired_s < 180 ? 'met' : 'MISSED'}; steps: ${steps}`),
      one('pairing from the HA page (Pair clicked -> every step done)', setting, 's', r.pairing_s, `goal < 10 s: ${r.pairing_s < 10 ? 'met' : 'MISSED'}`),
      one('active unit powered off -> floating IP answers from the other', `${setting}; deadtime 10 s (pairing's default)`, 's', r.failover_ms / 1000, 'from the lab PC: ping + its neighbour table (gratuitous ARP)'),
      one('what a person types', setting, 'inputs', r.typed.console_lines + r.typed.web_fields_and_clicks,
        `${r.typed.console_lines} console lines (setup login, menu, wizard answers) + ${r.typed.web_fields_and_clicks} web fields and clicks; files edited: ${r.typed.files_edited}`),
    ];
  },
};
