import test from 'ava';
import { Auth, SCRYPT_CONCURRENT } from './auth';
import { MemoryUserStore } from './ports/user-store';
import { hashPassword, verifyPassword } from './adapters/scrypt';

async function auth(): Promise<{ a: Auth; clock: { now: number } }> {
  const clock = { now: 0 };
  const users = new MemoryUserStore(new Map([['admin', await hashPassword('right horse battery')]]));
  const a = new Auth(users, { sessions: { idleMs: 60_000, lifetimeMs: 600_000, maxSessions: 10 }, bucket: { burst: 3, refillMs: 10_000 }, globalBucket: { burst: 6, refillMs: 10_000 }, now: () => clock.now });
  return { a, clock };
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
