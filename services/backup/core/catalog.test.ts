import test from 'ava';
import { FIXED_ENTRIES, fixedEntry, parseOnly, syncedPathProblem } from './catalog';

test('every fixed entry is a normal absolute path, listed once', (t) => {
  const paths = FIXED_ENTRIES.map((e) => e.path);
  t.is(new Set(paths).size, paths.length);
  for (const p of paths) t.regex(p, /^\/(etc|var\/lib\/lbos)\/[^.]/);
});

test('secrets are in keys, except the web users file', (t) => {
  const secrets = FIXED_ENTRIES.filter((e) => e.secret).map((e) => `${e.category} ${e.path}`);
  t.deepEqual(secrets.filter((s) => !s.startsWith('keys ')), ['users /var/lib/lbos/statusd/users']);
  t.is(fixedEntry('/etc/ha.d/authkeys')?.category, 'keys');
  t.is(fixedEntry('/etc/csyncd/accounts')?.secret, true);
  t.is(fixedEntry('/etc/shadow'), undefined);
});

test('a synced file must be under /etc and outside the other categories and login/boot files', (t) => {
  t.is(syncedPathProblem('/etc/haproxy/haproxy.cfg'), null);
  t.is(syncedPathProblem('/etc/keepalived/keepalived.conf'), null);
  for (const p of ['/etc/shadow', '/etc/passwd', '/etc/sudoers.d/x', '/etc/ssh/sshd_config', '/etc/ha.d/authkeys', '/etc/csyncd/host_key', '/etc/lbos/network.conf', '/etc/systemd/system/x.service', '/etc/cron.d/x']) {
    t.regex(syncedPathProblem(p) ?? 'accepted', /may not own/, p);
  }
  t.regex(syncedPathProblem('/root/.ssh/authorized_keys') ?? 'accepted', /under \/etc\//);
  t.regex(syncedPathProblem('/var/lib/lbos/csyncd/x') ?? 'accepted', /under \/etc\//);
});

test('--only takes known categories and names the unknown ones', (t) => {
  const ok = parseOnly('network, ha');
  t.true(ok.ok && [...ok.categories].join() === 'network,ha');
  t.deepEqual(parseOnly('ha,secrets,x'), { ok: false, unknown: ['secrets', 'x'] });
  t.false(parseOnly(',').ok);
});
