import test from 'ava';
import { PropsMirror } from './props-mirror';
import type { Props } from './props-proxy';

/** A GetAll whose replies the test releases by hand. */
function controlledRead(): { read: () => Promise<Props>; calls: number; answer(p: Props): void } {
  const pending: ((p: Props) => void)[] = [];
  const r = {
    calls: 0,
    read: () => {
      r.calls += 1;
      return new Promise<Props>((resolve) => pending.push(resolve));
    },
    answer: (p: Props) => pending.shift()?.(p),
  };
  return r;
}

const tick = (): Promise<void> => new Promise((r) => setImmediate(r));

test('nothing is shown before the first read; then the read, then signals at once', async (t) => {
  const r = controlledRead();
  const shown: Props[] = [];
  const m = new PropsMirror(r.read, (p) => shown.push(p), () => t.fail());
  const done = m.refresh();
  r.answer({ State: 'init', Role: 'master' });
  await done;
  t.deepEqual(shown, [{ State: 'init', Role: 'master' }]);
  m.signal({ State: 'active' }, []);
  t.deepEqual(shown.at(-1), { State: 'active', Role: 'master' });
  t.is(r.calls, 1, 'no polling');
});

test('a signal during the read (possibly older than the reply) costs one more read, and the copy converges', async (t) => {
  const r = controlledRead();
  const shown: Props[] = [];
  const m = new PropsMirror(r.read, (p) => shown.push({ ...p }), () => t.fail());
  const done = m.refresh();
  m.signal({ State: 'active' }, []); // arrives while GetAll is in flight
  t.deepEqual(shown, [], 'not shown before the first read');
  r.answer({ State: 'init' }); // the reply may predate the signal
  await tick();
  t.is(r.calls, 2, 'read again');
  r.answer({ State: 'active' });
  await done;
  t.deepEqual(shown.at(-1), { State: 'active' });
});

test('invalidated properties are read again; a failed read is reported; stop() silences it', async (t) => {
  const r = controlledRead();
  const errors: unknown[] = [];
  const shown: Props[] = [];
  const m = new PropsMirror(r.read, (p) => shown.push({ ...p }), (e) => errors.push(e));
  const first = m.refresh();
  r.answer({ A: 1 });
  await first;
  m.signal({}, ['A']);
  t.is(r.calls, 2);
  r.answer({ A: 2 });
  await tick();
  t.deepEqual(shown.at(-1), { A: 2 });
  const failing = new PropsMirror(() => Promise.reject(new Error('gone')), () => undefined, (e) => errors.push(e));
  await failing.refresh();
  t.is(errors.length, 1);
  m.stop();
  m.signal({ A: 3 }, []);
  t.deepEqual(shown.at(-1), { A: 2 });
});
