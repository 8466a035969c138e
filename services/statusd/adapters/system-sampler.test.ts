import test from 'ava';
import * as os from 'node:os';
import { SystemSampler } from './system-sampler';

test('samples CPU load, cores, 1-minute load and uptime from /proc; memory; disks on the first and every 6th', async (t) => {
  const sampler = new SystemSampler();
  const first = await sampler.sample();
  await new Promise((r) => setTimeout(r, 100));
  const second = await sampler.sample();
  for (const m of [first, second]) {
    t.false(m.failed.includes('cpu'), `cpu failed: ${m.failed.join(', ')}`);
    const load = m.sample.currentLoad;
    t.true(typeof load?.currentLoad === 'number' && load.currentLoad >= 0 && load.currentLoad <= 100);
    t.is(load?.cpus?.length, os.cpus().length);
    t.true((m.sample.time?.uptime ?? 0) > 0);
    t.true((m.sample.mem?.total ?? 0) > 0);
  }
  t.true(Array.isArray(first.sample.fsSize) && first.sample.fsSize.length > 0, 'disks read on the first sample');
  t.is(second.sample.fsSize, first.sample.fsSize, 'disks not re-read on the second');
});
