/**
 * scrypt password hashes (node:crypto, on libuv's thread pool so a login
 * never blocks the feed). Format and parameters: core/passwords.ts.
 */
import { randomBytes, scrypt, timingSafeEqual } from 'node:crypto';
import { DEFAULT_SCRYPT, formatHash, parseHash, type ScryptParams } from '../core/passwords';

function derive(password: string, salt: Buffer, p: ScryptParams): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    scrypt(password.normalize('NFC'), salt, p.keyLength, { N: p.N, r: p.r, p: p.p, maxmem: 256 * p.N * p.r + 2 ** 20 }, (err, key) => (err ? reject(err) : resolve(key)));
  });
}

export async function hashPassword(password: string, params: ScryptParams = DEFAULT_SCRYPT): Promise<string> {
  const salt = randomBytes(16);
  return formatHash({ params, salt, hash: await derive(password, salt, params) });
}

/** False for a wrong password and for a hash we cannot read (never throws on bad input). */
export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const h = parseHash(stored);
  if (h === null) return false;
  try {
    const key = await derive(password, h.salt, h.params);
    return key.length === h.hash.length && timingSafeEqual(key, h.hash);
  } catch {
    return false;
  }
}
