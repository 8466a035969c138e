import test from 'ava';
import { checkPathFacts, checkRequestedPath, checkSize, componentsOf, type ComponentFact, type FileKind } from './path-safety';

const REG = ['/etc/haproxy/haproxy.cfg'];

test('requested paths: absolute, no traversal, registered', (t) => {
  const table: [string, string][] = [
    ['/etc/haproxy/haproxy.cfg', 'ok'],
    ['etc/haproxy/haproxy.cfg', 'PATH_NOT_ABSOLUTE'],
    ['', 'PATH_NOT_ABSOLUTE'],
    ['/etc/haproxy/../shadow', 'PATH_TRAVERSAL'],
    ['/etc/haproxy/./haproxy.cfg', 'PATH_TRAVERSAL'],
    ['/etc//haproxy/haproxy.cfg', 'PATH_TRAVERSAL'],
    ['/etc/haproxy/haproxy.cfg\0', 'PATH_TRAVERSAL'],
    ['/etc/passwd', 'PATH_UNREGISTERED'],
    ['/etc/haproxy/haproxy.cfg/', 'PATH_TRAVERSAL'],
  ];
  for (const [p, want] of table) {
    const v = checkRequestedPath(p, REG);
    t.is(v.ok ? 'ok' : v.code, want, JSON.stringify(p));
  }
});

const facts = (p: string, kinds: FileKind[]): ComponentFact[] => componentsOf(p).map((c, i) => ({ path: c, kind: kinds[i] ?? 'missing' }));

test('lstat facts: links, devices and missing parents are refused', (t) => {
  const p = '/etc/haproxy/haproxy.cfg';
  const table: [FileKind[], string][] = [
    [['dir', 'dir', 'file'], 'ok'],
    [['dir', 'dir', 'missing'], 'ok'],
    [['dir', 'symlink', 'file'], 'PATH_SYMLINK'],
    [['dir', 'dir', 'symlink'], 'PATH_SYMLINK'],
    [['dir', 'dir', 'char-device'], 'PATH_NOT_REGULAR'],
    [['dir', 'dir', 'fifo'], 'PATH_NOT_REGULAR'],
    [['dir', 'dir', 'dir'], 'PATH_NOT_REGULAR'],
    [['dir', 'file', 'missing'], 'PATH_NOT_REGULAR'],
    [['dir', 'missing', 'missing'], 'PATH_PARENT_MISSING'],
  ];
  for (const [kinds, want] of table) {
    const v = checkPathFacts(p, facts(p, kinds));
    t.is(v.ok ? 'ok' : v.code, want, kinds.join('/'));
  }
  t.false(checkPathFacts(p, facts('/etc/other', ['dir', 'file'])).ok, 'facts of another path are not accepted');
});

test('sizes', (t) => {
  t.true(checkSize('/x', 10, 10).ok);
  t.deepEqual(checkSize('/x', 11, 10).ok ? null : checkSize('/x', 11, 10), { ok: false, code: 'PAYLOAD_TOO_LARGE', message: '/x: 11 bytes is more than max_size 10' });
  t.false(checkSize('/x', -1, 10).ok);
  t.deepEqual(componentsOf('/a/b'), ['/a', '/a/b']);
});
