/**
 * How `csyncctl getkey` knows the keys it fetched are the peer's.
 *
 * The peer keeps, per management account, an scrypt hash of the password
 * (config_dir/accounts). The getkey client sends a fresh nonce; the peer
 * answers with its public keys and HMAC-SHA256(scrypt(password), nonce ||
 * keys || node). The client derives the same key from the password the
 * operator typed and the salt the peer sent, and accepts the keys only if
 * the HMAC matches. The password never crosses the network, so a man in the
 * middle learns nothing he can replay, and he cannot substitute his own keys
 * without the password. (An impostor *client* can collect one HMAC per try
 * for an offline guess; scrypt makes each guess expensive and the server
 * rate-limits getkey.) Alternative: `--fingerprint SHA256:...` read off the
 * peer's console (`csyncctl showkey`).
 */
import { createHmac, randomBytes, scrypt, timingSafeEqual } from 'node:crypto';

export interface KdfParams {
  N: number;
  r: number;
  p: number;
  /** base64 */
  salt: string;
}

export const DEFAULT_KDF = { N: 1 << 15, r: 8, p: 1 } as const;

/** Bounds a client accepts from a peer, so a hostile peer cannot make it burn memory. */
export function kdfParamsOk(k: unknown): k is KdfParams {
  if (typeof k !== 'object' || k === null) return false;
  const o = k as Record<string, unknown>;
  const pow2 = (n: unknown): boolean => Number.isInteger(n) && (n as number) >= 1024 && (n as number) <= 1 << 20 && ((n as number) & ((n as number) - 1)) === 0;
  return pow2(o.N) && Number.isInteger(o.r) && (o.r as number) >= 1 && (o.r as number) <= 16 && Number.isInteger(o.p) && (o.p as number) >= 1 && (o.p as number) <= 4 && typeof o.salt === 'string' && o.salt.length >= 16 && o.salt.length <= 128;
}

export function deriveKey(password: string, k: KdfParams): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    scrypt(password.normalize('NFC'), Buffer.from(k.salt, 'base64'), 32, { N: k.N, r: k.r, p: k.p, maxmem: 256 * k.N * k.r + (1 << 20) }, (err, key) => (err === null ? resolve(key) : reject(err)));
  });
}

export function newKdfParams(): KdfParams {
  return { ...DEFAULT_KDF, salt: randomBytes(16).toString('base64') };
}

/** The bytes the proof covers: everything the client will trust. */
export function proofMessage(nonce: string, hostKey: string, userKey: string, node: number): string {
  return `csyncd-getkey-v1\n${nonce}\n${hostKey}\n${userKey}\n${node}\n`;
}

export function computeProof(key: Buffer, message: string): string {
  return createHmac('sha256', key).update(message).digest('hex');
}

export function proofMatches(key: Buffer, message: string, proof: string): boolean {
  const want = Buffer.from(computeProof(key, message), 'hex');
  const got = Buffer.from(/^[0-9a-f]{64}$/.test(proof) ? proof : '', 'hex');
  return got.length === want.length && timingSafeEqual(got, want);
}

/** One account line: "admin:scrypt:N:r:p:salt:hash" (hash = scrypt key, base64). */
export interface AccountEntry {
  name: string;
  kdf: KdfParams;
  key: Buffer;
}

export function formatAccount(e: AccountEntry): string {
  return `${e.name}:scrypt:${e.kdf.N}:${e.kdf.r}:${e.kdf.p}:${e.kdf.salt}:${e.key.toString('base64')}`;
}

/** Parse the accounts file; bad lines are skipped (and counted). Never throws. */
export function parseAccounts(text: string): { accounts: AccountEntry[]; bad: number } {
  const accounts: AccountEntry[] = [];
  let bad = 0;
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) continue;
    const [name = '', alg, N, r, p, salt = '', key = ''] = line.split(':');
    const kdf = { N: Number(N), r: Number(r), p: Number(p), salt };
    if (alg !== 'scrypt' || !kdfParamsOk(kdf) || !/^[A-Za-z0-9+/]{43}=$/.test(key) || name === '') {
      bad++;
      continue;
    }
    accounts.push({ name, kdf, key: Buffer.from(key, 'base64') });
  }
  return { accounts, bad };
}
