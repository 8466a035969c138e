/**
 * The front door over real sockets: no access without login, foreign
 * origins refused, oversize messages closed with 1009, login rate limit,
 * CSRF-safe actions with an audit line, logout ends the feed.
 */
import test from 'ava';
import * as http from 'node:http';
import { FeedClient, login, request, startTestStatusd } from './testing/harness';

test('feed upgrade: no cookie 401, bad cookie 401, foreign Origin 403, good session 101', async (t) => {
  const s = await startTestStatusd();
  t.teardown(() => s.stop());
  const { cookie } = await login(s.base, s.password);
  const own = new URL(s.base).origin;
  const cases: [string, Parameters<typeof FeedClient.open>[1], number | 'open'][] = [
    ['no cookie', {}, 401],
    ['bad cookie', { cookie: 'lbos_sid=AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA' }, 401],
    ['no cookie, foreign origin', { origin: 'https://evil.example' }, 403],
    ['good cookie, foreign origin', { cookie, origin: 'https://evil.example' }, 403],
    ['good cookie, http origin of the same host', { cookie, origin: own.replace('https', 'http') }, 403],
    ['good cookie, own origin', { cookie, origin: own }, 'open'],
    ['good cookie, no origin (a tool)', { cookie }, 'open'],
  ];
  for (const [what, o, want] of cases) {
    const c = FeedClient.open(s.feedUrl, o);
    const got = await c.opened.then(() => 'open' as const, () => c.refused);
    c.close();
    t.is(got, want, what);
  }
  t.true(s.logs.some((l) => l.msg === 'feed upgrade refused' && l.status === 403));
});

test('a message bigger than max_payload closes the feed with 1009', async (t) => {
  const s = await startTestStatusd({ config: { maxPayloadBytes: 1024 } });
  t.teardown(() => s.stop());
  const { cookie } = await login(s.base, s.password);
  const c = FeedClient.open(s.feedUrl, { cookie });
  t.teardown(() => c.close());
  await c.opened;
  c.ws.send(JSON.stringify({ t: 'ping', id: 'x'.repeat(2000) }));
  await c.until('close', () => c.closeCode !== null);
  t.is(c.closeCode, 1009);
  await new Promise((r) => setTimeout(r, 100));
  t.is(s.app.hub.size, 0, 'the hub forgot it');
});

test('login: wrong password 401, then rate-limited 429 with Retry-After, even for the right password', async (t) => {
  const s = await startTestStatusd({ config: { loginBurst: 3, loginRefillMs: 60_000 } });
  t.teardown(() => s.stop());
  for (let i = 0; i < 3; i++) {
    const r = await request(s.base, 'POST', '/api/login', { body: { user: 'admin', password: `guess${i}` } });
    t.is(r.status, 401);
    t.is(r.body.error, 'BAD_CREDENTIALS');
  }
  const limited = await request(s.base, 'POST', '/api/login', { body: { user: 'admin', password: s.password } });
  t.is(limited.status, 429);
  t.is(limited.body.error, 'RATE_LIMITED');
  t.is(limited.headers['retry-after'], '60');
  t.true(s.logs.filter((l) => l.audit === 'login' && l.result === 'bad-credentials').length === 3);
});

test('login cookie is Secure, HttpOnly, SameSite=Strict; /api/session needs it', async (t) => {
  const s = await startTestStatusd();
  t.teardown(() => s.stop());
  t.is((await request(s.base, 'GET', '/api/session')).status, 401);
  const r = await request(s.base, 'POST', '/api/login', { body: { user: 'admin', password: s.password } });
  const cookie = (r.headers['set-cookie'] as unknown as string[])[0] ?? '';
  t.regex(cookie, /^lbos_sid=[A-Za-z0-9_-]{43}; Path=\/; Max-Age=\d+; Secure; HttpOnly; SameSite=Strict$/);
  const sess = await request(s.base, 'GET', '/api/session', { headers: { cookie: cookie.split(';')[0] ?? '' } });
  t.is(sess.status, 200);
  t.is(sess.body.csrf, r.body.csrf);
  t.is((await request(s.base, 'POST', '/api/login', { body: { user: 'admin', password: s.password }, headers: { origin: 'https://evil.example' } })).status, 403, 'login CSRF');
});

test('actions: CSRF token and same origin required; a good one is done and audited', async (t) => {
  const s = await startTestStatusd();
  t.teardown(() => s.stop());
  const { cookie, csrf } = await login(s.base, s.password);
  const own = new URL(s.base).origin;
  const restart = (headers: Record<string, string>) => request(s.base, 'POST', '/api/units/restart', { body: { unit: 'hbd.service' }, headers });
  const refusals: [string, Record<string, string>, number, string][] = [
    ['no session', { 'x-csrf-token': csrf, origin: own }, 401, 'NOT_LOGGED_IN'],
    ['no CSRF header', { cookie, origin: own }, 403, 'CSRF_REFUSED'],
    ['wrong CSRF header', { cookie, origin: own, 'x-csrf-token': `${csrf.slice(0, -1)}${csrf.endsWith('A') ? 'B' : 'A'}` }, 403, 'CSRF_REFUSED'],
    ['foreign origin', { cookie, origin: 'https://evil.example', 'x-csrf-token': csrf }, 403, 'FOREIGN_ORIGIN'],
  ];
  for (const [what, headers, status, code] of refusals) {
    const r = await restart(headers);
    t.deepEqual([r.status, r.body.error], [status, code], what);
  }
  t.deepEqual(s.units.restarted, [], 'nothing was restarted by a refused request');
  const ok = await restart({ cookie, origin: own, 'x-csrf-token': csrf });
  t.is(ok.status, 202);
  t.deepEqual(s.units.restarted, ['hbd.service']);
  const other = await request(s.base, 'POST', '/api/units/restart', { body: { unit: 'sshd.service' }, headers: { cookie, 'x-csrf-token': csrf } });
  t.deepEqual([other.status, other.body.error], [400, 'UNIT_NOT_ALLOWED']);
  const fo = await request(s.base, 'POST', '/api/failover', { body: { action: 'takeover' }, headers: { cookie, 'x-csrf-token': csrf } });
  t.is(fo.status, 202);
  t.deepEqual(s.failover.requests, ['takeover']);
  const audit = s.logs.filter((l) => l.audit !== undefined && l.audit !== 'login');
  t.like(audit.find((l) => l.result === 'ok' && l.audit === 'restart-unit'), { user: 'admin', target: 'hbd.service', from: '127.0.0.1' });
  t.like(audit.find((l) => l.result === 'ok' && l.audit === 'failover'), { user: 'admin', target: 'takeover' });
  t.is(audit.filter((l) => l.result === 'refused').length, 5);
});

test('logout ends the session and closes its feeds with 4001', async (t) => {
  const s = await startTestStatusd();
  t.teardown(() => s.stop());
  const { cookie, csrf } = await login(s.base, s.password);
  const c = FeedClient.open(s.feedUrl, { cookie });
  t.teardown(() => c.close());
  await c.opened;
  t.is((await request(s.base, 'POST', '/api/logout', { body: {}, headers: { cookie } })).status, 403, 'logout needs the CSRF token too');
  t.is((await request(s.base, 'POST', '/api/logout', { body: {}, headers: { cookie, 'x-csrf-token': csrf } })).status, 200);
  await c.until('closed', () => c.closeCode !== null);
  t.is(c.closeCode, 4001);
  t.is((await request(s.base, 'GET', '/api/session', { headers: { cookie } })).status, 401);
});

test('plain HTTP only redirects to HTTPS; the page and its files come with a CSP', async (t) => {
  const s = await startTestStatusd({ config: { httpPort: 0 } });
  t.teardown(() => s.stop());
  const page = await request(s.base, 'GET', '/');
  t.is(page.status, 200);
  t.regex(page.headers['content-security-policy'] ?? '', /script-src 'self'/);
  t.regex(String(page.body.text), /System Overview/);
  for (const f of ['/app.js', '/feed.js', '/render.js', '/style.css']) t.is((await request(s.base, 'GET', f)).status, 200, f);
  t.is((await request(s.base, 'GET', '/../../etc/passwd')).status, 404);
  t.is((await request(s.base, 'DELETE', '/api/session')).status, 405);
  // An HTTP server on a random port to check the redirect.
  const s2 = await startTestStatusd({ config: { httpPort: 39080 + Math.floor(Math.random() * 1000) } });
  t.teardown(() => s2.stop());
  const res = await new Promise<http.IncomingMessage>((resolve, reject) => http.get(`http://127.0.0.1:${s2.config.httpPort}/x?y=1`, resolve).on('error', reject));
  res.resume();
  t.is(res.statusCode, 308);
  t.is(res.headers.location, `https://127.0.0.1:${s2.app.listening.httpsPort}/x?y=1`);
});

test('a configured certificate is used as is; a certificate that does not match its key is refused', async (t) => {
  const a = await startTestStatusd();
  t.teardown(() => a.stop());
  t.true(a.app.tls.generated, 'first start made a self-signed pair');
  const b = await startTestStatusd({ config: { tlsCert: a.app.tls.certFile, tlsKey: a.app.tls.keyFile } });
  t.teardown(() => b.stop());
  t.false(b.app.tls.generated);
  t.deepEqual(b.app.tls.cert, a.app.tls.cert);
  const c = await startTestStatusd();
  t.teardown(() => c.stop());
  const err = await t.throwsAsync(startTestStatusd({ config: { tlsCert: a.app.tls.certFile, tlsKey: c.app.tls.keyFile } }));
  t.is((err as { code?: string }).code, 'TLS_INVALID');
  const missing = await t.throwsAsync(startTestStatusd({ config: { tlsCert: '/nonexistent/cert.pem', tlsKey: '/nonexistent/key.pem' } }));
  t.is((missing as { code?: string }).code, 'TLS_UNREADABLE');
});

test('first login with the initial password: everything but the change is refused until the password is changed', async (t) => {
  const s = await startTestStatusd({ keepInitialPassword: true, config: { loginBurst: 20 } }); // each attempt below counts as a login
  t.teardown(() => s.stop());
  const r = await request(s.base, 'POST', '/api/login', { body: { user: 'admin', password: s.initialPassword } });
  t.is(r.status, 200);
  t.is(r.body.mustChangePassword, true);
  const cookie = ((r.headers['set-cookie'] as unknown as string[])[0] ?? '').split(';')[0] ?? '';
  const headers = { cookie, 'x-csrf-token': String(r.body.csrf) };
  t.like((await request(s.base, 'GET', '/api/session', { headers: { cookie } })).body, { mustChangePassword: true });
  // The actions and the feed: 403 PASSWORD_CHANGE_REQUIRED, and nothing was done.
  const failover = await request(s.base, 'POST', '/api/failover', { body: { action: 'takeover' }, headers });
  t.like(failover, { status: 403, body: { error: 'PASSWORD_CHANGE_REQUIRED' } });
  t.deepEqual(s.failover.requests, []);
  t.like(await request(s.base, 'POST', '/api/units/restart', { body: { unit: 'hbd.service' }, headers }), { status: 403, body: { error: 'PASSWORD_CHANGE_REQUIRED' } });
  const feed = FeedClient.open(s.feedUrl, { cookie });
  t.is(await feed.opened.then(() => 'open', () => feed.refused), 403);
  feed.close();
  // The change: CSRF still required; a wrong current password, a short or an unchanged one refused.
  t.like(await request(s.base, 'POST', '/api/password', { body: { current: s.initialPassword, password: 'a new password' }, headers: { cookie } }), { status: 403, body: { error: 'CSRF_REFUSED' } });
  t.like(await request(s.base, 'POST', '/api/password', { body: { current: 'wrong', password: 'a new password' }, headers }), { status: 403, body: { error: 'BAD_CREDENTIALS' } });
  t.like(await request(s.base, 'POST', '/api/password', { body: { current: s.initialPassword, password: 'short' }, headers }), { status: 400, body: { error: 'BAD_PASSWORD' } });
  t.like(await request(s.base, 'POST', '/api/password', { body: { current: s.initialPassword, password: s.initialPassword }, headers }), { status: 400, body: { error: 'BAD_PASSWORD' } });
  t.like(await request(s.base, 'POST', '/api/password', { body: { current: s.initialPassword }, headers }), { status: 400, body: { error: 'BAD_REQUEST' } });
  const done = await request(s.base, 'POST', '/api/password', { body: { current: s.initialPassword, password: 'a new password' }, headers });
  t.like(done, { status: 200, body: { mustChangePassword: false } });
  // Same session, everything allowed now; the initial password is gone, and never logged.
  t.is((await request(s.base, 'POST', '/api/failover', { body: { action: 'takeover' }, headers })).status, 202);
  const ok = FeedClient.open(s.feedUrl, { cookie });
  t.teardown(() => ok.close());
  await ok.opened;
  t.is((await request(s.base, 'POST', '/api/login', { body: { user: 'admin', password: s.initialPassword } })).status, 401);
  t.false(JSON.stringify(s.logs).includes(s.initialPassword), 'no password in the log');
  t.false(JSON.stringify(s.logs).includes('a new password'), 'no password in the log');
  t.true(s.logs.some((l) => l.audit === 'password' && l.result === 'ok'), 'audited');
});

test('pairing and sync routes: forwarded to paird/csyncd with the session and CSRF rules; reads need a changed password', async (t) => {
  const s = await startTestStatusd();
  t.teardown(() => s.stop());
  s.pair.answers.Offer = { version: '0.1.0', node: 'lbos' };
  const { cookie, csrf } = await login(s.base, s.password);
  const headers = { cookie, 'x-csrf-token': csrf };
  t.like(await request(s.base, 'GET', '/api/pair/offer', { headers: { cookie } }), { status: 200, body: { node: 'lbos' } });
  t.is((await request(s.base, 'GET', '/api/pair/offer')).status, 401);
  t.like(await request(s.base, 'POST', '/api/pair/commit', { body: { node: 'x' }, headers: { cookie } }), { status: 403, body: { error: 'CSRF_REFUSED' } });
  t.is((await request(s.base, 'POST', '/api/pair/commit', { body: '{not json', headers })).status, 400);
  t.is((await request(s.base, 'POST', '/api/pair/commit', { body: { node: 'lb1', big: 'x'.repeat(20_000) }, headers })).status, 200, 'a commit may carry up to 64 KiB');
  t.is((await request(s.base, 'POST', '/api/pair/probe', { body: { peer: '10.0.32.12' }, headers })).status, 200);
  t.deepEqual(s.pair.calls.map(([m]) => m), ['Offer', 'Commit', 'Probe']);
  t.deepEqual(s.pair.calls[2]?.[1], '10.0.32.12');
  t.false(JSON.stringify(s.logs).includes('x'.repeat(100)), 'bodies are not logged');
  t.like(await request(s.base, 'POST', '/api/sync/push', { body: { service: 'haproxy' }, headers }), { status: 200, body: { result: 'haproxy: pushed' } });
  t.like(await request(s.base, 'POST', '/api/sync/push', { body: { service: '../x' }, headers }), { status: 400 });
  t.like(await request(s.base, 'POST', '/api/sync/save', { body: { remote: true }, headers }), { status: 200, body: { result: 'saved' } });
  t.deepEqual(s.sync.calls, ['push haproxy', 'save true']);
  t.is((await request(s.base, 'POST', '/api/failover', { body: { action: 'restart-pair' }, headers })).status, 202);
  t.deepEqual(s.failover.requests, ['restart-pair']);
});

test('a session on the initial password cannot read the pairing offer either', async (t) => {
  const s = await startTestStatusd({ keepInitialPassword: true });
  t.teardown(() => s.stop());
  const { cookie } = await login(s.base, s.password);
  t.like(await request(s.base, 'GET', '/api/pair/offer', { headers: { cookie } }), { status: 403, body: { error: 'PASSWORD_CHANGE_REQUIRED' } });
  t.deepEqual(s.pair.calls, []);
});
