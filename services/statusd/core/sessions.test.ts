import test from 'ava';
import { SessionTable, type SessionPolicy } from './sessions';

const P: SessionPolicy = { idleMs: 1000, lifetimeMs: 5000, maxSessions: 3 };

test('check: missing, unknown, good, idle-expired, lifetime-expired', (t) => {
  const s = new SessionTable(P);
  s.create('tok', 'admin', 'csrf', 0);
  t.deepEqual(s.check(undefined, 0), { ok: false, reason: 'no-cookie' });
  t.deepEqual(s.check('', 0), { ok: false, reason: 'no-cookie' });
  t.deepEqual(s.check('other', 0), { ok: false, reason: 'unknown' });
  const good = s.check('tok', 500);
  t.true(good.ok);
  t.is(good.ok ? good.session.user : '', 'admin');
  t.true(s.check('tok', 1400).ok, 'use at 500 moved the idle deadline');
  t.deepEqual(s.check('tok', 2400), { ok: false, reason: 'expired' });
  t.deepEqual(s.check('tok', 2400), { ok: false, reason: 'unknown' }, 'an expired session is gone');
});

test('lifetime ends a session that is used all the time', (t) => {
  const s = new SessionTable(P);
  s.create('tok', 'admin', 'c', 0);
  for (let now = 500; now < 5000; now += 500) t.true(s.check('tok', now).ok);
  t.false(s.check('tok', 5000).ok);
});

test('check without touch does not extend; sweep returns expired tokens', (t) => {
  const s = new SessionTable(P);
  s.create('a', 'u', 'c', 0);
  s.create('b', 'u', 'c', 0);
  t.true(s.check('a', 900, false).ok);
  t.true(s.check('b', 900).ok);
  t.deepEqual(s.sweep(1500), ['a']);
  t.is(s.size, 1);
});

test('the table is bounded: the least recently used session goes', (t) => {
  const s = new SessionTable(P);
  s.create('a', 'u', 'c', 0);
  s.create('b', 'u', 'c', 1);
  s.create('c', 'u', 'c', 2);
  t.true(s.check('a', 3).ok);
  s.create('d', 'u', 'c', 4);
  t.is(s.size, 3);
  t.false(s.check('b', 5).ok);
  t.true(s.check('a', 5).ok);
  t.true(s.remove('d'));
  t.false(s.remove('d'));
});
