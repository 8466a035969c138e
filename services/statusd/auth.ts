/**
 * Logins and sessions: the rate limit is asked first (a refused attempt
 * costs no scrypt), an unknown user costs the same scrypt as a known one,
 * a good password gets a new 256-bit session token and CSRF token.
 */
import { randomBytes } from 'node:crypto';
import { RateLimiter, type BucketParams } from './core/rate-limit';
import { SessionTable, type Session, type SessionPolicy, type SessionVerdict } from './core/sessions';
import { USER_NAME } from './core/passwords';
import type { UserStore } from './ports/user-store';
import { hashPassword, verifyPassword } from './adapters/scrypt';

export interface AuthOptions {
  sessions: SessionPolicy;
  bucket: BucketParams;
  now: () => number;
  /** Random bytes; tests may pin them. */
  random?: (n: number) => Buffer;
}

export type LoginVerdict =
  | { ok: true; token: string; session: Session }
  | { ok: false; reason: 'rate-limited'; retryAfterMs: number }
  | { ok: false; reason: 'bad-credentials' };

/** Longest password we hash (scrypt takes anything; a megabyte would only waste CPU). */
export const MAX_PASSWORD_LENGTH = 256;

export class Auth {
  private readonly limiter: RateLimiter;
  readonly sessions: SessionTable;
  private readonly random: (n: number) => Buffer;
  private dummy: Promise<string> | null = null;

  constructor(private readonly users: UserStore, private readonly opts: AuthOptions) {
    this.limiter = new RateLimiter(opts.bucket);
    this.sessions = new SessionTable(opts.sessions);
    this.random = opts.random ?? randomBytes;
  }

  /** One login attempt from `rateKey` (core/request-checks.ts rateKey). */
  async login(user: string, password: string, rateKey: string): Promise<LoginVerdict> {
    const take = this.limiter.attempt(rateKey, this.opts.now());
    if (!take.allowed) return { ok: false, reason: 'rate-limited', retryAfterMs: take.retryAfterMs };
    const valid = USER_NAME.test(user) && password.length > 0 && password.length <= MAX_PASSWORD_LENGTH;
    const stored = valid ? await this.users.lookup(user) : null;
    // Same work whether or not the user exists: no user enumeration by timing.
    const good = await verifyPassword(password.slice(0, MAX_PASSWORD_LENGTH), stored ?? (await this.dummyHash()));
    if (!good || stored === null) return { ok: false, reason: 'bad-credentials' };
    const token = this.random(32).toString('base64url');
    const csrf = this.random(32).toString('base64url');
    return { ok: true, token, session: this.sessions.create(token, user, csrf, this.opts.now()) };
  }

  check(token: string | undefined, touch = true): SessionVerdict {
    return this.sessions.check(token, this.opts.now(), touch);
  }

  logout(token: string): boolean {
    return this.sessions.remove(token);
  }

  /** Expired sessions' tokens (their feeds are closed by the caller). */
  sweep(): string[] {
    return this.sessions.sweep(this.opts.now());
  }

  private dummyHash(): Promise<string> {
    this.dummy ??= hashPassword(this.random(16).toString('hex'));
    return this.dummy;
  }
}
