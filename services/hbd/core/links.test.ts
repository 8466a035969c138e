import test from 'ava';
import { INITIAL_LIVENESS, declarePeerDead, expire, heard, nextDeadline, peerAlive } from './links';

const T = { warntimeMs: 500, deadtimeMs: 1000 };

test('heard: new link and peer up, once', (t) => {
  const a = heard(INITIAL_LIVENESS, 'udp', 100);
  t.deepEqual(a.effects, [{ type: 'LinkChanged', link: 'udp', up: true }, { type: 'PeerChanged', status: 'up' }]);
  const b = heard(a.liveness, 'udp', 200);
  t.deepEqual(b.effects, []);
  t.deepEqual(b.liveness.links, [{ id: 'udp', lastSeenMs: 200, up: true }]);
  t.is(heard(b.liveness, 'udp', 150).liveness.links[0]?.lastSeenMs, 200, 'time never goes back');
});

test('expire: warn at warntime, link and peer dead at deadtime (inclusive)', (t) => {
  const l = heard(INITIAL_LIVENESS, 'udp', 0).liveness;
  t.deepEqual(expire(l, 499, T).effects, []);
  const w = expire(l, 500, T);
  t.deepEqual(w.effects, [{ type: 'PeerChanged', status: 'warn' }]);
  t.true(peerAlive(w.liveness));
  const d = expire(w.liveness, 1000, T);
  t.deepEqual(d.effects, [{ type: 'LinkChanged', link: 'udp', up: false }, { type: 'PeerChanged', status: 'dead' }]);
  t.false(peerAlive(d.liveness));
  t.deepEqual(expire(d.liveness, 5000, T).effects, [], 'dead stays dead quietly');
});

test('the peer is dead only when every link is', (t) => {
  let l = heard(INITIAL_LIVENESS, 'udp', 0).liveness;
  l = heard(l, 'serial', 600).liveness;
  const x = expire(l, 1000, T);
  t.deepEqual(x.effects, [{ type: 'LinkChanged', link: 'udp', up: false }]);
  t.is(x.liveness.peer, 'up');
  t.is(nextDeadline(x.liveness, T), 1100);
  const y = expire(x.liveness, 1100, T);
  t.deepEqual(y.effects, [{ type: 'PeerChanged', status: 'warn' }]);
  t.is(nextDeadline(y.liveness, T), 1600);
  t.deepEqual(expire(y.liveness, 1600, T).effects, [
    { type: 'LinkChanged', link: 'serial', up: false },
    { type: 'PeerChanged', status: 'dead' },
  ]);
});

test('nextDeadline and declarePeerDead', (t) => {
  t.is(nextDeadline(INITIAL_LIVENESS, T), null);
  const l = heard(INITIAL_LIVENESS, 'udp', 10).liveness;
  t.is(nextDeadline(l, T), 510);
  const d = declarePeerDead(INITIAL_LIVENESS);
  t.deepEqual(d.effects, [{ type: 'PeerChanged', status: 'dead' }]);
  t.deepEqual(declarePeerDead(d.liveness).effects, []);
  t.is(nextDeadline(d.liveness, T), null);
});
