/**
 * Config sync benchmark: time to push and apply one changed config file of
 * 10 KB, 1 MB and 10 MB from unit 1 to unit 2, with csyncd against
 * `rsync -e ssh`, `scp` (a stock OpenSSH sshd on unit 2) and csync2, all in
 * the same simulated pair, interleaved per repetition.
 *
 * csyncd is timed as the web UI or csyncctl drive it: a D-Bus Push() on
 * unit 1 until the peer has validated, swapped (fsync'ed, atomic) and run
 * apply; its SSH connection is kept open between pushes. The csyncctl row
 * adds a Node.js start. rsync and scp are timed as commands (transfer only:
 * no validation, no apply, no fsync); csync2 as `csync2 -x` (nossl).
 *
 * Env: BENCH_REPS  repetitions per system and size (default 10)
 */
import { createHash } from 'node:crypto';
import * as os from 'node:os';
import { readFileSync, writeFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import type { SimUnit } from '../scripts/sim/pair';
import { callMember, connectSystemBus, getServiceProxy } from '../services/runtime/dbus';
import { CsyncPair, ETC, type UnitPaths } from '../services/csyncd/testing/csync-pair';
import { startCsync2, CSYNC2_FILE, type Csync2 } from './csync/csync2';
import { changeOne, configOf, prng, SIZES } from './csync/payload';
import { buildRows, type Series } from './csync/rows';
import { startSshd, type Sshd } from './csync/sshd';
import { intFromEnv } from './lib/env';
import { summarize, type Benchmark } from './lib/types';

const SEED = 5;
const registry = (_u: SimUnit, _p: UnitPaths): string => `service bench\n    file ${ETC}/bench.cfg\n    apply /bin/true\n    max_size 32M\n`;
const sha = (b: string | Buffer): string => createHash('sha256').update(b).digest('hex');

interface System {
  name: string;
  /** The source file it pushes (changed before each run); null: a baseline that pushes nothing. */
  file: string | null;
  run: () => Promise<boolean>;
  note?: string;
}

const BASELINE = 'ssh';
const load = (): string => os.loadavg().map((x) => x.toFixed(1)).join('/');

export const csyncBench: Benchmark = {
  name: 'csync',
  title: 'csyncd push vs rsync -e ssh, scp and csync2',
  run: async (log) => {
    const reps = intFromEnv('BENCH_REPS', 10, 1);
    if (reps.warning !== undefined) log(reps.warning);
    const cp = await CsyncPair.create({ registry, checkInterval: '10s' });
    let sshd: Sshd | undefined;
    let c2: Csync2 | undefined;
    const bus = await connectSystemBus(cp.unit(0).busAddress);
    try {
      for (const i of [0, 1] as const) writeFileSync(cp.etcFile(i, 'bench.cfg'), `unit ${i + 1}\n`);
      await cp.exchangeKeys();
      const csyncd = await getServiceProxy(bus, 'csyncd');
      const ssh = await startSshd(cp.pair, async (argv) => (await cp.exec(0, argv)).code);
      sshd = ssh;
      try {
        c2 = await startCsync2(cp.pair, [cp.paths[0].etc, cp.paths[1].etc]);
      } catch (err) {
        log(`csync2 did not start, its series is skipped: ${String(err)}`);
      }
      const ok = (r: { code: number | null }): boolean => r.code === 0;
      const scpOptions = ssh.sshOptions.map((o) => (o === '-p' ? '-P' : o));
      const target = ssh.target;
      const sshCmd = `ssh ${ssh.sshOptions.join(' ')}`;
      const systems: System[] = [
        { name: 'csyncd (D-Bus Push, kept-open SSH)', file: 'bench.cfg', run: async () => (await callMember(csyncd.iface, 'Push', 'bench', false), true) },
        { name: 'csyncctl push (CLI, incl. Node start)', file: 'bench.cfg', run: async () => ok(await cp.ctl(0, ['push', 'bench'])) },
        { name: 'rsync -e ssh', file: 'bench-rsync.cfg', run: async () => ok(await cp.exec(0, ['rsync', '-e', sshCmd, cp.etcFile(0, 'bench-rsync.cfg'), `${target}:${cp.etcFile(1, 'bench-rsync.cfg')}`])), note: 'transfer only: no validate/apply, no fsync' },
        { name: 'scp', file: 'bench-scp.cfg', run: async () => ok(await cp.exec(0, ['scp', '-q', ...scpOptions, cp.etcFile(0, 'bench-scp.cfg'), `${target}:${cp.etcFile(1, 'bench-scp.cfg')}`])), note: 'transfer only: no validate/apply, no fsync, not atomic' },
        ...(c2 === undefined ? [] : [{ name: 'csync2 -x (nossl)', file: CSYNC2_FILE, run: async () => ok(await cp.exec(0, c2?.clientArgv ?? [], undefined, c2?.env)), note: 'no TLS (nossl); sqlite state db' }]),
        // What every rsync and scp run pays before the first byte: a new OpenSSH connection.
        { name: BASELINE, file: null, run: async () => ok(await cp.exec(0, ['ssh', ...ssh.sshOptions, target, 'true'])) },
      ];
      const loadBefore = load();
      const setup: number[] = [];
      const series: Series[] = [];
      for (const size of SIZES) {
        const rnd = prng(SEED + size.bytes);
        const lines = configOf(size.bytes, rnd);
        const runs = new Map(systems.filter((s) => s.file !== null).map((s) => [s.name, { system: s.name, size: size.label, ms: [] as number[], failures: 0, note: s.note } satisfies Series]));
        log(`${size.label}: ${reps.value} repetitions x ${systems.length} systems`);
        for (let rep = -1; rep < reps.value; rep++) {
          for (const s of systems) {
            const text = s.file === null ? '' : changeOne(lines, rnd);
            if (s.file !== null) writeFileSync(cp.etcFile(0, s.file), text);
            const t0 = performance.now();
            const good = await s.run().catch((err: unknown) => (log(`${s.name}: ${String(err).split('\n')[0] ?? ''}`), false));
            const ms = performance.now() - t0;
            if (rep < 0) continue; // warm-up: every destination now holds an older version
            if (s.file === null) {
              if (good) setup.push(ms);
              continue;
            }
            const r = runs.get(s.name);
            if (r === undefined) continue;
            if (good && safeSha(cp.etcFile(1, s.file)) === sha(text)) r.ms.push(ms);
            else r.failures++;
          }
        }
        for (const r of runs.values()) {
          series.push(r);
          const med = [...r.ms].sort((a, b) => a - b)[Math.floor(r.ms.length / 2)];
          log(`  ${r.system}: median ${med?.toFixed(1) ?? 'n/a'} ms${r.failures > 0 ? `, ${r.failures} failed` : ''}`);
        }
      }
      return [
        ...buildRows(series),
        {
          metric: 'new OpenSSH connection + `true` (inside every rsync/scp run)',
          system: BASELINE,
          setting: 'OpenSSH 9.2 defaults',
          unit: 'ms',
          ...summarize(setup),
          note: `interleaved with the runs above; csyncd keeps one ssh2 connection open instead; load average (1/5/15 min) ${loadBefore} at start, ${load()} at end`,
        },
      ];
    } finally {
      bus.disconnect();
      await sshd?.proc.stop();
      await c2?.server.stop();
      await cp.stop();
    }
  },
};

function safeSha(p: string): string {
  try {
    return sha(readFileSync(p));
  } catch {
    return '(missing)';
  }
}
