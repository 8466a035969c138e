import test from 'ava';
import { parseDurationMs, parseIntInRange, parseBool, parseCidr, parseIfName } from './values';
import { splitDirectiveLines } from './lines';
import { ConfigError, formatProblem } from './problems';

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
