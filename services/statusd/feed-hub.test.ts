import test from 'ava';
import pino from 'pino';
import { FeedHub, type HubOptions } from './feed-hub';
import { FakeConnection } from './ports/feed-connection';
import { applyChanges, type JsonObject } from './core/json';

function hub(over: Partial<HubOptions> = {}): { h: FeedHub; clock: { now: number } } {
  const clock = { now: 0 };
  const h = new FeedHub({
    epoch: 'E', history: { maxDeltas: 4, maxBytes: 1 << 20 }, flow: { highWaterBytes: 1000, lowWaterBytes: 100, stallTimeoutMs: 5000 },
    heartbeatMs: 1000, log: pino({ level: 'silent' }), now: () => clock.now, ...over,
  }, { unit: { hostname: 'u1' } });
  return { h, clock };
}

/** What a client's state is after applying everything it was sent. */
function replay(c: FakeConnection): { state: JsonObject; seq: number } {
  let state: JsonObject = {};
  let seq = -1;
  for (const m of c.messages()) {
    if (m.t === 'snapshot') ({ state, seq } = { state: m.state as JsonObject, seq: m.seq as number });
    if (m.t === 'resumed') seq = m.seq as number;
    if (m.t === 'delta') {
      if (m.seq !== seq + 1) throw new Error(`gap: ${seq} -> ${String(m.seq)}`);
      state = applyChanges(state, m.changes as never);
      seq = m.seq as number;
    }
  }
  return { state, seq };
}

test('a new client gets a snapshot, then every delta in order; both end with the same state', (t) => {
  const { h } = hub();
  h.publish(['hbd'], { state: 'init' });
  const c = new FakeConnection();
  h.attach(c, null);
  h.publish(['hbd', 'state'], 'active');
  h.publish(['hbd', 'state'], 'active'); // no change, no delta
  h.publish(['nicd'], { running: false });
  t.deepEqual(c.messages().map((m) => `${String(m.t)}:${String(m.seq)}`), ['snapshot:1', 'delta:2', 'delta:3']);
  t.deepEqual(replay(c), { state: h.state, seq: h.seq });
});

test('resume: missed deltas from history, or a snapshot when too old or from another epoch', (t) => {
  const { h } = hub();
  for (let i = 1; i <= 10; i++) h.publish(['n'], i);
  const recent = new FakeConnection();
  h.attach(recent, { epoch: 'E', seq: 7 });
  t.deepEqual(recent.messages().map((m) => m.t), ['resumed', 'delta', 'delta', 'delta']);
  t.like(recent.messages()[0], { from: 7, seq: 10 });
  const old = new FakeConnection();
  h.attach(old, { epoch: 'E', seq: 2 });
  t.deepEqual(old.messages().map((m) => m.t), ['snapshot']);
  const other = new FakeConnection();
  h.attach(other, { epoch: 'X', seq: 10 });
  t.deepEqual(other.messages().map((m) => m.t), ['snapshot']);
  t.like(h.counters, { resumed: 1, snapshots: 2 });
});

test('slow client: deltas held back past the high mark, one snapshot when drained, the others unaffected', (t) => {
  const { h, clock } = hub();
  const slow = new FakeConnection();
  const fast = new FakeConnection();
  h.attach(slow, null);
  h.attach(fast, null);
  slow.bufferedAmount = 5000;
  for (let i = 1; i <= 20; i++) {
    clock.now += 10;
    h.publish(['n'], i);
  }
  t.is(slow.frames.length, 1, 'only the first snapshot');
  t.is(fast.frames.length, 21);
  t.like(h.stats(), { stalled: 1, clients: 2 });
  slow.bufferedAmount = 50;
  h.tick();
  t.deepEqual(slow.messages().map((m) => m.t), ['snapshot', 'snapshot'], 'twenty deltas collapsed into one snapshot');
  t.deepEqual(replay(slow), replay(fast));
  h.publish(['n'], 21);
  t.is(slow.messages().at(-1)?.t, 'delta', 'live again');
  t.is(h.counters.collapsed, 1);
});

test('slow client that stays stuck is dropped after the stall timeout', (t) => {
  const { h, clock } = hub();
  const slow = new FakeConnection();
  h.attach(slow, null);
  slow.bufferedAmount = 5000;
  h.publish(['n'], 1);
  clock.now = 4999;
  h.tick();
  t.is(slow.terminated, null);
  clock.now = 5000;
  h.tick();
  t.is(slow.terminated, 'slow consumer');
  t.is(h.size, 0);
  t.is(h.counters.droppedSlow, 1);
});

test('heartbeats carry the seq and are held back like deltas', (t) => {
  const { h } = hub();
  const c = new FakeConnection();
  h.attach(c, null);
  h.publish(['n'], 1);
  h.heartbeat();
  t.deepEqual(c.messages().at(-1), { t: 'hb', seq: 1 });
  c.bufferedAmount = 1e6;
  h.heartbeat();
  t.is(c.frames.length, 3);
});

test('the same frame buffer goes to every client (encoded once)', (t) => {
  const { h } = hub();
  const sent: Buffer[] = [];
  const conn = (): FakeConnection => Object.assign(new FakeConnection(), { send: (b: Buffer) => void sent.push(b) });
  h.attach(conn(), null);
  h.attach(conn(), null);
  sent.length = 0;
  h.publish(['n'], 1);
  t.is(sent.length, 2);
  t.is(sent[0], sent[1]);
});
