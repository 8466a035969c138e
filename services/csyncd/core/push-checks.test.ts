import test from 'ava';
import type { ServiceDef } from '../config/types';
import { checkHeader } from './push-checks';
import { componentsOf, type ComponentFact } from './path-safety';
import type { PushHeader } from './push-frame';

const DEF: ServiceDef = { name: 'haproxy', files: ['/etc/haproxy/haproxy.cfg'], validate: null, apply: null, maxSize: 1000, timeoutMs: 1000, file: 'f', line: 1 };
const V = { counter: 1, node: 1, sha256: 'a'.repeat(64) };
const header = (files: { path: string; size: number }[], from = 1): PushHeader => ({ v: 1, service: 'haproxy', from, version: V, expect: null, force: false, files: files.map((f) => ({ ...f, sha256: 'b'.repeat(64) })) });
const regular = (p: string): ComponentFact[] => componentsOf(p).map((c, i, all) => ({ path: c, kind: i === all.length - 1 ? 'file' : 'dir' }));
const facts = new Map([[DEF.files[0] ?? '', regular(DEF.files[0] ?? '')]]);

test('what a receiver refuses before reading file bytes', (t) => {
  const table: [string, PushHeader, ServiceDef | undefined, string][] = [
    ['good', header([{ path: '/etc/haproxy/haproxy.cfg', size: 10 }]), DEF, 'ok'],
    ['unknown service', header([{ path: '/etc/haproxy/haproxy.cfg', size: 10 }]), undefined, 'UNKNOWN_SERVICE'],
    ['from ourselves', header([{ path: '/etc/haproxy/haproxy.cfg', size: 10 }], 2), DEF, 'NODE_MISMATCH'],
    ['traversal', header([{ path: '/etc/haproxy/../passwd', size: 10 }]), DEF, 'PATH_TRAVERSAL'],
    ['unregistered extra file', header([{ path: '/etc/haproxy/haproxy.cfg', size: 10 }, { path: '/etc/passwd', size: 1 }]), DEF, 'PATH_UNREGISTERED'],
    ['registered file missing from the push', header([]), DEF, 'REGISTRY_MISMATCH'],
    ['oversize', header([{ path: '/etc/haproxy/haproxy.cfg', size: 1001 }]), DEF, 'PAYLOAD_TOO_LARGE'],
  ];
  for (const [why, h, def, want] of table) {
    const v = checkHeader(h, def, 2, facts);
    t.is(v.ok ? 'ok' : v.code, want, why);
  }
  const linked = new Map([[DEF.files[0] ?? '', regular(DEF.files[0] ?? '').map((f, i) => (i === 1 ? { ...f, kind: 'symlink' as const } : f))]]);
  const v = checkHeader(header([{ path: '/etc/haproxy/haproxy.cfg', size: 10 }]), DEF, 2, linked);
  t.is(v.ok ? 'ok' : v.code, 'PATH_SYMLINK');
});
