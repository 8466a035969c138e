/**
 * Logins and sessions: the rate limits (per source, then over all sources)
 * are asked first (a refused attempt costs no scrypt), at most
 * SCRYPT_CONCURRENT checks run at once, an unknown user costs the same
 * scrypt as a known one, a good password gets a new 256-bit session token
 * and CSRF token.
 */
import { randomBytes } from 'node:crypto';
import { LoginLimiter, type BucketParams } from './core/rate-limit';
import { WorkGate } from './core/work-gate';
import { SessionTable, type Session, type SessionPolicy, type SessionVerdict } from './core/sessions';
import { newPasswordProblem, USER_NAME } from './core/passwords';
import type { UserStore } from './ports/user-store';
import { hashPassword, verifyPassword } from './adapters/scrypt';

export interface AuthOptions {
  sessions: SessionPolicy;
  /** Per source address. */
  bucket: BucketParams;
  /** Over all sources together. */
  globalBucket: BucketParams;
  now: () => number;
  /** Random bytes; tests may pin them. */
  random?: (n: number) => Buffer;
}

/** The outcome of a password change by a logged-in user. */
export type PasswordChangeVerdict =
  | { ok: true; endedTokens: string[] }
  | { ok: false; reason: 'rate-limited'; retryAfterMs: number }
  | { ok: false; reason: 'bad-credentials' }
  | { ok: false; reason: 'bad-password'; message: string };

export type LoginVerdict =
  | { ok: true; token: string; session: Session }
  | { ok: false; reason: 'rate-limited'; scope: 'source' | 'global' | 'busy'; retryAfterMs: number }
  | { ok: false; reason: 'bad-credentials' };

/** Longest password we hash (scrypt takes anything; a megabyte would only waste CPU). */
export const MAX_PASSWORD_LENGTH = 256;

/**
 * scrypt checks at once: one per core of the appliance (2); 32 MiB of
 * scrypt memory at most, and libuv's other threads stay free for files.
 */
export const SCRYPT_CONCURRENT = 2;
/** Checks waiting for a slot; more are refused like a rate limit (the global bucket normally keeps it far below). */
export const SCRYPT_QUEUED = 64;
/** Retry-After for a login refused because the queue was full. */
const BUSY_RETRY_MS = 1000;

export class Auth {
  private readonly limiter: LoginLimiter;
  private readonly scrypt = new WorkGate(SCRYPT_CONCURRENT, SCRYPT_QUEUED);
  readonly sessions: SessionTable;
  private readonly random: (n: number) => Buffer;
  private dummy: Promise<string> | null = null;

  constructor(private readonly users: UserStore, private readonly opts: AuthOptions) {
    this.limiter = new LoginLimiter(opts.bucket, opts.globalBucket);
    this.sessions = new SessionTable(opts.sessions);
    this.random = opts.random ?? randomBytes;
  }

  /** One login attempt from `rateKey` (core/request-checks.ts rateKey). */
  async login(user: string, password: string, rateKey: string): Promise<LoginVerdict> {
    const take = this.limiter.attempt(rateKey, this.opts.now());
    if (!take.allowed) return { ok: false, reason: 'rate-limited', scope: take.scope, retryAfterMs: take.retryAfterMs };
    const valid = USER_NAME.test(user) && password.length > 0 && password.length <= MAX_PASSWORD_LENGTH;
    const stored = valid ? await this.users.lookup(user) : null;
    // Same work whether or not the user exists: no user enumeration by timing.
    const against = stored ?? (await this.dummyHash());
    const good = await this.scrypt.run(() => verifyPassword(password.slice(0, MAX_PASSWORD_LENGTH), against));
    if (good === null) return { ok: false, reason: 'rate-limited', scope: 'busy', retryAfterMs: BUSY_RETRY_MS };
    if (!good || stored === null) return { ok: false, reason: 'bad-credentials' };
    const token = this.random(32).toString('base64url');
    const csrf = this.random(32).toString('base64url');
    const initial = await this.users.isInitial(user);
    return { ok: true, token, session: this.sessions.create(token, user, csrf, this.opts.now(), initial) };
  }

  /**
   * The session's user changes their password: the current one is checked as
   * at login (same rate limits and scrypt gate), the new one against the
   * policy; then every other session of that user ends and this one may do
   * everything again.
   */
  async changePassword(token: string, session: Session, current: string, next: string, rateKey: string): Promise<PasswordChangeVerdict> {
    const take = this.limiter.attempt(rateKey, this.opts.now());
    if (!take.allowed) return { ok: false, reason: 'rate-limited', retryAfterMs: take.retryAfterMs };
    const stored = await this.users.lookup(session.user);
    if (stored === null || current.length === 0 || current.length > MAX_PASSWORD_LENGTH) return { ok: false, reason: 'bad-credentials' };
    const good = await this.scrypt.run(() => verifyPassword(current, stored));
    if (good === null) return { ok: false, reason: 'rate-limited', retryAfterMs: BUSY_RETRY_MS };
    if (!good) return { ok: false, reason: 'bad-credentials' };
    const problem = newPasswordProblem(next, current);
    if (problem !== null) return { ok: false, reason: 'bad-password', message: problem };
    await this.users.setPassword(session.user, next);
    session.mustChangePassword = false;
    return { ok: true, endedTokens: this.sessions.removeUser(session.user, token) };
  }

  /** End every session (the admin password was reset from the console); returns their tokens. */
  endAllOf(user: string): string[] {
    return this.sessions.removeUser(user);
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

  /** scrypt work in progress and waiting (Stats). */
  get scryptLoad(): { active: number; pending: number } {
    return { active: this.scrypt.active, pending: this.scrypt.pending };
  }

  private dummyHash(): Promise<string> {
    // Made once, outside the gate: a hash waiting for a slot it holds itself would never come.
    this.dummy ??= hashPassword(this.random(16).toString('hex'));
    return this.dummy;
  }
}
