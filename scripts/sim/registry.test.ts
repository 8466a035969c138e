/** Teardown's wait for killed processes: the pure loop, with /proc and the clock faked. */
import test from 'ava';
import { teardownIncomplete, waitGone, type ProcReader } from './registry';

const clock = (): { now: () => number; sleep: (ms: number) => void } => {
  let t = 0;
  return { now: () => t, sleep: (ms) => (t += ms) };
};

test('returns at once when every target is gone, a zombie, or a reused pid', (t) => {
  const table: Record<number, ReturnType<ProcReader>> = {
    1: null,
    2: { start: '100', state: 'Z', comm: 'socat' },
    3: { start: '999', state: 'R', comm: 'other' },
  };
  const c = clock();
  const left = waitGone([{ pid: 1, start: '10' }, { pid: 2, start: '100' }, { pid: 3, start: '300' }], 5000, (p) => table[p] ?? null, c.sleep, c.now);
  t.deepEqual(left, []);
  t.is(c.now(), 0);
});

test('waits while a target still runs and stops waiting when it dies', (t) => {
  const c = clock();
  const read: ProcReader = () => (c.now() < 50 ? { start: '7', state: 'D', comm: 'dd' } : null);
  t.deepEqual(waitGone([{ pid: 42, start: '7' }], 5000, read, c.sleep, c.now), []);
  t.true(c.now() >= 50 && c.now() < 100);
});

test('after the bound, names what survived with its state', (t) => {
  const c = clock();
  const left = waitGone([{ pid: 42, start: '7' }], 300, () => ({ start: '7', state: 'D', comm: 'socat' }), c.sleep, c.now);
  t.deepEqual(left, [{ pid: 42, state: 'D', comm: 'socat' }]);
  t.true(c.now() >= 300);
  const err = teardownIncomplete('lbsim-ab12', left, 300);
  t.is(err.code, 'TEARDOWN_INCOMPLETE');
  t.is(err.message, 'lbsim-ab12: still running 300 ms after SIGKILL: 42 (socat, state D)');
});
