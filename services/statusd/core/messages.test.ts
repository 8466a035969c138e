import test from 'ava';
import { decodeClientMessage, decodeServerMessage, encode, parseResume } from './messages';

test('client messages: only ping, every other input is a counted verdict', (t) => {
  t.deepEqual(decodeClientMessage('{"t":"ping","id":7}'), { ok: true, value: { t: 'ping', id: 7 } });
  t.deepEqual(decodeClientMessage('{"t":"ping","id":"abc"}'), { ok: true, value: { t: 'ping', id: 'abc' } });
  const table: [string, string][] = [
    ['not json', 'not-json'],
    ['[1,2]', 'not-object'],
    ['null', 'not-object'],
    ['{"t":"subscribe"}', 'unknown-type'],
    ['{"t":"ping"}', 'bad-field'],
    [`{"t":"ping","id":"${'x'.repeat(65)}"}`, 'bad-field'],
    ['{"t":"ping","id":{"a":1}}', 'bad-field'],
  ];
  for (const [input, reason] of table) {
    const v = decodeClientMessage(input);
    t.false(v.ok, input);
    t.is(v.ok ? '' : v.reason, reason, input);
  }
});

test('server messages round-trip through encode/decode', (t) => {
  const msgs = [
    { t: 'snapshot', epoch: 'e1', seq: 3, hbMs: 15000, state: { a: { b: 1 } } },
    { t: 'resumed', epoch: 'e1', from: 2, seq: 3, hbMs: 15000 },
    { t: 'delta', seq: 4, changes: [{ path: ['a', 'b'], value: 2 }, { path: ['c'], removed: true }] },
    { t: 'hb', seq: 4 },
    { t: 'pong', id: 1 },
    { t: 'error', code: 'BAD_MESSAGE', message: 'not-json' },
  ] as const;
  for (const m of msgs) t.deepEqual(decodeServerMessage(encode(m as never)), { ok: true, value: m }, m.t);
});

test('server messages: malformed ones are refused, not thrown', (t) => {
  for (const bad of ['', '{', '"x"', '{"t":"delta","seq":-1,"changes":[]}', '{"t":"delta","seq":1,"changes":[{"path":[]}]}',
    '{"t":"delta","seq":1,"changes":[{"path":["a"]}]}', '{"t":"delta","seq":1,"changes":[{"path":[1],"value":1}]}',
    '{"t":"snapshot","epoch":"e","seq":1,"hbMs":1,"state":[]}', '{"t":"nope"}']) {
    t.false(decodeServerMessage(bad).ok, bad);
  }
});

test('resume parameter: EPOCH.SEQ, or nothing', (t) => {
  t.deepEqual(parseResume(null), { ok: true, value: null });
  t.deepEqual(parseResume(''), { ok: true, value: null });
  t.deepEqual(parseResume('fGNCpCAB.42'), { ok: true, value: { epoch: 'fGNCpCAB', seq: 42 } });
  for (const bad of ['42', 'e.', '.4', 'e.-1', 'e.1.2', 'a b.1', 'e.9999999999999999', `${'x'.repeat(33)}.1`]) t.false(parseResume(bad).ok, bad);
});
