import test from 'ava';
import { decodeArchive, encodeArchive, isEncrypted } from './codec';

// Cheap key derivation for tests; the default (N=2^16) is what create uses.
const FAST = { N: 1024, r: 8, p: 1 };
const JSON_DOC = JSON.stringify({ format: 'lbos-backup', files: [] });

test('a plain archive is gzip and decodes without a passphrase', (t) => {
  const a = encodeArchive(JSON_DOC, null);
  t.deepEqual([a[0], a[1]], [0x1f, 0x8b]);
  t.false(isEncrypted(a));
  t.deepEqual(decodeArchive(a, null), { ok: true, json: JSON_DOC, encrypted: false });
});

test('an encrypted archive needs the passphrase, and the right one', (t) => {
  const a = encodeArchive(JSON_DOC, 'correct horse', FAST);
  t.true(isEncrypted(a));
  t.false(a.includes(Buffer.from('lbos-backup')));
  t.like(decodeArchive(a, null), { ok: false, code: 'PASSPHRASE_NEEDED' });
  t.like(decodeArchive(a, 'wrong horse'), { ok: false, code: 'BAD_PASSPHRASE' });
  t.deepEqual(decodeArchive(a, 'correct horse'), { ok: true, json: JSON_DOC, encrypted: true });
});

test('each flipped byte of an encrypted archive is caught: header, body or tag', (t) => {
  const a = encodeArchive(JSON_DOC, 'correct horse', FAST);
  for (const at of [9, 25, 40, 50, 70, a.length - 1]) {
    const b = Buffer.from(a);
    b[at] = (b[at] ?? 0) ^ 0x01;
    const v = decodeArchive(b, 'correct horse');
    t.false(v.ok, `byte ${at}`);
    // The salt and check value (bytes 20-35, 48-63) make it look like a wrong passphrase; the rest is damage.
    if (!v.ok) t.true(v.code === 'ARCHIVE_DAMAGED' || v.code === 'BAD_PASSPHRASE', `byte ${at}: ${v.code}`);
  }
  const body = Buffer.from(a);
  body[70] = (body[70] ?? 0) ^ 0x80;
  t.like(decodeArchive(body, 'correct horse'), { ok: false, code: 'ARCHIVE_DAMAGED' });
});

test('a flipped byte in a plain archive fails gzip CRC; garbage and huge KDF parameters are refused', (t) => {
  const a = encodeArchive(JSON_DOC, null);
  const b = Buffer.from(a);
  b[b.length - 6] = (b[b.length - 6] ?? 0) ^ 0xff;
  t.like(decodeArchive(b, null), { ok: false, code: 'ARCHIVE_DAMAGED' });
  t.like(decodeArchive(Buffer.from('hello'), null), { ok: false, code: 'NOT_AN_ARCHIVE' });
  const e = encodeArchive(JSON_DOC, 'correct horse', FAST);
  e.writeUInt32BE(2 ** 24, 8);
  const huge = decodeArchive(e, 'correct horse');
  t.like(huge, { ok: false, code: 'ARCHIVE_DAMAGED' });
  t.regex(huge.ok ? '' : huge.message, /out of range/);
  const cut = decodeArchive(e.subarray(0, 40), 'x');
  t.like(cut, { ok: false, code: 'ARCHIVE_DAMAGED' });
  t.regex(cut.ok ? '' : cut.message, /truncated/);
});
