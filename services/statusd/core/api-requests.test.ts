import test from 'ava';
import { decodeFailover, decodeLogin, decodeRestart } from './api-requests';

test('login body', (t) => {
  t.deepEqual(decodeLogin('{"user":"admin","password":"x"}'), { ok: true, value: { user: 'admin', password: 'x' } });
  for (const bad of ['', 'x', '[]', '{"user":"a"}', '{"user":1,"password":"x"}']) t.false(decodeLogin(bad).ok, bad);
});

test('restart: only the configured units', (t) => {
  const units = ['hbd.service', 'nicd.service'];
  t.deepEqual(decodeRestart('{"unit":"hbd.service"}', units), { ok: true, value: { unit: 'hbd.service' } });
  const other = decodeRestart('{"unit":"sshd.service"}', units);
  t.is(other.ok ? '' : other.code, 'UNIT_NOT_ALLOWED');
  const bad = decodeRestart('{"unit":5}', units);
  t.is(bad.ok ? '' : bad.code, 'BAD_REQUEST');
});

test('failover: standby or takeover', (t) => {
  t.deepEqual(decodeFailover('{"action":"takeover"}'), { ok: true, value: { action: 'takeover' } });
  t.false(decodeFailover('{"action":"reboot"}').ok);
  t.false(decodeFailover('not json').ok);
});
