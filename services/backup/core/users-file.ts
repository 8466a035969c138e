/**
 * The check of statusd's users file before a restore writes it: the line
 * format of services/statusd/core/passwords.ts (README "Security"), written
 * again here because a part imports no other service's modules:
 *
 *   # comment
 *   NAME:scrypt$N$r$p$SALT$HASH     NAME [a-z_][a-z0-9_.-]{0,31}, SALT and HASH base64
 *
 * statusd itself skips a bad line (one broken line must not lock everyone
 * out); a restore refuses it instead, since it would lock that user out.
 */

const USER_NAME = /^[a-z_][a-z0-9_.-]{0,31}$/;
const B64 = /^[A-Za-z0-9+/]+={0,2}$/;

function hashOk(text: string): boolean {
  const parts = text.split('$');
  if (parts.length !== 6 || parts[0] !== 'scrypt') return false;
  const [, n, r, p, salt, hash] = parts;
  const N = Number(n);
  const R = Number(r);
  const P = Number(p);
  const pow2 = Number.isSafeInteger(N) && N >= 2 && (N & (N - 1)) === 0;
  if (!pow2 || N > 2 ** 20 || !Number.isSafeInteger(R) || R < 1 || R > 32 || !Number.isSafeInteger(P) || P < 1 || P > 16) return false;
  if (salt === undefined || hash === undefined || !B64.test(salt) || !B64.test(hash)) return false;
  const h = Buffer.from(hash, 'base64');
  return h.length >= 16 && h.length <= 128;
}

/** Every bad line as "line N: message"; no users at all is a problem too (nobody could log in). */
export function usersFileProblems(text: string): string[] {
  const problems: string[] = [];
  const names = new Set<string>();
  text.split('\n').forEach((raw, i) => {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) return;
    const colon = line.indexOf(':');
    const name = colon < 0 ? line : line.slice(0, colon);
    if (!USER_NAME.test(name)) return problems.push(`line ${i + 1}: ${JSON.stringify(name.slice(0, 40))} is not a valid user name`);
    if (colon < 0 || !hashOk(line.slice(colon + 1))) return problems.push(`line ${i + 1}: user ${name}: not a scrypt hash`);
    if (names.has(name)) return problems.push(`line ${i + 1}: user ${name} appears twice`);
    names.add(name);
  });
  if (problems.length === 0 && names.size === 0) problems.push('no user: nobody could log in to the web UI');
  return problems;
}
