import test from 'ava';
import { command, decodeServerLine, displaySafe, isAsync, isValidId, LineSplitter, quoteArg } from './lcdproc-protocol';

test('connect line of LCDd 0.5.9 (recorded) and of a protocol 0.4 server', (t) => {
  t.deepEqual(decodeServerLine('connect LCDproc 0.5.9 protocol 0.3 lcd wid 20 hgt 4 cellwid 5 cellhgt 8'), {
    kind: 'connect',
    display: { serverVersion: '0.5.9', protocolVersion: '0.3', width: 20, height: 4, cellWidth: 5, cellHeight: 8 },
  });
  const v = decodeServerLine('connect LCDproc 0.5.x protocol 0.4 lcd wid 16 hgt 2 cellwid 5 cellhgt 8\r');
  t.is(v.kind, 'connect');
  if (v.kind === 'connect') t.deepEqual([v.display.width, v.display.height, v.display.protocolVersion], [16, 2, '0.4']);
});

test('connect lines with missing or absurd sizes are bad, with the reason', (t) => {
  for (const [line, reason] of [
    ['connect LCDproc 0.5.9 protocol 0.3 lcd wid 20 hgt 4 cellwid 5', /cellhgt/],
    ['connect LCDproc 0.5.9 protocol 0.3 lcd wid 0 hgt 4 cellwid 5 cellhgt 8', /wid "0"/],
    ['connect LCDproc 0.5.9 protocol 0.3 lcd wid 20 hgt 9999 cellwid 5 cellhgt 8', /hgt/],
    ['connect LCDproc 0.5.9 protocol 0.3 lcd wid -1 hgt 2 cellwid 5 cellhgt 8', /wid/],
    ['connect something else', /LCDproc/],
  ] as const) {
    const v = decodeServerLine(line);
    t.is(v.kind, 'bad', line);
    if (v.kind === 'bad') t.regex(v.reason, reason);
  }
});

test('replies and asynchronous lines', (t) => {
  t.deepEqual(decodeServerLine('success'), { kind: 'success' });
  t.deepEqual(decodeServerLine('huh? Invalid command "bogus"'), { kind: 'huh', message: 'Invalid command "bogus"' });
  t.deepEqual(decodeServerLine('listen lbos'), { kind: 'listen', screen: 'lbos' });
  t.deepEqual(decodeServerLine('ignore lbos'), { kind: 'ignore', screen: 'lbos' });
  t.deepEqual(decodeServerLine('key Enter'), { kind: 'key', key: 'Enter' });
  t.deepEqual(decodeServerLine('menuevent update ip 192.168.2.1'), { kind: 'menuevent', event: 'update', id: 'ip', value: '192.168.2.1' });
  t.deepEqual(decodeServerLine('menuevent select exit'), { kind: 'menuevent', event: 'select', id: 'exit', value: null });
  t.deepEqual(decodeServerLine('noop complete'), { kind: 'other', text: 'noop complete' });
  t.deepEqual(decodeServerLine('bye'), { kind: 'bye' });
  t.true(isAsync(decodeServerLine('key Up')));
  t.false(isAsync(decodeServerLine('success')));
});

test('malformed asynchronous lines are bad, never thrown', (t) => {
  for (const line of ['', 'listen', 'listen a b', 'key', 'key Up Down', 'menuevent', 'menuevent explode x', 'menuevent update a b c d']) {
    t.is(decodeServerLine(line).kind, 'bad', JSON.stringify(line));
  }
});

test('line splitter: any chunking gives the same lines', (t) => {
  const stream = 'connect LCDproc 0.5.9 protocol 0.3 lcd wid 16 hgt 2 cellwid 5 cellhgt 8\nsuccess\nkey Up\r\nhuh? nope\n';
  const whole = new LineSplitter().push(stream).map((l) => l.kind);
  t.deepEqual(whole, ['connect', 'success', 'key', 'huh']);
  for (let cut = 0; cut <= stream.length; cut++) {
    const s = new LineSplitter();
    t.deepEqual([...s.push(stream.slice(0, cut)), ...s.push(stream.slice(cut))].map((l) => l.kind), whole, `cut ${cut}`);
  }
});

test('line splitter: an overlong line is reported once and skipped to its end', (t) => {
  const s = new LineSplitter(16);
  const first = s.push('x'.repeat(40));
  t.deepEqual(first.map((l) => (l.kind === 'bad' ? l.reason : l.kind)), ['line too long']);
  t.deepEqual(s.push('y'.repeat(40)), []);
  t.deepEqual(s.push('zz\nsuccess\n').map((l) => l.kind), ['success']);
  t.deepEqual(new LineSplitter(6).push('abcdefgh\nkey Up\n').map((l) => (l.kind === 'bad' ? l.reason : l.kind)), ['line too long', 'key']);
});

test('quoting: quotes and backslashes escaped, control characters and non-ASCII replaced', (t) => {
  t.is(quoteArg('He said "hi" \\ {x}'), '"He said \\"hi\\" \\\\ {x}"');
  t.is(quoteArg('a\nb\tc'), '"a b c"');
  t.is(quoteArg('Größe €'), '"Gr??e ?"');
  t.is(displaySafe('\u007f'), ' ');
  t.is(quoteArg(''), '""');
});

test('command builder: numbers as words, strings quoted, raw passed', (t) => {
  t.is(command('widget_set', { raw: 's' }, { raw: 'w' }, 1, 2, 'IP 10.0.0.1'), 'widget_set s w 1 2 "IP 10.0.0.1"');
  t.is(command('hello'), 'hello');
  t.is(command('x', 2.7), 'x 2');
});

test('ids: no spaces, quotes or braces', (t) => {
  t.true(isValidId('lbos-main_1'));
  for (const id of ['', 'a b', 'a"b', '{x}', 'x'.repeat(65)]) t.false(isValidId(id), id);
});
