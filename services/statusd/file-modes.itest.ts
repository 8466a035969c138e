/**
 * statusd refuses to start (exit 78) when the files that grant access are
 * lax: the users file or the TLS key readable by others, statusd.conf or
 * the certificate writable by others, or a file owned by another user.
 * Each problem names the file and the chmod/chown that fixes it.
 */
import test from 'ava';
import { chmodSync, chownSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { repoRoot } from '../runtime/cli';
import { runServiceOffline } from '../../scripts/sim/exec';

const MAIN = path.join(repoRoot(), 'dist', 'services', 'statusd', 'main.js');
const statusd = (...args: string[]) => runServiceOffline(MAIN, args);

function stateDir(t: { teardown(fn: () => void): void }): { conf: string; state: string; file: (name: string) => string } {
  const dir = mkdtempSync('/tmp/statusd-modes-');
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  const state = path.join(dir, 'state');
  mkdirSync(path.join(state, 'tls'), { recursive: true, mode: 0o700 });
  const file = (name: string): string => path.join(state, name);
  const put = (f: string, text: string, mode: number): void => {
    writeFileSync(f, text);
    chmodSync(f, mode);
  };
  const conf = path.join(dir, 'statusd.conf');
  put(conf, 'listen 127.0.0.1\nhttps_port 19443\nhttp_port 0\n', 0o644);
  put(file('users'), 'admin:scrypt$x\n', 0o600);
  put(file('initial-password'), 'abcd-efgh-ijkm-npqr\n', 0o600);
  put(file('tls/key.pem'), '-----BEGIN PRIVATE KEY-----\n', 0o600);
  put(file('tls/cert.pem'), '-----BEGIN CERTIFICATE-----\n', 0o644);
  return { conf, state, file };
}

test('good modes pass --check-config', (t) => {
  const { conf, state } = stateDir(t);
  const r = statusd('--check-config', '-c', conf, '--state-dir', state);
  t.is(r.status, 0, r.stderr);
});

test('users at 0666 and the TLS key at 0644: exit 78 with the chmod to run, also at a real start', (t) => {
  const { conf, state, file } = stateDir(t);
  chmodSync(file('users'), 0o666);
  chmodSync(file('tls/key.pem'), 0o644);
  chmodSync(conf, 0o664);
  chownSync(file('tls/cert.pem'), 1000, 1000);
  for (const args of [['--check-config'], []]) {
    const r = statusd(...args, '-c', conf, '--state-dir', state);
    t.is(r.status, 78, r.stderr);
    for (const line of [
      `${file('users')}: mode 0666 lets group and others read and write it (a secret: only its owner may read it); run: chmod 600 ${file('users')}`,
      `${file('tls/key.pem')}: mode 0644 lets group and others read it (a secret: only its owner may read it); run: chmod 600 ${file('tls/key.pem')}`,
      `${conf}: mode 0664 lets group write it; run: chmod 644 ${conf}`,
      `${file('tls/cert.pem')}: owned by uid 1000, not root; run: chown root:root ${file('tls/cert.pem')}`,
    ]) t.true(r.stderr.includes(`statusd: ${line}`), `${line}\n---\n${r.stderr}`);
  }
});
