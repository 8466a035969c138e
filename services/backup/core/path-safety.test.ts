import test from 'ava';
import { archivePathProblem, quotePath, underRoot } from './path-safety';

test('normal absolute paths pass', (t) => {
  for (const p of ['/etc/ha.d/ha.cf', '/var/lib/lbos/statusd/tls/key.pem', '/etc/haproxy/errors/503.http']) t.is(archivePathProblem(p), null, p);
});

test('escapes, relative, unnormalised and odd paths are refused with a reason', (t) => {
  const cases: [unknown, RegExp][] = [
    ['../../etc/shadow', /not absolute/],
    ['/etc/ha.d/../../etc/shadow', /"\." or "\.\."/],
    ['/etc/./passwd', /"\." or "\.\."/],
    ['/etc//passwd', /normal form/],
    ['/etc/ha.d/', /normal form/],
    ['/etc/ha\u0000.cf', /control character/],
    ['/etc/ha\n.cf', /control character/],
    ['', /non-empty string/],
    [42, /non-empty string/],
    [`/${'a'.repeat(2000)}`, /longer than/],
  ];
  for (const [p, why] of cases) t.regex(archivePathProblem(p) ?? 'accepted', why, String(p).slice(0, 40));
});

test('underRoot joins a safe path and refuses an unsafe one', (t) => {
  t.is(underRoot('/tmp/r', '/etc/ha.d/ha.cf'), '/tmp/r/etc/ha.d/ha.cf');
  t.is(underRoot('/', '/etc/ha.d/ha.cf'), '/etc/ha.d/ha.cf');
  t.throws(() => underRoot('/tmp/r', '/etc/../../shadow'));
  t.throws(() => underRoot('/tmp/r', 'etc/shadow'));
});

test('quotePath shortens and escapes', (t) => {
  t.is(quotePath('/a\nb'), '"/a\\nb"');
  t.true(quotePath('x'.repeat(300)).length <= 83);
});
