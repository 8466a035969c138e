/**
 * The feed protocol over a real HTTPS/WebSocket server on loopback:
 * snapshot, ordered deltas, resume, slow consumers, keep-alive.
 */
import test from 'ava';
import { applyChanges, type JsonObject } from './core/json';
import { FeedClient, login, stalledClient, startTestStatusd } from './testing/harness';

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** State rebuilt from what a client received, checking that seqs have no gap. */
function replay(c: FeedClient): { state: JsonObject; seq: number } {
  let state: JsonObject = {};
  let seq = -1;
  for (const m of c.messages) {
    if (m.t === 'snapshot') {
      state = m.state as JsonObject;
      seq = m.seq as number;
    } else if (m.t === 'resumed') {
      if (m.from !== seq) throw new Error(`resumed from ${String(m.from)} but we had ${seq}`);
      seq = m.seq as number;
    } else if (m.t === 'delta') {
      if (m.seq !== seq + 1) throw new Error(`gap: ${seq} -> ${String(m.seq)}`);
      state = applyChanges(state, m.changes as never);
      seq = m.seq as number;
    }
  }
  return { state, seq };
}

test('snapshot first, then every delta in order; the client ends with the server state', async (t) => {
  const s = await startTestStatusd();
  t.teardown(() => s.stop());
  const { cookie } = await login(s.base, s.password);
  const c = FeedClient.open(s.feedUrl, { cookie });
  t.teardown(() => c.close());
  await c.opened;
  await c.until('snapshot', () => c.messages.length >= 1);
  t.like(c.messages[0], { t: 'snapshot', epoch: s.app.hub.epoch, state: { hbd: { running: true, state: 'init' } } });
  for (let i = 0; i < 50; i++) s.source.set(['n'], i);
  s.source.set(['state'], 'active');
  s.source.set(['gone'], 1);
  s.source.set(['gone'], undefined);
  await c.until('all deltas', () => c.seq === s.app.hub.seq);
  t.deepEqual(c.messages.slice(1).map((m) => m.t), Array<string>(53).fill('delta'));
  t.deepEqual(replay(c), { state: s.app.hub.state, seq: s.app.hub.seq });
});

test('resume: a client back with its last seq gets exactly the deltas it missed', async (t) => {
  const s = await startTestStatusd();
  t.teardown(() => s.stop());
  const { cookie } = await login(s.base, s.password);
  const a = FeedClient.open(s.feedUrl, { cookie });
  await a.until('snapshot', () => a.messages.length >= 1);
  s.source.set(['state'], 'passive');
  await a.until('delta', () => a.seq === s.app.hub.seq);
  const last = a.seq;
  a.close();
  s.source.set(['state'], 'active');
  s.source.set(['peer'], 'u2');
  s.source.set(['state'], 'passive');
  const b = FeedClient.open(s.feedUrl, { cookie, resume: `${s.app.hub.epoch}.${last}` });
  t.teardown(() => b.close());
  await b.until('resume', () => b.seq === s.app.hub.seq);
  t.deepEqual(b.messages.map((m) => [m.t, m.seq ?? null]), [['resumed', last + 3], ['delta', last + 1], ['delta', last + 2], ['delta', last + 3]]);
  t.like(b.messages[0], { from: last });
  t.deepEqual(b.messages.slice(1).map((m) => m.changes), [
    [{ path: ['hbd', 'state'], value: 'active' }], [{ path: ['hbd', 'peer'], value: 'u2' }], [{ path: ['hbd', 'state'], value: 'passive' }],
  ]);
});

test('resume from a seq older than the history, or from another epoch: a fresh snapshot', async (t) => {
  const s = await startTestStatusd({ config: { historyDeltas: 4 } });
  t.teardown(() => s.stop());
  const { cookie } = await login(s.base, s.password);
  const seq0 = s.app.hub.seq;
  for (let i = 0; i < 10; i++) s.source.set(['n'], i);
  for (const resume of [`${s.app.hub.epoch}.${seq0}`, `someother.${s.app.hub.seq}`]) {
    const c = FeedClient.open(s.feedUrl, { cookie, resume });
    await c.until('snapshot', () => c.messages.length >= 1);
    c.close();
    t.like(c.messages[0], { t: 'snapshot', seq: s.app.hub.seq, state: { hbd: { n: 9 } } }, resume);
  }
});

test('slow consumer: a client that stops reading is held at the limit, collapsed to one snapshot, or dropped', async (t) => {
  const high = 256 * 1024;
  const s = await startTestStatusd({ config: { slowHighBytes: high, slowLowBytes: 16 * 1024, slowTimeoutMs: 1500 } });
  t.teardown(() => s.stop());
  const { cookie } = await login(s.base, s.password);
  const healthy = FeedClient.open(s.feedUrl, { cookie });
  t.teardown(() => healthy.close());
  await healthy.until('snapshot', () => healthy.messages.length >= 1);
  const reader = await stalledClient(s.base, cookie); // will read again later
  const never = await stalledClient(s.base, cookie); // never reads
  t.teardown(() => {
    reader.destroy();
    never.destroy();
  });
  const big = 'x'.repeat(64 * 1024);
  let maxBuffered = 0;
  let sawStalled = 0;
  for (let i = 0; i < 300; i++) {
    s.source.set(['blob'], `${i}:${big}`);
    const st = s.app.hub.stats();
    maxBuffered = Math.max(maxBuffered, st.maxBufferedBytes);
    sawStalled = Math.max(sawStalled, st.stalled);
    await sleep(1); // let the healthy client (same process) read
  }
  t.log(`published ${(300 * big.length) / 2 ** 20} MiB; max buffered for one client ${(maxBuffered / 1024).toFixed(0)} KiB; stalled ${sawStalled}`);
  t.true(sawStalled >= 2, 'both non-reading clients were held back');
  t.true(maxBuffered <= high + big.length + 1024, `server never buffered past the limit + one message (${maxBuffered})`);
  await healthy.until('healthy client got everything', () => healthy.seq === s.app.hub.seq);
  t.deepEqual(replay(healthy), { state: s.app.hub.state, seq: s.app.hub.seq }, 'a reading client ends with the server state');
  // The reader drains: it gets one snapshot for everything it missed, then live deltas.
  const seen: Buffer[] = [];
  reader.on('data', (d: Buffer) => seen.push(d));
  reader.resume();
  const want = `"t":"snapshot","epoch":"${s.app.hub.epoch}","seq":${s.app.hub.seq}`;
  const text = (): string => Buffer.concat(seen).toString('latin1');
  for (let i = 0; i < 100 && !text().includes(want); i++) await sleep(50);
  t.true(text().includes(want), 'the drained client got a snapshot at the current seq');
  t.true(s.app.hub.counters.collapsed >= 1);
  // The one that never reads is dropped after the stall timeout.
  for (let i = 0; i < 80 && s.app.hub.counters.droppedSlow === 0; i++) await sleep(50);
  const closed = new Promise<void>((r) => never.once('close', () => r()));
  never.resume(); // read what the kernel holds: the end of the stream follows
  await Promise.race([closed, sleep(4000)]);
  t.true(never.destroyed, 'the stuck client was disconnected');
  t.is(s.app.hub.counters.droppedSlow, 1);
  t.true(s.logs.some((l) => l.msg === 'slow client: stalled too long, disconnected'));
});

test('keep-alive: heartbeats reach live clients; a client that does not answer pings is dropped', async (t) => {
  const s = await startTestStatusd({ config: { heartbeatMs: 200 } });
  t.teardown(() => s.stop());
  const { cookie } = await login(s.base, s.password);
  const live = FeedClient.open(s.feedUrl, { cookie });
  const deaf = FeedClient.open(s.feedUrl, { cookie, wsOptions: { autoPong: false } });
  t.teardown(() => {
    live.close();
    deaf.close();
  });
  await deaf.opened;
  await deaf.until('dropped', () => deaf.closeCode !== null, 3000);
  t.is(deaf.closeCode, 1006, 'terminated without a close frame');
  await live.until('3 heartbeats', () => live.messages.filter((m) => m.t === 'hb').length >= 3, 3000);
  t.is(live.closeCode, null);
  t.like(live.messages.find((m) => m.t === 'snapshot'), { hbMs: 200 });
  t.is(s.app.feed.drops.dead, 1);
});

test('application ping gets a pong; junk gets an error message and is counted', async (t) => {
  const s = await startTestStatusd();
  t.teardown(() => s.stop());
  const { cookie } = await login(s.base, s.password);
  const c = FeedClient.open(s.feedUrl, { cookie });
  t.teardown(() => c.close());
  await c.opened;
  c.ws.send(JSON.stringify({ t: 'ping', id: 42 }));
  c.ws.send('not json');
  await c.until('pong and error', () => c.messages.some((m) => m.t === 'pong') && c.messages.some((m) => m.t === 'error'));
  t.like(c.messages.find((m) => m.t === 'pong'), { id: 42 });
  t.like(c.messages.find((m) => m.t === 'error'), { code: 'BAD_MESSAGE', message: 'not-json' });
  t.is(s.app.feed.drops['not-json'], 1);
});
