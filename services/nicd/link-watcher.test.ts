import test from 'ava';
import { LinkWatcher, SETTLE_MS } from './link-watcher';
import type { LinkSnapshot } from './core/link-events';
import { fakeLink } from './ports/fake-net';
import { createLogger } from '../runtime/log';

const snap = (carrier: boolean): LinkSnapshot => ({ links: [fakeLink('eth0', { carrier })], addresses: [] });

function rig(): { watcher: LinkWatcher; reads: () => number; updates: number[]; setCarrier(c: boolean): void } {
  let reads = 0;
  let carrier = true;
  const updates: number[] = [];
  const watcher = new LinkWatcher(async () => {
    reads++;
    await new Promise((r) => setImmediate(r));
    return snap(carrier);
  }, (_s, events) => updates.push(events.length), createLogger({ service: 'nicd-test', level: 'silent' }));
  return { watcher, reads: () => reads, updates, setCarrier: (c) => (carrier = c) };
}

test('events during quiet() give one re-read after it, none while it runs', async (t) => {
  const r = rig();
  await r.watcher.refresh();
  t.is(r.reads(), 1);
  const result = await r.watcher.quiet(async () => {
    for (let i = 0; i < 5; i++) {
      r.watcher.trigger();
      await new Promise((res) => setImmediate(res));
    }
    r.setCarrier(false);
    t.is(r.reads(), 1, 'no re-read while the change runs');
    setTimeout(() => r.watcher.trigger(), SETTLE_MS / 2); // a late echo of the change
    return 'done';
  });
  t.is(result, 'done');
  t.is(r.reads(), 2, 'one re-read for the five events, finished before quiet() resolves');
  t.deepEqual(r.updates, [0, 1], 'the carrier change is reported once');
});

test('quiet() without events re-reads only when asked to; a failing change still re-reads and rethrows', async (t) => {
  const r = rig();
  await r.watcher.refresh();
  await r.watcher.quiet(async () => undefined);
  t.is(r.reads(), 1, 'nothing signalled: no re-read');
  await r.watcher.quiet(async () => undefined, true);
  t.is(r.reads(), 2, 'reread=true: one re-read');
  await t.throwsAsync(r.watcher.quiet(async () => {
    r.watcher.trigger();
    throw new Error('step failed');
  }), { message: 'step failed' });
  t.is(r.reads(), 3, 'the event seen during the failed change is still read');
});

test('events outside quiet() are gathered for SETTLE_MS, then read once', async (t) => {
  const r = rig();
  await r.watcher.refresh();
  r.watcher.trigger();
  r.watcher.trigger();
  r.setCarrier(false);
  t.is(r.reads(), 1, 'not read at once');
  // Wait for the re-read's update (bounded), not a fixed time: on a loaded machine the timer and the read come late.
  const end = Date.now() + 10_000;
  while (r.updates.length < 2 && Date.now() < end) await new Promise((res) => setTimeout(res, SETTLE_MS));
  t.deepEqual(r.updates, [0, 1]);
  await new Promise((res) => setTimeout(res, 2 * SETTLE_MS));
  t.is(r.reads(), 2, 'two events, one re-read, nothing after it');
});

test('nested quiet(): the re-read waits for the outer one', async (t) => {
  const r = rig();
  await r.watcher.refresh();
  await r.watcher.quiet(async () => {
    await r.watcher.quiet(async () => r.watcher.trigger());
    t.is(r.reads(), 1, 'still held by the outer quiet()');
  });
  t.is(r.reads(), 2);
});
