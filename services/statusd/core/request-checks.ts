/**
 * The decisions of the HTTP and WebSocket front door, as pure functions of
 * request headers and session verdicts (README "Security").
 *
 *   WebSocket upgrade:  path /feed? -> Origin same/allowed/absent? (else 403)
 *                       -> valid session cookie? (else 401) -> room? (else 503)
 *   Action (POST):      Origin same/allowed/absent? (else 403) -> session? (401)
 *                       -> X-CSRF-Token equals the session's? (403)
 */
import { timingSafeEqual } from 'node:crypto';
import { isIP } from 'node:net';
import type { SessionVerdict } from './sessions';

export const SESSION_COOKIE = 'lbos_sid';
export const CSRF_HEADER = 'x-csrf-token';

/** `a=b; c=d` -> Map; malformed pairs are skipped, the first of duplicates wins. */
export function parseCookies(header: string | undefined): Map<string, string> {
  const out = new Map<string, string>();
  if (header === undefined) return out;
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq <= 0) continue;
    const k = part.slice(0, eq).trim();
    const v = part.slice(eq + 1).trim();
    if (k !== '' && !out.has(k)) out.set(k, v);
  }
  return out;
}

/** The Set-Cookie value of a new session (or of its removal with maxAgeS 0). */
export function sessionCookie(token: string, maxAgeS: number): string {
  return `${SESSION_COOKIE}=${token}; Path=/; Max-Age=${maxAgeS}; Secure; HttpOnly; SameSite=Strict`;
}

export type OriginVerdict = 'same' | 'allowed' | 'absent' | 'foreign';

/**
 * Compare the Origin header with where the request was sent (scheme + Host).
 * Absent Origin: not a browser cross-site request (browsers always send it on
 * WebSocket upgrades and POSTs), e.g. statusctl or curl; the session still decides.
 */
export function checkOrigin(origin: string | undefined, host: string | undefined, scheme: 'http' | 'https', allowed: readonly string[]): OriginVerdict {
  if (origin === undefined || origin === '') return 'absent';
  const o = origin.toLowerCase();
  if (host !== undefined && o === `${scheme}://${host.toLowerCase()}`) return 'same';
  if (allowed.some((a) => a.toLowerCase() === o)) return 'allowed';
  return 'foreign';
}

/** Constant-time comparison of the CSRF header with the session's token. */
export function checkCsrf(expected: string, got: string | undefined): 'ok' | 'missing' | 'mismatch' {
  if (got === undefined || got === '') return 'missing';
  const a = Buffer.from(expected);
  const b = Buffer.from(got);
  return a.length === b.length && timingSafeEqual(a, b) ? 'ok' : 'mismatch';
}

/** HTTP status and reason of a refusal, or ok. */
export type GateVerdict = { ok: true } | { ok: false; status: 401 | 403 | 404 | 503; code: string; reason: string };

/** May this WebSocket upgrade go ahead? */
export function upgradeVerdict(a: { path: string; origin: OriginVerdict; session: SessionVerdict; clients: number; maxClients: number }): GateVerdict {
  if (a.path !== '/feed') return { ok: false, status: 404, code: 'NOT_FOUND', reason: 'no such endpoint' };
  if (a.origin === 'foreign') return { ok: false, status: 403, code: 'FOREIGN_ORIGIN', reason: 'foreign origin' };
  if (!a.session.ok) return { ok: false, status: 401, code: 'NOT_LOGGED_IN', reason: `session ${a.session.reason}` };
  if (a.session.session.mustChangePassword) return PASSWORD_CHANGE_REQUIRED;
  if (a.clients >= a.maxClients) return { ok: false, status: 503, code: 'TOO_MANY_CLIENTS', reason: 'too many clients' };
  return { ok: true };
}

/** What a session logged in with the initial password gets for anything but changing it. */
const PASSWORD_CHANGE_REQUIRED: GateVerdict = { ok: false, status: 403, code: 'PASSWORD_CHANGE_REQUIRED', reason: 'change the initial password first (POST /api/password)' };

/**
 * May this state-changing request go ahead? `whilePasswordInitial`: the few
 * requests a session that must change its password may still make (the
 * change itself, logout).
 */
export function actionVerdict(a: { origin: OriginVerdict; session: SessionVerdict; csrfHeader: string | undefined; whilePasswordInitial?: boolean }): GateVerdict {
  if (a.origin === 'foreign') return { ok: false, status: 403, code: 'FOREIGN_ORIGIN', reason: 'foreign origin' };
  if (!a.session.ok) return { ok: false, status: 401, code: 'NOT_LOGGED_IN', reason: `session ${a.session.reason}` };
  const csrf = checkCsrf(a.session.session.csrf, a.csrfHeader);
  if (csrf !== 'ok') return { ok: false, status: 403, code: 'CSRF_REFUSED', reason: `csrf token ${csrf}` };
  if (a.session.session.mustChangePassword && a.whilePasswordInitial !== true) return PASSWORD_CHANGE_REQUIRED;
  return { ok: true };
}

/**
 * The key a login attempt is counted under: the IPv4 address, or the /64 of
 * an IPv6 one (one host usually owns a whole /64); v4-mapped v6 as v4.
 */
export function rateKey(remote: string | undefined): string {
  if (remote === undefined) return 'unknown';
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(remote);
  if (mapped?.[1] !== undefined) return mapped[1];
  if (isIP(remote) !== 6) return remote;
  const [head, tail = ''] = remote.toLowerCase().split('::');
  const left = (head ?? '').split(':').filter((x) => x !== '');
  const right = tail.split(':').filter((x) => x !== '');
  const groups = [...left, ...Array<string>(Math.max(0, 8 - left.length - right.length)).fill('0'), ...right];
  return `${groups.slice(0, 4).map((g) => g.replace(/^0+(?=.)/, '')).join(':')}::/64`;
}
