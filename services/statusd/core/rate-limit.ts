/**
 * Login attempts: token buckets. Each attempt (good or bad) takes a token;
 * tokens come back at a steady rate up to the burst.
 *
 * - Per source address (burst 5, one back every 12 s): a guesser gets 5
 *   tries at once, then 5 a minute.
 * - Over all sources together (burst 20, one back every second): many
 *   addresses (a botnet, or one host with many addresses on the LAN) cannot
 *   multiply that. Each attempt is one scrypt (16 MiB, tens of ms of CPU on
 *   the appliance): 1/s holds guessing to 86,400 a day against an 80-bit
 *   password and scrypt to a few % of a core, far above what operators
 *   need; a burst of 20 lets everybody log in again at once after a restart
 *   of statusd. The price: an attacker who keeps it empty keeps everybody
 *   out (429 with Retry-After) for as long as the attack lasts, never longer.
 *
 * A source's own refusal does not touch the global bucket (one noisy source
 * does not lock the others out), and a global refusal gives the source its
 * token back (its owner is not punished for others' attempts).
 */

/** Bucket size and how long one token takes to come back. */
export interface BucketParams {
  burst: number;
  refillMs: number;
}

/** Tokens left (fractional) as of `at` (ms). */
export interface Bucket {
  tokens: number;
  at: number;
}

export interface TakeResult {
  allowed: boolean;
  bucket: Bucket;
  /** When refused: how long until one token is back (for Retry-After). */
  retryAfterMs: number;
}

/** Refill for the time passed (a clock going backwards refills nothing). */
export function refill(b: Bucket | undefined, now: number, p: BucketParams): Bucket {
  if (b === undefined) return { tokens: p.burst, at: now };
  const elapsed = Math.max(0, now - b.at);
  return { tokens: Math.min(p.burst, b.tokens + elapsed / p.refillMs), at: Math.max(now, b.at) };
}

/** One attempt from the owner of `b` at `now`. */
export function take(b: Bucket | undefined, now: number, p: BucketParams): TakeResult {
  const cur = refill(b, now, p);
  if (cur.tokens >= 1) return { allowed: true, bucket: { tokens: cur.tokens - 1, at: cur.at }, retryAfterMs: 0 };
  return { allowed: false, bucket: cur, retryAfterMs: Math.ceil((1 - cur.tokens) * p.refillMs) };
}

/** A bucket back to full carries no information and can be forgotten. */
export function isFull(b: Bucket, now: number, p: BucketParams): boolean {
  return refill(b, now, p).tokens >= p.burst;
}

/** The per-address table, bounded: full buckets are dropped, then the oldest. */
export class RateLimiter {
  private readonly buckets = new Map<string, Bucket>();

  constructor(private readonly params: BucketParams, private readonly maxEntries = 10_000) {}

  attempt(key: string, now: number): TakeResult {
    const r = take(this.buckets.get(key), now, this.params);
    this.buckets.delete(key); // re-insert: Map order becomes "least recently used first"
    this.buckets.set(key, r.bucket);
    if (this.buckets.size > this.maxEntries) this.prune(now);
    return r;
  }

  get size(): number {
    return this.buckets.size;
  }

  peek(key: string): Bucket | undefined {
    return this.buckets.get(key);
  }

  /** Undo an attempt: put back the bucket `peek` returned before it. */
  restore(key: string, b: Bucket | undefined): void {
    if (b === undefined) this.buckets.delete(key);
    else this.buckets.set(key, b);
  }

  private prune(now: number): void {
    for (const [k, b] of this.buckets) if (isFull(b, now, this.params)) this.buckets.delete(k);
    for (const k of this.buckets.keys()) {
      if (this.buckets.size <= this.maxEntries) break;
      this.buckets.delete(k);
    }
  }
}

/** Why an attempt was refused: its source's bucket, or the one over all sources. */
export type LoginLimitResult = { allowed: true } | { allowed: false; scope: 'source' | 'global'; retryAfterMs: number };

/** The per-source table plus one bucket over all sources. */
export class LoginLimiter {
  private readonly perSource: RateLimiter;
  private global: Bucket | undefined;

  constructor(source: BucketParams, private readonly all: BucketParams, maxEntries = 10_000) {
    this.perSource = new RateLimiter(source, maxEntries);
  }

  attempt(key: string, now: number): LoginLimitResult {
    const before = this.perSource.peek(key);
    const own = this.perSource.attempt(key, now);
    if (!own.allowed) return { allowed: false, scope: 'source', retryAfterMs: own.retryAfterMs };
    const g = take(this.global, now, this.all);
    this.global = g.bucket;
    if (!g.allowed) {
      this.perSource.restore(key, before);
      return { allowed: false, scope: 'global', retryAfterMs: g.retryAfterMs };
    }
    return { allowed: true };
  }

  /** Source addresses with a bucket not yet full (bounded). */
  get sources(): number {
    return this.perSource.size;
  }
}
