import test from 'ava';
import { isFull, LoginLimiter, RateLimiter, take, type BucketParams } from './rate-limit';

const P: BucketParams = { burst: 5, refillMs: 12_000 };

test('a burst of 5, then one every 12 s', (t) => {
  let b;
  const seen: boolean[] = [];
  for (let i = 0; i < 7; i++) {
    const r = take(b, 1000, P);
    b = r.bucket;
    seen.push(r.allowed);
  }
  t.deepEqual(seen, [true, true, true, true, true, false, false]);
  const refused = take(b, 1000, P);
  t.is(refused.retryAfterMs, 12_000);
  t.false(take(b, 12_999, P).allowed);
  const later = take(b, 13_000, P);
  t.true(later.allowed, 'one token back after 12 s');
  t.false(take(later.bucket, 13_000, P).allowed);
});

test('partial refill gives the remaining wait; a clock going back refills nothing', (t) => {
  const empty = { tokens: 0, at: 10_000 };
  t.is(take(empty, 16_000, P).retryAfterMs, 6000);
  t.false(take(empty, 5_000, P).allowed);
  t.true(isFull({ tokens: 0, at: 0 }, 60_000, P));
  t.false(isFull({ tokens: 0, at: 0 }, 59_999, P));
});

test('the limiter keeps buckets per key and stays bounded', (t) => {
  const rl = new RateLimiter(P, 100);
  for (let i = 0; i < 5; i++) t.true(rl.attempt('192.0.2.1', 0).allowed);
  t.false(rl.attempt('192.0.2.1', 0).allowed);
  t.true(rl.attempt('192.0.2.2', 0).allowed, 'another address has its own bucket');
  for (let i = 0; i < 1000; i++) rl.attempt(`10.0.${i >> 8}.${i & 255}`, 0);
  t.true(rl.size <= 100);
});

const SRC: BucketParams = { burst: 3, refillMs: 60_000 };
const ALL: BucketParams = { burst: 5, refillMs: 1000 };

test('the global bucket stops many sources; a global refusal gives the source its token back', (t) => {
  const l = new LoginLimiter(SRC, ALL);
  const seen = ['10.0.0.1', '10.0.0.2', '10.0.0.3', '10.0.0.4', '10.0.0.5', '10.0.0.6'].map((a) => l.attempt(a, 0));
  t.deepEqual(seen.slice(0, 5).map((r) => r.allowed), [true, true, true, true, true]);
  t.deepEqual(seen[5], { allowed: false, scope: 'global', retryAfterMs: 1000 });
  t.deepEqual(l.attempt('10.0.0.7', 500), { allowed: false, scope: 'global', retryAfterMs: 500 });
  t.deepEqual(l.attempt('10.0.0.6', 1000), { allowed: true }, 'a token came back after 1 s');
  // 10.0.0.6 was refused once by the global bucket: it had all 3 of its own at 1000, 2 are left.
  t.true(l.attempt('10.0.0.6', 2000).allowed);
  t.true(l.attempt('10.0.0.6', 3000).allowed);
  t.like(l.attempt('10.0.0.6', 4000), { allowed: false, scope: 'source' });
});

test('a source refused by its own bucket costs the others nothing', (t) => {
  const l = new LoginLimiter(SRC, ALL);
  for (let i = 0; i < 3; i++) t.true(l.attempt('10.0.0.1', 0).allowed);
  for (let i = 0; i < 100; i++) t.like(l.attempt('10.0.0.1', 0), { allowed: false, scope: 'source' });
  t.true(l.attempt('10.0.0.2', 0).allowed);
  t.true(l.attempt('10.0.0.3', 0).allowed, 'the global bucket lost only the 3 + 2 granted');
  t.like(l.attempt('10.0.0.4', 0), { allowed: false, scope: 'global' });
});
