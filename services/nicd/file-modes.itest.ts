/**
 * nicd refuses a network.conf that others may write: --check-config exits 78
 * with the chmod/chown to run; a boot uses the factory default instead (as
 * for an invalid file); an empty file is valid but warned about: unlike no
 * file, it brings no factory default.
 */
import test from 'ava';
import { chmodSync, chownSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { NICD_MAIN } from './testing/nicd-harness';
import { runServiceOffline } from '../../scripts/sim/exec';

const nicd = (...args: string[]) => runServiceOffline(NICD_MAIN(), args);

function conf(t: { teardown(fn: () => void): void }, text: string): string {
  const dir = mkdtempSync('/tmp/nicd-modes-');
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  const file = path.join(dir, 'network.conf');
  writeFileSync(file, text);
  chmodSync(file, 0o644);
  return file;
}

test('a group-writable network.conf and a foreign owner: --check-config exits 78 with the fix; a boot does not stop on it', (t) => {
  const file = conf(t, 'interface eth0\n    address 192.168.2.21/24\n');
  t.is(nicd('--check-config', '-c', file).status, 0);
  chmodSync(file, 0o664);
  chownSync(file, 1000, 1000);
  const r = nicd('--check-config', '-c', file);
  t.is(r.status, 78, r.stderr);
  t.true(r.stderr.includes(`nicd: ${file}: owned by uid 1000, not root; mode 0664 lets group write it; run: chown root:root ${file} && chmod 644 ${file}`), r.stderr);
  // At boot the file is not used (the factory default is, boot-config.test), but nicd goes on
  // starting: here it stops only at the bus, which this test does not give it (69, not 78).
  const boot = nicd('-c', file);
  t.is(boot.status, 69, boot.stderr);
});

test('an empty network.conf passes --check-config with a warning', (t) => {
  const r = nicd('--check-config', '-c', conf(t, ''));
  t.is(r.status, 0, r.stderr);
  t.regex(r.stdout, /warning: .*network\.conf: no interface, vlan or bond block: no address is configured on any NIC/);
});
