import test from 'ava';
import { EMPTY_REPLAY_STATE, type ReplayState, checkReplay, lastMark } from './replay-guard';

/** Feeds (generation, seq) pairs on one stream; returns the verdicts. */
function run(pairs: Array<[number, number]>, state: ReplayState = EMPTY_REPLAY_STATE): string[] {
  let s = state;
  return pairs.map(([g, q]) => {
    const r = checkReplay(s, 'lb2', 'udp:eth0', g, q);
    s = r.state;
    return r.verdict;
  });
}

test('table: accepted, replayed, old-generation', (t) => {
  t.deepEqual(
    run([
      [5, 10],
      [5, 11],
      [5, 11],
      [5, 3],
      [6, 0],
      [5, 99],
      [6, 1],
      [6, 1],
      [0, 1000],
    ]),
    ['accepted', 'accepted', 'replayed', 'replayed', 'accepted', 'old-generation', 'accepted', 'replayed', 'old-generation'],
  );
});

test('gaps in seq are fine (lost adverts)', (t) => {
  t.deepEqual(run([[1, 1], [1, 50], [1, 51]]), ['accepted', 'accepted', 'accepted']);
});

test('streams are independent per peer and per link; rejection keeps the state object', (t) => {
  const a = checkReplay(EMPTY_REPLAY_STATE, 'lb2', 'udp:eth0', 3, 10).state;
  const b = checkReplay(a, 'lb2', 'serial:/dev/ttyS0', 3, 5);
  t.is(b.verdict, 'accepted');
  t.is(checkReplay(b.state, 'lb1', 'udp:eth0', 1, 1).verdict, 'accepted');
  const rejected = checkReplay(b.state, 'lb2', 'udp:eth0', 3, 10);
  t.is(rejected.verdict, 'replayed');
  t.is(rejected.state, b.state);
  t.deepEqual(lastMark(b.state, 'lb2', 'udp:eth0'), { generation: 3, seq: 10 });
  t.is(EMPTY_REPLAY_STATE.marks.size, 0, 'the empty state is never mutated');
});
