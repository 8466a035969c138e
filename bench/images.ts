/**
 * Appliance images benchmark (issue 8): what a customer downloads and how long
 * the appliance takes to come up, with the build's own cost.
 *
 *   build:    rootfs/build.sh all, cold (empty cache: mmdebstrap, npm ci, Node
 *             download) then warm (same cache: only the services layer and the
 *             conversions are redone), into a scratch cache and out/ dir;
 *   sizes:    every artifact of that build (bytes, from its manifest);
 *   boot:     rootfs/test/image-test.sh on those artifacts: QEMU start -> all
 *             services active (TCG here; KVM where /dev/kvm runs guests);
 *   failover: rootfs/test/pair-test.sh: the active unit's QEMU killed -> the
 *             other holds the VIP (deadtime 4 s).
 *
 * Env: BENCH_IMAGES_CASES (boot cases, default "kvm-bios kvm-uefi"),
 *      BENCH_IMAGES_BOOTS (boots per case, default 3: medians),
 *      BENCH_IMAGES_PAIR (1 = run the pair failover, default 1),
 *      BENCH_IMAGES_COLD (1 = cold build from an empty cache, default 1;
 *      0 = no cold build, the warm one on this checkout's .cache/images).
 * Goals (issue 8): all targets < 10 min cold, < 2 min warm; OVA < 250 MB;
 * all services ready < 30 s after QEMU starts under TCG.
 * Needs root (the build runs mmdebstrap in root mode).
 */
import { spawn } from 'node:child_process';
import { promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { repoRoot } from '../services/runtime/cli';
import { summarize, type Benchmark, type BenchRow } from './lib/types';

interface Manifest {
  version: string;
  disk_bytes: number;
  artifacts: { file: string; bytes: number; sha256: string }[];
}
interface BootResult { case: string; firmware: string; format: string; accel: string; banner_ms: number; ready_ms: number; kernel_to_ready_ms?: number | null }
interface PairResult { failover_ms: number; survivor: string; deadtime_s: number; accel: string }

/** Run a command, passing its stage lines to the log; resolve with the wall time in ms. */
function run(cmd: string, args: string[], env: NodeJS.ProcessEnv, log: (m: string) => void): Promise<number> {
  const t0 = Date.now();
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { cwd: repoRoot(), env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let tail = '';
    const onData = (b: Buffer): void => {
      const text = b.toString();
      tail = (tail + text).slice(-4000);
      for (const line of text.split('\n')) if (/^\[|^ok |^FAIL|passed,/.test(line)) log(line);
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    child.on('error', reject);
    child.on('close', (code) => (code === 0 ? resolve(Date.now() - t0) : reject(new Error(`${cmd} ${args.join(' ')} exited ${code}:\n${tail}`))));
  });
}

const one = (metric: string, system: string, setting: string, unit: string, v: number, note?: string): BenchRow =>
  ({ metric, system, setting, unit, n: 1, median: v, min: v, max: v, ...(note === undefined ? {} : { note }) });

const MB = (b: number): number => Math.round((b / 1e6) * 10) / 10;

/** Published downloads of the reference vendors' virtual appliances, for scale (approximate, MB). */
const REFERENCE_NOTE = 'reference virtual appliances: several hundred MB to over 1 GB per hypervisor download';

async function buildRows(scratch: string, log: (m: string) => void): Promise<{ rows: BenchRow[]; out: string }> {
  const cold = process.env.BENCH_IMAGES_COLD !== '0';
  // Without the cold build, "warm" is only warm on a cache that has been filled:
  // this checkout's own (.cache/images, what `make image` left), not an empty scratch one.
  const cache = cold ? path.join(scratch, 'cache') : path.join(repoRoot(), '.cache', 'images');
  const out = path.join(scratch, 'out');
  const env = { CACHE: cache, OUT: out };
  const rows: BenchRow[] = [];
  if (cold) {
    log('cold build (empty cache)');
    const coldMs = await run('rootfs/build.sh', ['all'], env, log);
    rows.push(one('build, all targets, cold', 'rootfs/build.sh', 'empty cache: mmdebstrap + npm ci + conversions', 's', coldMs / 1000,
      coldMs < 600_000 ? 'goal < 10 min: met' : 'goal < 10 min: MISSED'));
  }
  // Warm: a change in services only (the compiled tree is rebuilt, the base reused).
  log('warm build (base cached)');
  const warm = await run('rootfs/build.sh', ['all'], env, log);
  rows.push(one('build, all targets, warm', 'rootfs/build.sh', 'cached base and modules', 's', warm / 1000,
    warm < 120_000 ? 'goal < 2 min: met' : 'goal < 2 min: MISSED'));
  const version = (JSON.parse(await fs.readFile(path.join(repoRoot(), 'package.json'), 'utf8')) as { version: string }).version;
  const m = JSON.parse(await fs.readFile(path.join(out, `lbos-${version}-manifest.json`), 'utf8')) as Manifest;
  for (const a of m.artifacts) {
    const target = a.file.replace(`lbos-${version}-`, '');
    const note = target.endsWith('.ova') ? `goal < 250 MB: ${a.bytes < 250e6 ? 'met' : 'MISSED'}; ${REFERENCE_NOTE}` : REFERENCE_NOTE;
    rows.push(one(`size: ${target}`, 'LBOS image', `disk ${MB(m.disk_bytes)} MB virtual`, 'MB', MB(a.bytes), note));
  }
  return { rows, out };
}

async function bootRows(out: string, log: (m: string) => void): Promise<BenchRow[]> {
  const cases = (process.env.BENCH_IMAGES_CASES ?? 'kvm-bios kvm-uefi').split(/\s+/).filter((c) => c !== '');
  // Several boots per case: under TCG on a shared host one image's boot varies by 30 % and more.
  const rounds = Math.max(1, Number(process.env.BENCH_IMAGES_BOOTS ?? 3) || 3);
  const boots: BootResult[] = [];
  for (let i = 0; i < rounds; i++) {
    log(`boot round ${i + 1}/${rounds}: ${cases.join(' ')}`);
    await run('rootfs/test/image-test.sh', cases, { OUT: out }, log);
    boots.push(...(JSON.parse(await fs.readFile(path.join(out, 'image-test.json'), 'utf8')) as BootResult[]));
  }
  const load = os.loadavg()[0]?.toFixed(1);
  return cases.flatMap((c) => {
    const mine = boots.filter((b) => b.case === c);
    const first = mine[0];
    if (first === undefined) return [];
    const ready = summarize(mine.map((b) => b.ready_ms / 1000));
    const banner = summarize(mine.map((b) => b.banner_ms / 1000));
    const guest = mine.map((b) => b.kernel_to_ready_ms).filter((k): k is number => typeof k === 'number');
    const guestNote = guest.length === 0 ? '' : `, guest kernel start -> ready median ${(summarize(guest).median / 1000).toFixed(1)} s`;
    return [{
      metric: `QEMU start -> all services active (${c})`, system: 'LBOS image', setting: `${first.accel.toUpperCase()}, ${first.firmware}, ${first.format}, 2 vCPU, load ${load}`, unit: 's', ...ready,
      note: `${ready.n} boots; console banner median ${banner.median.toFixed(1)} s${guestNote}; goal < 30 s under TCG: ${ready.median < 30 ? 'met' : 'MISSED'}`,
    }];
  });
}

async function pairRows(out: string, log: (m: string) => void): Promise<BenchRow[]> {
  if (process.env.BENCH_IMAGES_PAIR === '0') return [];
  await run('rootfs/test/pair-test.sh', [], { OUT: out }, log);
  const p = JSON.parse(await fs.readFile(path.join(out, 'image-pair-test.json'), 'utf8')) as PairResult;
  return [one('active unit powered off -> VIP on the other', 'hbd in two QEMU appliances', `${p.accel.toUpperCase()}, UDP over a QEMU socket network + serial chardev, deadtime ${p.deadtime_s} s`,
    's', p.failover_ms / 1000, 'measured from the host: kill -9 of QEMU -> the survivor sees the VIP on eth1 (polled every 50 ms in the guest)')];
}

export const imagesBench: Benchmark = {
  name: 'images',
  title: 'Appliance images: build time, sizes, boot to ready, pair failover under QEMU',
  async run(log) {
    const scratch = await fs.mkdtemp(path.join(os.tmpdir(), 'lbos-bench-images-'));
    try {
      const { rows, out } = await buildRows(scratch, log);
      rows.push(...(await bootRows(out, log)));
      rows.push(...(await pairRows(out, log)));
      return rows;
    } finally {
      await fs.rm(scratch, { recursive: true, force: true });
    }
  },
};
