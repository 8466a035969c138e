import test from 'ava';
import { ConfigError, formatProblem } from '../../runtime/config/problems';
import { parseRegistry, parseSize } from './registry';
import { splitWords } from './words';

const F = '/etc/csyncd/services.conf';
const OPTS = { forbiddenDirs: ['/etc/csyncd', '/var/lib/lbos/csyncd'] };

function problems(text: string): string[] {
  try {
    parseRegistry(text, F, OPTS);
    return [];
  } catch (err) {
    if (!(err instanceof ConfigError)) throw err;
    return err.problems.map(formatProblem);
  }
}

test('a registry with quoting, defaults and two services', (t) => {
  const text = [
    '# what csyncd may sync',
    'service haproxy',
    '    file /etc/haproxy/haproxy.cfg',
    '    file /etc/haproxy/errors/503.http',
    '    validate haproxy -c -f {file}',
    "    apply sh -c 'kill -USR2 $(cat /run/haproxy.pid)'   # reload",
    '    max_size 4M',
    '    timeout 30s',
    'service keepalived',
    '    file /etc/keepalived/keepalived.conf',
    '    apply systemctl \\',
    '        reload keepalived',
  ].join('\n');
  const r = parseRegistry(text, F, OPTS);
  t.is(r.services.length, 2);
  t.like(r.services[0], { name: 'haproxy', files: ['/etc/haproxy/haproxy.cfg', '/etc/haproxy/errors/503.http'], validate: ['haproxy', '-c', '-f', '{file}'], apply: ['sh', '-c', 'kill -USR2 $(cat /run/haproxy.pid)'], maxSize: 4 << 20, timeoutMs: 30_000, line: 2 });
  t.like(r.services[1], { name: 'keepalived', validate: null, apply: ['systemctl', 'reload', 'keepalived'], maxSize: 16 << 20, timeoutMs: 60_000 });
});

test('unsafe or ambiguous files are refused at load time, all at once', (t) => {
  const p = problems([
    'file /etc/x',
    'service a',
    '  file etc/relative',
    '  file /etc/haproxy/../shadow',
    '  file /etc//haproxy/x',
    '  file /etc/csyncd/csyncd_authorized',
    '  file /var/lib/lbos/csyncd/meta/a.json',
    '  file /etc/ok',
    'service b',
    '  file /etc/ok',
    '  max_size 2T',
    '  validate',
    '  restart now',
    'service a',
    'service Bad!',
    '  file /etc/bad-service-file',
    'service empty',
    "  apply 'unclosed",
  ].join('\n'));
  const lines = p.map((x) => x.replace(/^\S+?:(\d+): .*$/, '$1'));
  t.deepEqual(lines, ['1', '3', '4', '5', '6', '7', '9', '10', '11', '12', '13', '14', '15', '17', '18'], p.join('\n'));
  t.regex(p.join('\n'), /inside \/etc\/csyncd, which belongs to csyncd itself/);
  t.regex(p.join('\n'), /already registered \(service a\)/);
  t.regex(p.join('\n'), /service empty has no "file" line/);
});

test('sizes and words', (t) => {
  t.is(parseSize('512K'), 512 * 1024);
  t.is(parseSize('1g'), 1024 ** 3);
  t.is(parseSize('12'), 12);
  t.is(parseSize('1.5M'), null);
  t.deepEqual(splitWords(`a "b c" 'd e' f\\ g "h\\"i" #comment`).words, ['a', 'b c', 'd e', 'f g', 'h"i']);
  t.deepEqual(splitWords('x#notcomment # comment').words, ['x#notcomment']);
  t.truthy(splitWords('a "b').error);
});

test('validate must name {file}; unknown placeholders are refused in validate and apply', (t) => {
  const svc = (line: string): string => `service haproxy\n    file /etc/haproxy/haproxy.cfg\n    ${line}\n`;
  t.deepEqual(problems(svc('validate haproxy -c -f /etc/haproxy/haproxy.cfg')), [
    `${F}:3: validate: must name {file}, the staged copy of the pushed file (e.g. validate haproxy -c -f {file}); without it the installed file is checked, not the pushed one`,
  ]);
  t.deepEqual(problems(svc('validate haproxy -c -f {fale}')), [`${F}:3: validate: unknown placeholder {fale} (known: {file} {dir} {service})`]);
  t.deepEqual(problems(svc('apply cp {file} /tmp/x')), [`${F}:3: apply: unknown placeholder {file} (apply runs on the installed files; placeholders are for validate only)`]);
  t.deepEqual(problems(svc("validate sh -c 'cd {dir} && haproxy -c -f \"$0\"' {file}")), []);
  t.deepEqual(problems(svc("apply sh -c 'awk \"{ print }\" /etc/x'")), [], 'braces with spaces are no placeholder');
});

test('control characters and a 10 MB junk line are refused, quoted short', (t) => {
  // A vertical tab looks like a line break in some editors; here it is refused by name.
  t.deepEqual(problems('service haproxy\n    file /etc/haproxy/haproxy.cfg\x0b    apply true\n').map((p) => p.split(' at ')[0]), [
    `${F}:1: service: service haproxy has no "file" line`,
    `${F}:2: a vertical tab (U+000B)`,
  ]);
  const junk = problems(`service haproxy\n    file /etc/haproxy/haproxy.cfg\n${'j'.repeat(10 * 1024 * 1024)}\n`);
  t.is(junk.length, 1);
  t.true((junk[0] ?? '').length < 200, junk[0]);
  t.regex(junk[0] ?? '', /:3: line is 10485760 characters long \(at most 4096\); it starts "j{80}"\.\.\./);
});
