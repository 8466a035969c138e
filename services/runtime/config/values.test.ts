import test from 'ava';
import { parseDurationMs, parseIntInRange, parseBool, parseCidr, parseIfName, parseHostName, parseHostOrAddress } from './values';
import { splitDirectiveLines } from './lines';
import { ConfigError, formatProblem, quoteText, type ConfigProblem } from './problems';
import { closestWord } from './suggest';

const S = { bareUnit: 's' as const, minMs: 10, maxMs: 3_600_000 };

test('durations: bare seconds, s, ms, fractions', (t) => {
  t.deepEqual(parseDurationMs('2', S), { ok: true, value: 2000 });
  t.deepEqual(parseDurationMs('150ms', S), { ok: true, value: 150 });
  t.deepEqual(parseDurationMs('0.5', S), { ok: true, value: 500 });
  t.deepEqual(parseDurationMs('3s', S), { ok: true, value: 3000 });
});

test('durations: garbage and out of range are explained', (t) => {
  const r = parseDurationMs('fast', S);
  t.false(r.ok);
  t.regex(r.ok ? '' : r.message, /not a duration/);
  const low = parseDurationMs('5ms', S);
  t.regex(low.ok ? '' : low.message, /out of range \(allowed 10ms/);
});

test('integers and booleans', (t) => {
  t.deepEqual(parseIntInRange('254', 1, 254), { ok: true, value: 254 });
  t.false(parseIntInRange('255', 1, 254).ok);
  t.false(parseIntInRange('1e3', 1, 5000).ok);
  t.deepEqual(parseBool('On'), { ok: true, value: true });
  t.deepEqual(parseBool('no'), { ok: true, value: false });
  t.false(parseBool('maybe').ok);
});

test('CIDR checks prefix per family', (t) => {
  t.deepEqual(parseCidr('192.0.2.1/24'), { ok: true, value: { address: '192.0.2.1', prefix: 24, family: 4 } });
  t.true(parseCidr('2001:db8::1/64').ok);
  t.false(parseCidr('192.0.2.1/33').ok);
  t.false(parseCidr('192.0.2.300/24').ok);
  t.false(parseCidr('192.0.2.1').ok);
});

test('interface names follow IFNAMSIZ', (t) => {
  t.true(parseIfName('eth0.100').ok);
  t.false(parseIfName('a-very-long-ifname0').ok);
  t.false(parseIfName('eth 0').ok);
});

test('directive lines: comments, continuation, line numbers', (t) => {
  const lines = splitDirectiveLines('# c\nkeepalive 2 # two\n\nnode a \\\n  b\nping 1.2.3.4', 'ha.cf');
  t.deepEqual(lines.map((l) => [l.line, l.key, l.args]), [
    [2, 'keepalive', ['2']],
    [4, 'node', ['a', 'b']],
    [6, 'ping', ['1.2.3.4']],
  ]);
});

test('ConfigError lists every problem as file:line: key: message', (t) => {
  const e = new ConfigError([{ file: 'f', line: 3, key: 'k', message: 'bad' }, { file: 'f', message: 'missing' }]);
  t.is(e.code, 'CONFIG_INVALID');
  t.is(e.message, 'f:3: k: bad\nf: missing');
  t.is(formatProblem({ file: 'x', line: 1, message: 'm' }), 'x:1: m');
});

test('numbers are written plainly: no leading zeros, -0, + or exponents', (t) => {
  const z = parseIntInRange('010', 1, 100);
  t.regex(z.ok ? '' : z.message, /without leading zeros/);
  t.false(parseIntInRange('-0', -5, 5).ok);
  t.false(parseIntInRange('+1', 0, 5).ok);
  t.false(parseIntInRange('0x10', 0, 50).ok);
  t.deepEqual(parseIntInRange('0', 0, 5), { ok: true, value: 0 });
  t.deepEqual(parseIntInRange('-3', -5, 5), { ok: true, value: -3 });
  t.false(parseIntInRange('9'.repeat(400), 0, 5).ok);
});

test('host names are RFC 1123 names, and a dotted number is not one', (t) => {
  t.true(parseHostName('lcd.example.com').ok);
  t.true(parseHostName('localhost').ok);
  t.true(parseHostName('lb-1.').ok);
  const r = parseHostOrAddress('127.0.-0.1');
  t.false(r.ok);
  t.regex(r.ok ? '' : r.message, /"127\.0\.-0\.1" is not a host name/);
  const n = parseHostOrAddress('256.1.1.1');
  t.regex(n.ok ? '' : n.message, /neither an IP address nor a host name/);
  t.false(parseHostName('-lead.example').ok);
  t.false(parseHostName('a..b').ok);
  t.false(parseHostName(`${'a'.repeat(64)}.com`).ok);
  t.true(parseHostOrAddress('::1').ok);
  t.true(parseHostOrAddress('127.0.0.1').ok);
});

test('control characters are refused, not taken as white space', (t) => {
  const problems: ConfigProblem[] = [];
  const lines = splitDirectiveLines('keepalive 2\rdeadtime 10\nnode a\x0bb\nnode c\r\nping 1.2.3.4\x00\n', 'ha.cf', (p) => problems.push(p));
  t.deepEqual(lines.map((l) => [l.line, l.key, l.args]), [[3, 'node', ['c']]]);
  t.deepEqual(problems.map((p) => [p.line, p.message.split(' at ')[0]]), [
    [1, 'a carriage return (U+000D)'],
    [2, 'a vertical tab (U+000B)'],
    [4, 'a NUL byte (U+0000)'],
  ]);
  t.throws(() => splitDirectiveLines('a\x0cb', 'f'), { instanceOf: ConfigError, message: /f:1: a form feed \(U\+000C\) at column 2/ });
});

test('a 10 MB junk line is refused at once with a quote of at most 80 characters', (t) => {
  const junk = 'x'.repeat(10 * 1024 * 1024);
  const problems: ConfigProblem[] = [];
  t.deepEqual(splitDirectiveLines(`keepalive 2\n${junk}\n`, 'ha.cf', (p) => problems.push(p)).map((l) => l.key), ['keepalive']);
  const msg = formatProblem(problems[0] ?? { file: '', message: '' });
  t.true(msg.length < 300, msg);
  const quoted = /"(x*)"/.exec(msg)?.[1] ?? '';
  t.true(quoted.length > 0 && quoted.length <= 80);
  t.regex(msg, /^ha\.cf:2: line is 10485760 characters long \(at most 4096\)/);
  t.is(closestWord(junk, ['keepalive']), undefined);
  t.is(closestWord('keepalvie', ['keepalive', 'deadtime']), 'keepalive');
  t.is(quoteText('y'.repeat(100)).length, '"'.length * 2 + 80 + '... (100 characters)'.length);
});
