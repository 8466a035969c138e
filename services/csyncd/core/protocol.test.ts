import test from 'ava';
import { parseGetkeyReply, parseOpReply, parseStatusReply, pushResultOf } from './protocol';

const V = { counter: 1, node: 1, sha256: 'a'.repeat(64) };

test('status replies: good one accepted, anything odd is a verdict', (t) => {
  const good = { v: 1, node: 2, stuck: [], services: [{ name: 'haproxy', version: V, sha256: 'a'.repeat(64), saved: null, synced: 'a'.repeat(64) }] };
  t.true(parseStatusReply(JSON.stringify(good)).ok);
  for (const bad of ['', 'null', '[]', '{"v":2}', JSON.stringify({ ...good, services: [{ name: 'x' }] }), JSON.stringify({ ...good, services: [{ ...good.services[0], sha256: 'short' }] })]) {
    t.false(parseStatusReply(bad).ok, bad);
  }
});

test('op replies: malformed is PROTOCOL_ERROR, errors keep their code', (t) => {
  t.like(parseOpReply('garbage'), { ok: false, code: 'PROTOCOL_ERROR' });
  t.like(parseOpReply('{"ok":false,"code":"CONFLICT","message":"m"}\n'), { ok: false, code: 'CONFLICT' });
  t.like(parseOpReply('{"ok":false,"code":"lower","message":"m"}'), { ok: false, code: 'PROTOCOL_ERROR' });
  t.deepEqual(pushResultOf(parseOpReply(JSON.stringify({ ok: true, result: 'applied', version: V }))), { result: 'applied', version: V, validateOutput: '', applyOutput: '' });
  t.is(pushResultOf(parseOpReply(JSON.stringify({ ok: true, result: 'maybe', version: V }))), null);
});

test('getkey replies: unbounded scrypt parameters are refused', (t) => {
  const r = { ok: true, node: 2, hostKey: 'h', userKey: 'u', account: 'admin', kdf: { N: 1 << 30, r: 8, p: 1, salt: 'c2FsdHNhbHRzYWx0c2FsdA==' }, proof: 'a'.repeat(64) };
  t.false(parseGetkeyReply(JSON.stringify(r)).ok);
  t.true(parseGetkeyReply(JSON.stringify({ ...r, kdf: null, proof: null })).ok);
});
