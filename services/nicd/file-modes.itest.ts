/**
 * nicd refuses a network.conf that others may write, also at boot (exit 78,
 * the chmod/chown to run on stderr); an empty file is valid but warned
 * about: unlike no file, it brings no factory default.
 */
import test from 'ava';
import { spawnSync } from 'node:child_process';
import { chmodSync, chownSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { NICD_MAIN } from './testing/nicd-harness';

const nicd = (...args: string[]) =>
  spawnSync(process.execPath, [NICD_MAIN(), ...args], { encoding: 'utf8', env: { ...process.env, DBUS_SYSTEM_BUS_ADDRESS: 'unix:path=/nonexistent' }, timeout: 20_000 });

function conf(t: { teardown(fn: () => void): void }, text: string): string {
  const dir = mkdtempSync('/tmp/nicd-modes-');
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  const file = path.join(dir, 'network.conf');
  writeFileSync(file, text);
  chmodSync(file, 0o644);
  return file;
}

test('a group-writable network.conf and a foreign owner: exit 78 with the fix, at --check-config and at boot', (t) => {
  const file = conf(t, 'interface eth0\n    address 192.168.2.21/24\n');
  t.is(nicd('--check-config', '-c', file).status, 0);
  chmodSync(file, 0o664);
  chownSync(file, 1000, 1000);
  for (const args of [['--check-config'], []]) {
    const r = nicd(...args, '-c', file);
    t.is(r.status, 78, r.stderr);
    t.true(r.stderr.includes(`nicd: ${file}: owned by uid 1000, not root; mode 0664 lets group write it; run: chown root:root ${file} && chmod 644 ${file}`), r.stderr);
  }
});

test('an empty network.conf passes --check-config with a warning', (t) => {
  const r = nicd('--check-config', '-c', conf(t, ''));
  t.is(r.status, 0, r.stderr);
  t.regex(r.stdout, /warning: .*network\.conf: no interface, vlan or bond block: no address is configured on any NIC/);
});
