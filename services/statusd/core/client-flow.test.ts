import test from 'ava';
import { LIVE, onMessage, onTick, type FlowLimits, type FlowState } from './client-flow';

const L: FlowLimits = { highWaterBytes: 1000, lowWaterBytes: 100, stallTimeoutMs: 5000 };
const stalled = (since: number, skipped = 1): FlowState => ({ kind: 'stalled', since, skipped });

test('on a message: table of (state, buffered, now) -> (state, action)', (t) => {
  const table: [string, FlowState, number, number, FlowState, string][] = [
    ['live, empty buffer: send', LIVE, 0, 0, LIVE, 'send'],
    ['live, at the high mark: still send', LIVE, 1000, 0, LIVE, 'send'],
    ['live, above the high mark: stall and skip', LIVE, 1001, 7, stalled(7), 'skip'],
    ['stalled, still full: skip and count', stalled(7), 900, 100, stalled(7, 2), 'skip'],
    ['stalled, drained to the low mark: one snapshot', stalled(7, 40), 100, 200, LIVE, 'send-snapshot'],
    ['stalled too long: disconnect', stalled(0, 3), 900, 5000, stalled(0, 3), 'disconnect'],
    ['stalled too long but drained: recover rather than drop', stalled(0), 0, 9000, LIVE, 'send-snapshot'],
  ];
  for (const [what, s, buffered, now, wantState, wantAction] of table) {
    t.deepEqual(onMessage(s, buffered, now, L), [wantState, wantAction], what);
  }
});

test('on a tick: live clients are left alone; stalled ones recover or go', (t) => {
  t.deepEqual(onTick(LIVE, 5000, 0, L), [LIVE, 'none']);
  t.deepEqual(onTick(stalled(0), 500, 1000, L), [stalled(0), 'none']);
  t.deepEqual(onTick(stalled(0), 50, 1000, L), [LIVE, 'send-snapshot']);
  t.deepEqual(onTick(stalled(0), 500, 5000, L), [stalled(0), 'disconnect']);
});

test('a client that never reads holds at most high + one message, then is dropped', (t) => {
  let s: FlowState = LIVE;
  let buffered = 0;
  let maxBuffered = 0;
  let dropped = false;
  for (let now = 0; now < 20_000 && !dropped; now += 10) {
    const [next, action] = onMessage(s, buffered, now, L);
    s = next;
    if (action === 'send') buffered += 300;
    if (action === 'disconnect') dropped = true;
    maxBuffered = Math.max(maxBuffered, buffered);
  }
  t.true(dropped);
  t.true(maxBuffered <= L.highWaterBytes + 300);
});
