import test from 'ava';
import { Auth, SCRYPT_CONCURRENT } from './auth';
import { MemoryUserStore } from './ports/user-store';
import { hashPassword, verifyPassword } from './adapters/scrypt';

async function auth(initial: string[] = []): Promise<{ a: Auth; clock: { now: number }; users: MemoryUserStore }> {
  const clock = { now: 0 };
  const users = new MemoryUserStore(new Map([['admin', await hashPassword('right horse battery')]]), new Set(initial));
  const a = new Auth(users, { sessions: { idleMs: 60_000, lifetimeMs: 600_000, maxSessions: 10 }, bucket: { burst: 3, refillMs: 10_000 }, globalBucket: { burst: 6, refillMs: 10_000 }, now: () => clock.now });
  return { a, clock, users };
}

test('scrypt: right and wrong passwords, garbage hashes', async (t) => {
  const h = await hashPassword('secret');
  t.true(await verifyPassword('secret', h));
  t.false(await verifyPassword('Secret', h));
  t.false(await verifyPassword('secret', 'garbage'));
  t.not(await hashPassword('secret'), h, 'salted');
});

test('login: a good password gives a 256-bit token and a CSRF token; the session checks out', async (t) => {
  const { a } = await auth();
  const r = await a.login('admin', 'right horse battery', '192.0.2.1');
  if (!r.ok) return t.fail(r.reason);
  t.is(Buffer.from(r.token, 'base64url').length, 32);
  t.is(Buffer.from(r.session.csrf, 'base64url').length, 32);
  t.not(r.token, r.session.csrf);
  t.true(a.check(r.token).ok);
  t.true(a.logout(r.token));
  t.false(a.check(r.token).ok);
});

test('login: wrong password, unknown user and bad names all look the same', async (t) => {
  const { a } = await auth();
  for (const [u, p] of [['admin', 'wrong'], ['nobody', 'x'], ['Bad Name', 'x']]) {
    t.deepEqual(await a.login(u ?? '', p ?? '', `10.0.0.${u?.length}`), { ok: false, reason: 'bad-credentials' });
  }
});

test('login attempts are rate-limited per address, good passwords included', async (t) => {
  const { a, clock } = await auth();
  for (let i = 0; i < 3; i++) t.like(await a.login('admin', 'wrong', '192.0.2.9'), { reason: 'bad-credentials' });
  const limited = await a.login('admin', 'right horse battery', '192.0.2.9');
  t.like(limited, { ok: false, reason: 'rate-limited', scope: 'source', retryAfterMs: 10_000 });
  t.true((await a.login('admin', 'right horse battery', '192.0.2.10')).ok, 'another address is not affected');
  clock.now += 10_000;
  t.true((await a.login('admin', 'right horse battery', '192.0.2.9')).ok, 'a token came back');
});

test('login attempts from many addresses meet the global limit, which costs no scrypt', async (t) => {
  const { a, clock } = await auth();
  for (let i = 0; i < 6; i++) t.like(await a.login('admin', 'wrong', `10.1.0.${i}`), { reason: 'bad-credentials' });
  t.like(await a.login('admin', 'right horse battery', '10.1.0.99'), { ok: false, reason: 'rate-limited', scope: 'global', retryAfterMs: 10_000 });
  t.deepEqual(a.scryptLoad, { active: 0, pending: 0 });
  clock.now += 10_000;
  t.true((await a.login('admin', 'right horse battery', '10.1.0.99')).ok, 'the refused address kept its own tokens');
});

test('concurrent logins: scrypt runs at most SCRYPT_CONCURRENT at once', async (t) => {
  const { a } = await auth();
  const all = Array.from({ length: 6 }, (_, i) => a.login('admin', 'wrong', `10.2.0.${i}`));
  // The dummy hash is made once first; then the checks queue at the gate.
  let peak = 0;
  const watch = setInterval(() => (peak = Math.max(peak, a.scryptLoad.active)), 1);
  await Promise.all(all);
  clearInterval(watch);
  t.true(peak <= SCRYPT_CONCURRENT, `peak ${peak}`);
  t.deepEqual(a.scryptLoad, { active: 0, pending: 0 });
});

test('initial password: the session must change it; the change checks the current one, the policy, and ends the other sessions', async (t) => {
  const { a, users, clock } = await auth(['admin']);
  const first = await a.login('admin', 'right horse battery', '192.0.2.1');
  const other = await a.login('admin', 'right horse battery', '192.0.2.2');
  if (!first.ok || !other.ok) return t.fail('login');
  t.true(first.session.mustChangePassword);
  // Each attempt from its own address: the per-address limit (3) is tested below.
  t.like(await a.changePassword(first.token, first.session, 'wrong', 'a new password', '192.0.2.11'), { ok: false, reason: 'bad-credentials' });
  t.like(await a.changePassword(first.token, first.session, 'right horse battery', 'short', '192.0.2.12'), { ok: false, reason: 'bad-password', message: 'the password must have 8 to 256 characters' });
  t.like(await a.changePassword(first.token, first.session, 'right horse battery', 'right horse battery', '192.0.2.13'), { ok: false, reason: 'bad-password', message: 'the new password must differ from the current one' });
  t.true(first.session.mustChangePassword, 'refused changes leave it pending');
  const done = await a.changePassword(first.token, first.session, 'right horse battery', 'a new password', '192.0.2.14');
  t.deepEqual(done, { ok: true, endedTokens: [other.token] });
  t.false(first.session.mustChangePassword);
  t.true(a.check(first.token).ok, 'this session goes on');
  t.false(a.check(other.token).ok, 'the other one ended');
  t.false(await users.isInitial('admin'));
  clock.now += 30_000; // the global login bucket (6) refills (one per 10 s)
  t.true(a.check(first.token).ok);
  t.false((await a.login('admin', 'right horse battery', '192.0.2.3')).ok);
  const again = await a.login('admin', 'a new password', '192.0.2.3');
  t.true(again.ok && !again.session.mustChangePassword, 'a changed password gives a full session');
});

test('password change attempts count against the login limits (no guessing the current password through it)', async (t) => {
  const { a } = await auth();
  const s = await a.login('admin', 'right horse battery', '192.0.2.7');
  if (!s.ok) return t.fail('login');
  for (let i = 0; i < 2; i++) t.like(await a.changePassword(s.token, s.session, 'guess', 'a new password', '192.0.2.7'), { reason: 'bad-credentials' });
  t.like(await a.changePassword(s.token, s.session, 'guess', 'a new password', '192.0.2.7'), { ok: false, reason: 'rate-limited' });
});
