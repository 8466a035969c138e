/**
 * Login sessions, held in memory only (a restart of statusd logs everybody
 * out). A session ends after `idleMs` without use or `lifetimeMs` after
 * login, whichever comes first; the table is bounded, the least recently
 * used session goes first. Tokens and CSRF tokens come from the caller
 * (crypto random, 256 bits), so this file has no I/O and no clock.
 */

/** One logged-in browser or tool. */
export interface Session {
  user: string;
  /** Per-session CSRF token the page echoes in X-CSRF-Token. */
  csrf: string;
  createdAt: number;
  lastUsedAt: number;
  /**
   * Logged in with the unit's initial password: until it is changed, the
   * session may only change it, read the session and log out.
   */
  mustChangePassword: boolean;
}

export interface SessionPolicy {
  idleMs: number;
  lifetimeMs: number;
  maxSessions: number;
}

export type SessionVerdict = { ok: true; session: Session } | { ok: false; reason: 'no-cookie' | 'unknown' | 'expired' };

/** Is a session still good at `now`? */
export function isExpired(s: Session, now: number, p: SessionPolicy): boolean {
  return now - s.lastUsedAt >= p.idleMs || now - s.createdAt >= p.lifetimeMs;
}

/** Token -> session, with expiry and a size bound. */
export class SessionTable {
  private readonly byToken = new Map<string, Session>();

  constructor(private readonly policy: SessionPolicy) {}

  create(token: string, user: string, csrf: string, now: number, mustChangePassword = false): Session {
    const s: Session = { user, csrf, createdAt: now, lastUsedAt: now, mustChangePassword };
    this.byToken.set(token, s);
    this.sweep(now);
    while (this.byToken.size > this.policy.maxSessions) {
      const oldest = this.byToken.keys().next();
      if (oldest.done === true) break;
      this.byToken.delete(oldest.value);
    }
    return s;
  }

  /** Check a token; `touch` (default) counts this as use for the idle timeout. */
  check(token: string | undefined, now: number, touch = true): SessionVerdict {
    if (token === undefined || token === '') return { ok: false, reason: 'no-cookie' };
    const s = this.byToken.get(token);
    if (s === undefined) return { ok: false, reason: 'unknown' };
    if (isExpired(s, now, this.policy)) {
      this.byToken.delete(token);
      return { ok: false, reason: 'expired' };
    }
    if (touch) {
      s.lastUsedAt = now;
      this.byToken.delete(token); // keep Map order = least recently used first
      this.byToken.set(token, s);
    }
    return { ok: true, session: s };
  }

  remove(token: string): boolean {
    return this.byToken.delete(token);
  }

  /** End every session of `user` but the one with token `keep`; returns the tokens ended. */
  removeUser(user: string, keep: string | null = null): string[] {
    const gone: string[] = [];
    for (const [t, s] of this.byToken) {
      if (s.user === user && t !== keep) {
        this.byToken.delete(t);
        gone.push(t);
      }
    }
    return gone;
  }

  /** Drop expired sessions; returns their tokens (their feeds get closed). */
  sweep(now: number): string[] {
    const gone: string[] = [];
    for (const [t, s] of this.byToken) {
      if (isExpired(s, now, this.policy)) {
        this.byToken.delete(t);
        gone.push(t);
      }
    }
    return gone;
  }

  get size(): number {
    return this.byToken.size;
  }
}
