import test from 'ava';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { ConfigError, formatProblem } from '../../runtime/config/problems';
import { EXAMPLE_SECRETS, parseAuthkeys } from './authkeys';

const FIXTURES = path.resolve(__dirname, '../../../../services/hbd/config/__fixtures__');
const fixture = (name: string): string => readFileSync(path.join(FIXTURES, name), 'utf8');

test('selected sha256 key; the secret is the rest of the line, # included', (t) => {
  const { config, warnings } = parseAuthkeys(fixture('authkeys.lbo'), '/etc/ha.d/authkeys');
  t.is(config.index, 3);
  t.is(config.method, 'sha256');
  t.is(config.key.toString('utf8'), 'Tr0ub4dor&3 correct # horse battery staple');
  t.deepEqual(warnings, []);
});

test('sha1 and md5 are accepted with a warning; short keys warned', (t) => {
  const { config, warnings } = parseAuthkeys('auth 1\n1 SHA1 tiny\n', 'ak');
  t.is(config.method, 'sha1');
  t.deepEqual(warnings.map(formatProblem), [
    'ak:2: 1: sha1 is weak; accepted for Heartbeat compatibility, prefer sha256',
    'ak:2: 1: key is short (4 bytes); use at least 16',
  ]);
  t.is(parseAuthkeys('auth 2\n2 md5 0123456789abcdef0123\n', 'ak').config.method, 'md5');
});

test('crc is refused when selected', (t) => {
  const err = t.throws(() => parseAuthkeys('auth 1\n1 crc\n', 'ak'), { instanceOf: ConfigError });
  t.deepEqual(err.problems.map(formatProblem), ['ak:2: 1: crc gives no authentication; use sha256']);
});

test('every problem with file:line', (t) => {
  const err = t.throws(() => parseAuthkeys(fixture('authkeys.bad'), 'authkeys'), { instanceOf: ConfigError });
  t.deepEqual(err.problems.map(formatProblem), [
    'authkeys:2: auth: given twice (lines 1 and 2); keep one',
    'authkeys:4: 1: key 1 defined twice (lines 3 and 4)',
    'authkeys:5: 2: unknown method "sha512" (sha256, sha1 or md5)',
    'authkeys:6: 3: empty key for md5',
    'authkeys:7: x: expected `auth N` or `N METHOD SECRET`',
    'authkeys:1: auth: selects key 2, which is not defined',
  ]);
});

test('missing auth line', (t) => {
  const err = t.throws(() => parseAuthkeys('1 sha256 0123456789abcdef\n', 'ak'), { instanceOf: ConfigError });
  t.deepEqual(err.problems.map(formatProblem), ['ak: auth: missing `auth N` line selecting the key']);
});

test('the example secrets of our documentation are refused', (t) => {
  for (const secret of EXAMPLE_SECRETS) {
    const err = t.throws(() => parseAuthkeys(`auth 3\n3 sha256 ${secret}\n`, 'ak'), { instanceOf: ConfigError });
    t.deepEqual(err.problems.map((p) => formatProblem(p).split(':').slice(0, 4).join(':')), ['ak:2: 3: this is the example secret from the documentation']);
  }
});

test('every secret shipped in an example (README, image examples) is one the loader refuses', (t) => {
  const repo = path.resolve(__dirname, '../../../..');
  const docs = [
    path.join(repo, 'services/hbd/README.md'),
    path.join(repo, 'rootfs/overlay/usr/share/lbos/examples/ha.d/authkeys'),
  ];
  const found = docs.flatMap((f) => [...readFileSync(f, 'utf8').matchAll(/^\d+ (?:sha256|sha1|md5) (.+)$/gm)].map((m) => (m[1] ?? '').trim()));
  t.true(found.length >= 2);
  for (const secret of found) t.true(EXAMPLE_SECRETS.includes(secret), `${secret} is shipped but not refused`);
});

test('a control character or an endless line is refused', (t) => {
  const err = t.throws(() => parseAuthkeys(`auth 3\r3 sha256 0123456789abcdef0123\n${'z'.repeat(10_000_000)}`, 'ak'), { instanceOf: ConfigError });
  const lines = err.problems.map(formatProblem);
  t.regex(lines[0] ?? '', /^ak:1: a carriage return \(U\+000D\)/);
  t.regex(lines[1] ?? '', /^ak:2: line is 10000000 characters long/);
  t.true((lines[1] ?? '').length < 200);
});
