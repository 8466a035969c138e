import test from 'ava';
import { createFeed, publish, resume, snapshotWire, type Feed, type HistoryLimits } from './feed';
import { applyChanges } from './json';
import { decodeServerMessage } from './messages';

const L: HistoryLimits = { maxDeltas: 3, maxBytes: 1 << 20 };

function feedWith(n: number, limits = L): Feed {
  let f = createFeed('ep', { hbd: { state: 'init' } });
  for (let i = 1; i <= n; i++) f = publish(f, ['counter'], i, limits).feed;
  return f;
}

test('publish: a real change is one delta with the next seq; no change, no delta', (t) => {
  const f0 = createFeed('ep');
  const r1 = publish(f0, ['hbd'], { running: true, state: 'active' }, L);
  t.is(r1.delta?.seq, 1);
  t.deepEqual(r1.delta?.changes, [{ path: ['hbd'], value: { running: true, state: 'active' } }]);
  const r2 = publish(r1.feed, ['hbd'], { running: true, state: 'active' }, L);
  t.is(r2.delta, null);
  t.is(r2.feed, r1.feed);
  const r3 = publish(r1.feed, ['hbd'], { running: true, state: 'passive' }, L);
  t.deepEqual(r3.delta?.changes, [{ path: ['hbd', 'state'], value: 'passive' }]);
  t.is(r3.feed.seq, 2);
  t.deepEqual(f0.state, {}, 'the old feed is untouched');
});

test('the wire form of a delta is the decoded delta', (t) => {
  const r = publish(createFeed('ep'), ['a', 'b'], [1, 2], L);
  t.deepEqual(decodeServerMessage(r.delta?.wire ?? ''), { ok: true, value: { t: 'delta', seq: 1, changes: [{ path: ['a', 'b'], value: [1, 2] }] } });
});

test('snapshot + every delta after it = the current state', (t) => {
  let f = createFeed('ep');
  const snap = f.state;
  const deltas = [];
  for (const [p, v] of [[['x'], 1], [['y', 'z'], 'a'], [['x'], undefined], [['y', 'z'], 'b']] as const) {
    const r = publish(f, [...p], v, { maxDeltas: 100, maxBytes: 1 << 20 });
    f = r.feed;
    if (r.delta) deltas.push(r.delta);
  }
  t.deepEqual(deltas.reduce((s, d) => applyChanges(s, d.changes), snap), f.state);
});

test('history is bounded by count and by bytes', (t) => {
  const f = feedWith(10);
  t.deepEqual(f.history.map((d) => d.seq), [8, 9, 10]);
  const byBytes = feedWith(10, { maxDeltas: 100, maxBytes: 130 });
  t.true(byBytes.historyBytes <= 130);
  t.true(byBytes.history.length >= 1 && byBytes.history.length < 10);
  t.is(byBytes.history.at(-1)?.seq, 10);
});

test('resume decisions', (t) => {
  const f = feedWith(10); // history 8..10
  const table: [string, Parameters<typeof resume>[1], string][] = [
    ['no resume asked', null, 'snapshot:no-resume'],
    ['another epoch (statusd restarted)', { epoch: 'old', seq: 10 }, 'snapshot:other-epoch'],
    ['ahead of us', { epoch: 'ep', seq: 11 }, 'snapshot:ahead'],
    ['up to date', { epoch: 'ep', seq: 10 }, 'deltas:'],
    ['missed 3, all in history', { epoch: 'ep', seq: 7 }, 'deltas:8,9,10'],
    ['missed 1', { epoch: 'ep', seq: 9 }, 'deltas:10'],
    ['too old', { epoch: 'ep', seq: 6 }, 'snapshot:too-old'],
    ['from zero, history gone', { epoch: 'ep', seq: 0 }, 'snapshot:too-old'],
  ];
  for (const [what, req, want] of table) {
    const v = resume(f, req);
    t.is(v.kind === 'snapshot' ? `snapshot:${v.reason}` : `deltas:${v.deltas.map((d) => d.seq).join(',')}`, want, what);
  }
});

test('resume with an empty history (history 0) is a snapshot unless up to date', (t) => {
  const f = feedWith(5, { maxDeltas: 0, maxBytes: 0 });
  t.is(f.history.length, 0);
  t.is(resume(f, { epoch: 'ep', seq: 4 }).kind, 'snapshot');
  t.is(resume(f, { epoch: 'ep', seq: 5 }).kind, 'deltas');
});

test('snapshot wire', (t) => {
  const f = feedWith(2);
  t.deepEqual(decodeServerMessage(snapshotWire(f, 1000)), { ok: true, value: { t: 'snapshot', epoch: 'ep', seq: 2, hbMs: 1000, state: f.state } });
});
