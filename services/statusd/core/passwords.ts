/**
 * Users file and password hashes (README "Users and passwords").
 *
 *   # statusd users: NAME:scrypt$N$r$p$SALT$HASH   (SALT, HASH base64)
 *   admin:scrypt$16384$8$1$3q2+7w...$Zm9v...
 *
 * Parsing never throws: bad lines are reported with their line number and
 * skipped, so one broken line cannot lock every user out.
 */

/** scrypt cost parameters stored with each hash, so they can be raised later. */
export interface ScryptParams {
  N: number;
  r: number;
  p: number;
  keyLength: number;
}

/** 16 MiB of memory per hash (128 * N * r): ~50 ms on the appliance's CPU. */
export const DEFAULT_SCRYPT: ScryptParams = { N: 16384, r: 8, p: 1, keyLength: 32 };

export interface PasswordHash {
  params: ScryptParams;
  salt: Buffer;
  hash: Buffer;
}

export function formatHash(h: PasswordHash): string {
  return `scrypt$${h.params.N}$${h.params.r}$${h.params.p}$${h.salt.toString('base64')}$${h.hash.toString('base64')}`;
}

const B64 = /^[A-Za-z0-9+/]+={0,2}$/;

export function parseHash(text: string): PasswordHash | null {
  const parts = text.split('$');
  if (parts.length !== 6 || parts[0] !== 'scrypt') return null;
  const [, n, r, p, salt, hash] = parts;
  const N = Number(n);
  const R = Number(r);
  const P = Number(p);
  const pow2 = Number.isSafeInteger(N) && N >= 2 && (N & (N - 1)) === 0;
  if (!pow2 || N > 2 ** 20 || !Number.isSafeInteger(R) || R < 1 || R > 32 || !Number.isSafeInteger(P) || P < 1 || P > 16) return null;
  if (salt === undefined || hash === undefined || !B64.test(salt) || !B64.test(hash)) return null;
  const h = Buffer.from(hash, 'base64');
  if (h.length < 16 || h.length > 128) return null;
  return { params: { N, r: R, p: P, keyLength: h.length }, salt: Buffer.from(salt, 'base64'), hash: h };
}

/** User names: what fits in a log line and a cookie-free URL. */
export const USER_NAME = /^[a-z_][a-z0-9_.-]{0,31}$/;

export interface UsersFile {
  users: Map<string, string>;
  problems: { line: number; message: string }[];
}

export function parseUsers(text: string): UsersFile {
  const users = new Map<string, string>();
  const problems: UsersFile['problems'] = [];
  text.split('\n').forEach((raw, i) => {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) return;
    const colon = line.indexOf(':');
    const name = colon < 0 ? line : line.slice(0, colon);
    const hash = colon < 0 ? '' : line.slice(colon + 1);
    if (!USER_NAME.test(name)) return problems.push({ line: i + 1, message: `"${name.slice(0, 40)}" is not a valid user name` });
    if (parseHash(hash) === null) return problems.push({ line: i + 1, message: `user ${name}: not a scrypt hash` });
    if (users.has(name)) return problems.push({ line: i + 1, message: `user ${name} appears twice; the first line counts` });
    users.set(name, hash);
  });
  return { users, problems };
}

export function formatUsers(users: ReadonlyMap<string, string>): string {
  const lines = ['# statusd users: NAME:scrypt$N$r$p$SALT$HASH (written by statusd / statusctl passwd)'];
  for (const [name, hash] of [...users].sort(([a], [b]) => a.localeCompare(b))) lines.push(`${name}:${hash}`);
  return `${lines.join('\n')}\n`;
}

/** 32 symbols without look-alikes (no l, o, 0, 1): 5 bits each. */
export const PASSWORD_ALPHABET = 'abcdefghijkmnpqrstuvwxyz23456789';

/**
 * A password from random bytes: 16 symbols (80 bits) as xxxx-xxxx-xxxx-xxxx,
 * short enough for a 20-column front panel. Needs 16 bytes; each byte gives
 * one symbol (256 is a multiple of 32, so there is no bias).
 */
export function passwordFromBytes(bytes: Uint8Array): string {
  if (bytes.length < 16) throw new RangeError('need 16 random bytes');
  let s = '';
  for (let i = 0; i < 16; i++) {
    if (i > 0 && i % 4 === 0) s += '-';
    s += PASSWORD_ALPHABET[(bytes[i] ?? 0) % 32];
  }
  return s;
}

/** Shortest and longest password a user may set (web page, statusctl passwd). */
export const PASSWORD_MIN_LENGTH = 8;
export const PASSWORD_MAX_LENGTH = 256;

/** Why a new password is refused, or null when it is acceptable. */
export function newPasswordProblem(next: string, current: string | null): string | null {
  if (next.length < PASSWORD_MIN_LENGTH || next.length > PASSWORD_MAX_LENGTH) {
    return `the password must have ${PASSWORD_MIN_LENGTH} to ${PASSWORD_MAX_LENGTH} characters`;
  }
  if (/[\x00-\x1f\x7f]/.test(next)) return 'the password may not contain control characters';
  if (current !== null && next === current) return 'the new password must differ from the current one';
  return null;
}
