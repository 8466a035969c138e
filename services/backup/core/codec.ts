/**
 * Archive bytes <-> archive document.
 *
 *   plain:      gzip(JSON document)                                    starts 1f 8b
 *   encrypted:  header || AES-256-GCM(gzip(JSON document)) || tag(16)  starts "LBOSBKE1"
 *
 *   header (64 bytes, also the GCM additional data):
 *     0  magic "LBOSBKE1"      8   scrypt N (u32 BE)   12  r (u32 BE)   16  p (u32 BE)
 *     20 salt (16, random)     36  GCM IV (12, random)
 *     48 passphrase check (16) = HMAC-SHA256(K2, "lbos-backup passphrase check")[0..16)
 *   K1 || K2 = scrypt(passphrase, salt, 64, {N, r, p}); K1 encrypts, K2 only checks.
 *
 * The check value tells a wrong passphrase (BAD_PASSPHRASE) from an archive
 * altered after it was made (the GCM tag fails: ARCHIVE_DAMAGED); it gives
 * an attacker nothing an offline guess against the tag would not.
 * Decoding never throws on input: it returns a verdict.
 */
import { createCipheriv, createDecipheriv, createHmac, randomBytes, scryptSync, timingSafeEqual } from 'node:crypto';
import { gunzipSync, gzipSync } from 'node:zlib';

export const MAGIC = Buffer.from('LBOSBKE1', 'ascii');
const HEADER_BYTES = 64;
const TAG_BYTES = 16;
const CHECK_LABEL = 'lbos-backup passphrase check';
/** 64 MiB of memory (128 * N * r), about 0.2 s on the appliance's CPU. */
export const DEFAULT_KDF = { N: 2 ** 16, r: 8, p: 1 } as const;
/** What a reader accepts from a header: an archive must not make us allocate gigabytes. */
const MAX_KDF_MEMORY = 512 * 1024 * 1024;
/** Largest document after gunzip (every file is at most 16 MiB, base64 in JSON). */
export const MAX_DOCUMENT_BYTES = 256 * 1024 * 1024;

export type DecodeVerdict =
  | { ok: true; json: string; encrypted: boolean }
  | { ok: false; code: 'NOT_AN_ARCHIVE' | 'ARCHIVE_DAMAGED' | 'PASSPHRASE_NEEDED' | 'BAD_PASSPHRASE'; message: string };

export function isEncrypted(bytes: Uint8Array): boolean {
  return bytes.length >= MAGIC.length && Buffer.from(bytes.subarray(0, MAGIC.length)).equals(MAGIC);
}

function keys(passphrase: string, salt: Buffer, kdf: { N: number; r: number; p: number }): { enc: Buffer; check: Buffer } {
  const k = scryptSync(passphrase.normalize('NFC'), salt, 64, { N: kdf.N, r: kdf.r, p: kdf.p, maxmem: 128 * kdf.N * kdf.r * 2 + 1024 * 1024 });
  return { enc: k.subarray(0, 32), check: createHmac('sha256', k.subarray(32)).update(CHECK_LABEL).digest().subarray(0, 16) };
}

export function encodeArchive(json: string, passphrase: string | null, kdf: { N: number; r: number; p: number } = DEFAULT_KDF, random: (n: number) => Buffer = randomBytes): Buffer {
  const gz = gzipSync(Buffer.from(json, 'utf8'), { level: 9 });
  if (passphrase === null) return gz;
  const salt = random(16);
  const iv = random(12);
  const k = keys(passphrase, salt, kdf);
  const header = Buffer.alloc(HEADER_BYTES);
  MAGIC.copy(header, 0);
  header.writeUInt32BE(kdf.N, 8);
  header.writeUInt32BE(kdf.r, 12);
  header.writeUInt32BE(kdf.p, 16);
  salt.copy(header, 20);
  iv.copy(header, 36);
  k.check.copy(header, 48);
  const cipher = createCipheriv('aes-256-gcm', k.enc, iv);
  cipher.setAAD(header);
  const body = Buffer.concat([cipher.update(gz), cipher.final()]);
  return Buffer.concat([header, body, cipher.getAuthTag()]);
}

function gunzip(gz: Buffer): DecodeVerdict | { ok: true; json: string } {
  try {
    return { ok: true, json: gunzipSync(gz, { maxOutputLength: MAX_DOCUMENT_BYTES }).toString('utf8') };
  } catch (err) {
    return { ok: false, code: 'ARCHIVE_DAMAGED', message: `the archive does not decompress (${(err as Error).message})` };
  }
}

/** `passphrase` is asked for only when the archive needs one: pass null to learn that (PASSPHRASE_NEEDED). */
export function decodeArchive(bytes: Buffer, passphrase: string | null): DecodeVerdict {
  if (bytes.length >= 2 && bytes[0] === 0x1f && bytes[1] === 0x8b) {
    const r = gunzip(bytes);
    return r.ok ? { ok: true, json: r.json, encrypted: false } : r;
  }
  if (!isEncrypted(bytes)) return { ok: false, code: 'NOT_AN_ARCHIVE', message: 'not an lbos-backup archive (neither gzip nor an encrypted archive)' };
  if (bytes.length < HEADER_BYTES + TAG_BYTES) return { ok: false, code: 'ARCHIVE_DAMAGED', message: 'the encrypted archive is truncated' };
  if (passphrase === null) return { ok: false, code: 'PASSPHRASE_NEEDED', message: 'the archive is encrypted: a passphrase is needed' };
  const header = bytes.subarray(0, HEADER_BYTES);
  const kdf = { N: header.readUInt32BE(8), r: header.readUInt32BE(12), p: header.readUInt32BE(16) };
  const pow2 = kdf.N >= 2 && (kdf.N & (kdf.N - 1)) === 0;
  if (!pow2 || kdf.r < 1 || kdf.r > 32 || kdf.p < 1 || kdf.p > 16 || 128 * kdf.N * kdf.r > MAX_KDF_MEMORY) {
    return { ok: false, code: 'ARCHIVE_DAMAGED', message: `the archive's key derivation parameters (N=${kdf.N} r=${kdf.r} p=${kdf.p}) are out of range` };
  }
  const k = keys(passphrase, Buffer.from(header.subarray(20, 36)), kdf);
  if (!timingSafeEqual(k.check, header.subarray(48, 64))) return { ok: false, code: 'BAD_PASSPHRASE', message: 'wrong passphrase for this archive' };
  const decipher = createDecipheriv('aes-256-gcm', k.enc, header.subarray(36, 48));
  decipher.setAAD(header);
  decipher.setAuthTag(bytes.subarray(bytes.length - TAG_BYTES));
  let gz: Buffer;
  try {
    gz = Buffer.concat([decipher.update(bytes.subarray(HEADER_BYTES, bytes.length - TAG_BYTES)), decipher.final()]);
  } catch {
    return { ok: false, code: 'ARCHIVE_DAMAGED', message: 'the passphrase is right but the archive was altered or damaged after it was made (authentication failed)' };
  }
  const r = gunzip(gz);
  return r.ok ? { ok: true, json: r.json, encrypted: true } : r;
}
