import test from 'ava';
import { actionVerdict, checkCsrf, checkOrigin, parseCookies, rateKey, sessionCookie, upgradeVerdict, type OriginVerdict } from './request-checks';
import type { SessionVerdict } from './sessions';

const GOOD: SessionVerdict = { ok: true, session: { user: 'admin', csrf: 'C'.repeat(43), createdAt: 0, lastUsedAt: 0, mustChangePassword: false } };

test('cookies: pairs, spaces, junk, duplicates', (t) => {
  const c = parseCookies('a=1; lbos_sid=tok==; junk; =x; a=2');
  t.is(c.get('a'), '1');
  t.is(c.get('lbos_sid'), 'tok==');
  t.is(c.size, 2);
  t.is(parseCookies(undefined).size, 0);
});

test('the session cookie is Secure, HttpOnly, SameSite=Strict', (t) => {
  const v = sessionCookie('tok', 60);
  for (const attr of ['lbos_sid=tok', 'Path=/', 'Max-Age=60', 'Secure', 'HttpOnly', 'SameSite=Strict']) t.true(v.split('; ').includes(attr), attr);
});

test('origin: same (scheme + Host), allowed list, absent, foreign', (t) => {
  const table: [string | undefined, string | undefined, OriginVerdict][] = [
    ['https://198.18.0.1:9443', '198.18.0.1:9443', 'same'],
    ['HTTPS://LB.example.com:9443', 'lb.example.com:9443', 'same'],
    ['https://[fd00::1]:9443', '[fd00::1]:9443', 'same'],
    ['http://198.18.0.1:9443', '198.18.0.1:9443', 'foreign'],
    ['https://198.18.0.1:9444', '198.18.0.1:9443', 'foreign'],
    ['https://evil.example', '198.18.0.1:9443', 'foreign'],
    ['null', '198.18.0.1:9443', 'foreign'],
    ['https://proxy.example.com', '10.0.0.1:9443', 'allowed'],
    [undefined, '198.18.0.1:9443', 'absent'],
    ['', '198.18.0.1:9443', 'absent'],
  ];
  for (const [origin, host, want] of table) t.is(checkOrigin(origin, host, 'https', ['https://proxy.example.com']), want, `${origin} vs ${host}`);
});

test('csrf: constant-time compare with verdicts', (t) => {
  t.is(checkCsrf('abc', 'abc'), 'ok');
  t.is(checkCsrf('abc', 'abd'), 'mismatch');
  t.is(checkCsrf('abc', 'abcd'), 'mismatch');
  t.is(checkCsrf('abc', undefined), 'missing');
  t.is(checkCsrf('abc', ''), 'missing');
});

test('upgrade gate: path, origin (403), session (401), room (503)', (t) => {
  const base = { path: '/feed', origin: 'same' as OriginVerdict, session: GOOD, clients: 0, maxClients: 10 };
  t.deepEqual(upgradeVerdict(base), { ok: true });
  t.deepEqual(upgradeVerdict({ ...base, origin: 'absent' }), { ok: true }, 'tools without Origin still need the session');
  const refusals: [{ path?: string; origin?: OriginVerdict; session?: SessionVerdict; clients?: number }, number][] = [
    [{ path: '/other' }, 404],
    [{ origin: 'foreign' }, 403],
    [{ origin: 'foreign', session: { ok: false, reason: 'no-cookie' } }, 403],
    [{ session: { ok: false, reason: 'no-cookie' } }, 401],
    [{ session: { ok: false, reason: 'unknown' } }, 401],
    [{ session: { ok: false, reason: 'expired' } }, 401],
    [{ clients: 10 }, 503],
  ];
  for (const [over, status] of refusals) {
    const v = upgradeVerdict({ ...base, ...over });
    t.is(v.ok ? 200 : v.status, status, JSON.stringify(over));
  }
});

test('action gate: origin, session, CSRF token', (t) => {
  const csrf = GOOD.ok ? GOOD.session.csrf : '';
  t.deepEqual(actionVerdict({ origin: 'same', session: GOOD, csrfHeader: csrf }), { ok: true });
  const table: [OriginVerdict, SessionVerdict, string | undefined, number, string][] = [
    ['foreign', GOOD, csrf, 403, 'FOREIGN_ORIGIN'],
    ['same', { ok: false, reason: 'no-cookie' }, csrf, 401, 'NOT_LOGGED_IN'],
    ['same', GOOD, undefined, 403, 'CSRF_REFUSED'],
    ['same', GOOD, 'wrong', 403, 'CSRF_REFUSED'],
    ['absent', GOOD, undefined, 403, 'CSRF_REFUSED'],
  ];
  for (const [origin, session, header, status, code] of table) {
    const v = actionVerdict({ origin, session, csrfHeader: header });
    t.deepEqual(v.ok ? [200, ''] : [v.status, v.code], [status, code], `${origin} ${JSON.stringify(session)} ${header}`);
  }
});

test('rate key: v4 as is, v4-mapped as v4, v6 by /64', (t) => {
  t.is(rateKey('192.0.2.7'), '192.0.2.7');
  t.is(rateKey('::ffff:192.0.2.7'), '192.0.2.7');
  t.is(rateKey('2001:db8:1:2:3:4:5:6'), '2001:db8:1:2::/64');
  t.is(rateKey('2001:db8:1:2::99'), '2001:db8:1:2::/64');
  t.is(rateKey('2001:db8::1'), '2001:db8:0:0::/64');
  t.is(rateKey('::1'), '0:0:0:0::/64');
  t.is(rateKey(undefined), 'unknown');
});

test('initial password: the feed and every action are refused until it is changed; the change and logout pass', (t) => {
  const initial: SessionVerdict = { ok: true, session: { user: 'admin', csrf: 'C'.repeat(43), createdAt: 0, lastUsedAt: 0, mustChangePassword: true } };
  const csrf = 'C'.repeat(43);
  t.like(upgradeVerdict({ path: '/feed', origin: 'same', session: initial, clients: 0, maxClients: 10 }), { ok: false, status: 403, code: 'PASSWORD_CHANGE_REQUIRED' });
  t.like(actionVerdict({ origin: 'same', session: initial, csrfHeader: csrf }), { ok: false, status: 403, code: 'PASSWORD_CHANGE_REQUIRED' });
  t.deepEqual(actionVerdict({ origin: 'same', session: initial, csrfHeader: csrf, whilePasswordInitial: true }), { ok: true });
  // The CSRF check still comes first: a forged change is refused as any forgery.
  t.like(actionVerdict({ origin: 'same', session: initial, csrfHeader: 'x', whilePasswordInitial: true }), { ok: false, code: 'CSRF_REFUSED' });
  t.like(actionVerdict({ origin: 'foreign', session: initial, csrfHeader: csrf, whilePasswordInitial: true }), { ok: false, code: 'FOREIGN_ORIGIN' });
});
