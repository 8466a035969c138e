import test from 'ava';
import { parseCommand } from './commands';

test('commands a peer may run', (t) => {
  const ok: [string, unknown][] = [
    ['status', { op: 'status', json: false }],
    ['status --json', { op: 'status', json: true }],
    ['  push   haproxy ', { op: 'push', service: 'haproxy' }],
    ['version haproxy', { op: 'version', service: 'haproxy' }],
    ['save', { op: 'save' }],
    [`getkey ${'ab'.repeat(32)} admin`, { op: 'getkey', nonce: 'ab'.repeat(32), account: 'admin' }],
  ];
  for (const [text, want] of ok) {
    const r = parseCommand(text, 'admin');
    t.deepEqual(r.ok ? r.cmd : r.message, want, text);
  }
});

test('anything else is refused with a message', (t) => {
  for (const text of ['', 'bash', 'push', 'push ../etc', 'push a b', 'status --text', 'save now', 'getkey 12 admin', 'rm -rf /', 'x'.repeat(600)]) {
    t.false(parseCommand(text, 'admin').ok, text);
  }
  t.false(parseCommand('status', 'getkey').ok, 'the getkey user may only run getkey');
  t.true(parseCommand(`getkey ${'0'.repeat(64)} admin`, 'getkey').ok);
});
