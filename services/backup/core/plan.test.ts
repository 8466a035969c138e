import test from 'ava';
import { fixedEntry, type Category, type Owner } from './catalog';
import type { ArchivedFile } from './manifest';
import { checksNeeded, formatSteps, planFiles, restoredMode, selectFiles, staleAfter, unitActions } from './plan';

function file(path: string, sha = 'a', mode = 0o644, service: string | null = null): ArchivedFile {
  const e = fixedEntry(path);
  const category: Category = e?.category ?? 'sync';
  const owner: Owner = e?.owner ?? 'synced';
  return { path, category, owner, secret: e?.secret ?? false, service, mode, uid: 0, gid: 0, sha256: sha, data: Buffer.from('') };
}

test('added, unchanged, changed by content or by mode', (t) => {
  const files = [file('/etc/ha.d/ha.cf', 'new'), file('/etc/ha.d/haresources', 'same'), file('/etc/lbos/network.conf', 'same'), file('/etc/ha.d/authkeys', 'k', 0o600)];
  const current = new Map([
    ['/etc/ha.d/ha.cf', { sha256: 'old', mode: 0o100644 }],
    ['/etc/ha.d/haresources', { sha256: 'same', mode: 0o100644 }],
    ['/etc/lbos/network.conf', { sha256: 'same', mode: 0o100640 }],
    ['/etc/ha.d/authkeys', null],
  ]);
  t.deepEqual(planFiles(files, current).map((s) => [s.file.path, s.status, s.modeBefore]), [
    ['/etc/ha.d/ha.cf', 'changed', null],
    ['/etc/ha.d/haresources', 'unchanged', null],
    ['/etc/lbos/network.conf', 'changed', 0o640],
    ['/etc/ha.d/authkeys', 'added', null],
  ]);
});

test('restored modes: no set-id bits, secrets for their owner only', (t) => {
  t.is(restoredMode({ mode: 0o4755, secret: false }), 0o755);
  t.is(restoredMode({ mode: 0o644, secret: true }), 0o600);
  t.is(restoredMode({ mode: 0o600, secret: true }), 0o600);
});

test('--only selects categories; checks follow the owners', (t) => {
  const files = [file('/etc/ha.d/ha.cf'), file('/etc/lbos/network.conf'), file('/var/lib/lbos/statusd/users'), file('/etc/haproxy/haproxy.cfg', 'a', 0o644, 'haproxy')];
  t.deepEqual(selectFiles(files, new Set<Category>(['ha', 'users'])).map((f) => f.path), ['/etc/ha.d/ha.cf', '/var/lib/lbos/statusd/users']);
  t.is(selectFiles(files, null).length, 4);
  t.deepEqual(checksNeeded(files), ['nicd', 'hbd', 'statusd', 'synced']);
});

test('unit actions: one per unit, restart wins over reload, unchanged and users need none', (t) => {
  const steps = planFiles(
    [file('/etc/csyncd/services.conf'), file('/etc/csyncd/host_key', 'b', 0o600), file('/etc/lbos/network.conf'), file('/var/lib/lbos/statusd/users', 'u', 0o600), file('/var/lib/lbos/statusd/tls/cert.pem'), file('/etc/haproxy/haproxy.cfg', 'h', 0o644, 'haproxy'), file('/etc/ha.d/ha.cf', 'same')],
    new Map([['/etc/ha.d/ha.cf', { sha256: 'same', mode: 0o644 }]]),
  );
  t.deepEqual(unitActions(steps).map((a) => `${a.verb} ${a.unit} ${a.because.length}`), [
    'try-restart csyncd.service 2',
    'try-reload-or-restart nicd.service 1',
    'try-reload-or-restart statusd.service 1',
    'try-reload-or-restart haproxy.service 1',
  ]);
  t.deepEqual(staleAfter(steps), ['/var/lib/lbos/statusd/initial-password']);
  t.deepEqual(staleAfter(planFiles([file('/etc/ha.d/ha.cf')], new Map())), []);
});

test('report lines name status, path, category and mode', (t) => {
  const steps = planFiles([file('/etc/ha.d/authkeys', 'k', 0o600)], new Map([['/etc/ha.d/authkeys', { sha256: 'k', mode: 0o644 }]]));
  t.deepEqual(formatSteps(steps, false), ['  changed    /etc/ha.d/authkeys  keys, mode 0644 -> 0600']);
  t.deepEqual(formatSteps(steps, true), ['  would be changed  /etc/ha.d/authkeys  keys, mode 0644 -> 0600']);
});
