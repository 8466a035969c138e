import test from 'ava';
import * as os from 'node:os';
import * as path from 'node:path';
import { Worker } from 'node:worker_threads';
import type { WorkerMessage } from './system-worker';

/** The real worker on this machine's /proc: the first `count` samples it posts. */
function samples(count: number): Promise<WorkerMessage[]> {
  const worker = new Worker(path.join(__dirname, 'system-worker.js'), { workerData: { intervalMs: 100 } });
  const got: WorkerMessage[] = [];
  return new Promise<WorkerMessage[]>((resolve, reject) => {
    worker.on('error', reject);
    worker.on('message', (m: WorkerMessage) => {
      got.push(m);
      if (got.length === count) resolve(got);
    });
  }).finally(() => void worker.terminate());
}

test('samples CPU load, cores, 1-minute load and uptime from /proc; memory, disks every 6th', async (t) => {
  const [first, second] = await samples(2);
  if (first === undefined || second === undefined) return t.fail('no samples');
  for (const m of [first, second]) {
    t.false(m.failed.includes('cpu'), `cpu failed: ${m.failed.join(', ')}`);
    const load = m.sample.currentLoad;
    t.true(typeof load?.currentLoad === 'number' && load.currentLoad >= 0 && load.currentLoad <= 100);
    t.is(load?.cpus?.length, os.cpus().length);
    t.true((m.sample.time?.uptime ?? 0) > 0);
    t.true((m.sample.mem?.total ?? 0) > 0);
  }
  t.true(Array.isArray(first.sample.fsSize) && first.sample.fsSize.length > 0, 'disks read on the first sample');
  t.deepEqual(second.sample.fsSize, first.sample.fsSize, 'disks not re-read on the second');
});
