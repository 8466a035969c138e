import test from 'ava';
import { formatHash, formatUsers, parseHash, parseUsers, passwordFromBytes, PASSWORD_ALPHABET } from './passwords';

const H = formatHash({ params: { N: 16384, r: 8, p: 1, keyLength: 32 }, salt: Buffer.alloc(16, 1), hash: Buffer.alloc(32, 2) });

test('hash format round trip', (t) => {
  t.regex(H, /^scrypt\$16384\$8\$1\$[A-Za-z0-9+/=]+\$[A-Za-z0-9+/=]+$/);
  const p = parseHash(H);
  t.deepEqual(p?.params, { N: 16384, r: 8, p: 1, keyLength: 32 });
  t.deepEqual(p?.salt, Buffer.alloc(16, 1));
});

test('hash format: unusable parameters are refused', (t) => {
  for (const bad of ['', 'bcrypt$x', 'scrypt$1000$8$1$AA==$' + 'A'.repeat(44), 'scrypt$16384$0$1$AA==$' + 'A'.repeat(44),
    'scrypt$2097152$8$1$AA==$' + 'A'.repeat(44), 'scrypt$16384$8$1$AA==$AAAA', 'scrypt$16384$8$1$%%$' + 'A'.repeat(44)]) {
    t.is(parseHash(bad), null, bad);
  }
});

test('users file: good lines kept, bad lines reported with their number', (t) => {
  const text = `# comment\nadmin:${H}\n\nBad Name:${H}\nops:not-a-hash\nadmin:${H}\nnocolon\n`;
  const u = parseUsers(text);
  t.deepEqual([...u.users.keys()], ['admin']);
  t.deepEqual(u.problems.map((p) => p.line), [4, 5, 6, 7]);
  t.deepEqual(parseUsers(formatUsers(u.users)).users, u.users);
});

test('generated passwords: 16 symbols in 4 groups, no look-alikes, unbiased mapping', (t) => {
  const pw = passwordFromBytes(Buffer.from([...Array(16).keys()].map((i) => i * 17)));
  t.regex(pw, /^[a-z2-9]{4}-[a-z2-9]{4}-[a-z2-9]{4}-[a-z2-9]{4}$/);
  t.false(/[lo01]/.test(PASSWORD_ALPHABET));
  t.is(PASSWORD_ALPHABET.length, 32);
  t.is(new Set(PASSWORD_ALPHABET).size, 32);
  t.is(passwordFromBytes(Buffer.alloc(16, 0)), 'aaaa-aaaa-aaaa-aaaa');
  t.is(passwordFromBytes(Buffer.alloc(16, 32)), 'aaaa-aaaa-aaaa-aaaa', '256 = 8 x 32: byte b and b+32 give the same symbol');
  t.throws(() => passwordFromBytes(Buffer.alloc(15)));
});
