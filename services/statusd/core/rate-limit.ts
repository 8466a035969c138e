/**
 * Login attempts per source address: a token bucket. Each attempt (good or
 * bad) takes a token; tokens come back at a steady rate up to the burst.
 * With the defaults (burst 5, one back every 12 s) a guesser gets 5 tries at
 * once, then 5 a minute.
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

  private prune(now: number): void {
    for (const [k, b] of this.buckets) if (isFull(b, now, this.params)) this.buckets.delete(k);
    for (const k of this.buckets.keys()) {
      if (this.buckets.size <= this.maxEntries) break;
      this.buckets.delete(k);
    }
  }
}
