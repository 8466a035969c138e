import test from 'ava';
import { WorkGate } from './work-gate';

/** A job that finishes when the test says so. */
function manual(): { job: () => Promise<string>; started: boolean; finish(v: string): void } {
  let finish: (v: string) => void = () => undefined;
  const m = {
    started: false,
    job: () => {
      m.started = true;
      return new Promise<string>((r) => (finish = r));
    },
    finish: (v: string) => finish(v),
  };
  return m;
}

const tick = () => new Promise((r) => setImmediate(r));

test('at most N at once, the rest in order, and a full queue refuses', async (t) => {
  const g = new WorkGate(2, 2);
  const jobs = [manual(), manual(), manual(), manual(), manual()];
  const results = jobs.map((j) => g.run(j.job));
  await tick();
  t.deepEqual(jobs.map((j) => j.started), [true, true, false, false, false]);
  t.is(await results[4], null, 'the queue was full: refused, not run');
  t.deepEqual([g.active, g.pending], [2, 2]);
  jobs[1]?.finish('b');
  t.is(await results[1], 'b');
  await tick();
  t.deepEqual(jobs.map((j) => j.started), [true, true, true, false, false], 'the first waiting one got the slot');
  jobs[0]?.finish('a');
  jobs[2]?.finish('c');
  await tick();
  t.true(jobs[3]?.started);
  jobs[3]?.finish('d');
  t.deepEqual(await Promise.all(results.slice(0, 4)), ['a', 'b', 'c', 'd']);
  t.deepEqual([g.active, g.pending], [0, 0]);
});

test('a failing job frees its slot', async (t) => {
  const g = new WorkGate(1, 1);
  await t.throwsAsync(g.run(() => Promise.reject(new Error('boom'))));
  t.is(await g.run(() => Promise.resolve(1)), 1);
  t.is(g.active, 0);
});
