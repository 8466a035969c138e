/**
 * csyncd refuses to start (exit 78) when a file it trusts is lax: keys and
 * password hashes readable by others, services.conf (its commands run as
 * root), the authorized and known host keys or csyncd.cfg writable by
 * others, or any of them owned by another user. Each problem names the file
 * and the chmod/chown that fixes it.
 */
import test from 'ava';
import { chmodSync, chownSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { repoRoot } from '../runtime/cli';
import { runServiceOffline } from '../../scripts/sim/exec';

const MAIN = path.join(repoRoot(), 'dist', 'services', 'csyncd', 'main.js');
const csyncd = (...args: string[]) => runServiceOffline(MAIN, args);

/** A config_dir with every file csyncd reads, all with good modes. */
function configDir(t: { teardown(fn: () => void): void }): { dir: string; cfg: string; file: (name: string) => string } {
  const dir = mkdtempSync('/tmp/csyncd-modes-');
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  const file = (name: string): string => path.join(dir, name);
  const put = (name: string, text: string, mode: number): void => {
    writeFileSync(file(name), text);
    chmodSync(file(name), mode);
  };
  put('csyncd.cfg', `LOCAL_IP=198.18.0.1\nREMOTE_IP=198.18.0.2\nLOCAL_NODE=1\nREMOTE_NODE=2\nstate_dir ${file('state')}\n`, 0o644);
  put('services.conf', 'service haproxy\n    file /etc/haproxy/haproxy.cfg\n    validate haproxy -c -f {file}\n', 0o644);
  for (const k of ['host_key', 'user_key']) {
    put(k, '-----BEGIN OPENSSH PRIVATE KEY-----\n', 0o600);
    put(`${k}.pub`, 'ssh-ed25519 AAAA csyncd@node1\n', 0o644);
  }
  put('ssh_known_hosts', '[198.18.0.2]:24 ssh-ed25519 AAAA csyncd@node2\n', 0o644);
  put('csyncd_authorized', 'ssh-ed25519 AAAA csyncd@node2\n', 0o600);
  put('accounts', 'admin:scrypt:32768:8:1:c2FsdA:a2V5\n', 0o600);
  return { dir, cfg: file('csyncd.cfg'), file };
}

test('good modes pass --check-config', (t) => {
  const { cfg } = configDir(t);
  const r = csyncd('--check-config', '-c', cfg);
  t.is(r.status, 0, r.stderr);
});

test('lax modes and a foreign owner: exit 78, each file with the chmod/chown to run, also at a real start', (t) => {
  const { cfg, file } = configDir(t);
  chmodSync(file('services.conf'), 0o666);
  chmodSync(file('csyncd_authorized'), 0o622);
  chmodSync(file('ssh_known_hosts'), 0o646);
  chmodSync(file('accounts'), 0o644);
  chmodSync(file('host_key'), 0o640);
  chownSync(file('user_key.pub'), 1000, 1000);
  for (const args of [['--check-config'], []]) {
    const r = csyncd(...args, '-c', cfg);
    t.is(r.status, 78, r.stderr);
    const expect = [
      `${file('services.conf')}: mode 0666 lets group and others write it; run: chmod 644 ${file('services.conf')}`,
      `${file('csyncd_authorized')}: mode 0622 lets group and others write it; run: chmod 600 ${file('csyncd_authorized')}`,
      `${file('ssh_known_hosts')}: mode 0646 lets others write it; run: chmod 644 ${file('ssh_known_hosts')}`,
      `${file('accounts')}: mode 0644 lets group and others read it (a secret: only its owner may read it); run: chmod 600 ${file('accounts')}`,
      `${file('host_key')}: mode 0640 lets group read it (a secret: only its owner may read it); run: chmod 600 ${file('host_key')}`,
      `${file('user_key.pub')}: owned by uid 1000, not root; run: chown root:root ${file('user_key.pub')}`,
    ];
    for (const line of expect) t.true(r.stderr.includes(`csyncd: ${line}`), `${line}\n---\n${r.stderr}`);
  }
});

test('a world-writable csyncd.cfg is refused too', (t) => {
  const { cfg } = configDir(t);
  chmodSync(cfg, 0o777);
  const r = csyncd('--check-config', '-c', cfg);
  t.is(r.status, 78);
  t.regex(r.stderr, new RegExp(`csyncd\\.cfg: mode 0777 lets group and others write it; run: chmod 755 ${cfg}`));
});
