/**
 * lbos-factory-reset.service's script (rootfs/overlay/usr/lib/lbos/factory-reset)
 * over a directory standing in for / (LBOS_RESET_ROOT) with --no-reboot:
 * exactly this unit's configuration goes (network.conf, ha.d's three files,
 * csyncd.cfg with its keys, pinned keys and accounts, statusd's state,
 * seed.applied, root's authorized_keys) and nothing else: the image's
 * defaults beside them, other state, logs, host keys stay. The log names
 * the paths, never what they held. Run twice: nothing left to remove.
 */
import test from 'ava';
import { mkdirSync, mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { repoRoot } from '../runtime/cli';
import { run } from '../../scripts/sim/exec';

const SCRIPT = (): string => path.join(repoRoot(), 'rootfs', 'overlay', 'usr', 'lib', 'lbos', 'factory-reset');
const SECRET = 'secret-content-never-logged';

const GOES = [
  'etc/lbos/network.conf',
  'etc/ha.d/ha.cf', 'etc/ha.d/haresources', 'etc/ha.d/authkeys',
  'etc/csyncd/csyncd.cfg', 'etc/csyncd/host_key', 'etc/csyncd/host_key.pub', 'etc/csyncd/user_key', 'etc/csyncd/user_key.pub',
  'etc/csyncd/ssh_known_hosts', 'etc/csyncd/csyncd_authorized', 'etc/csyncd/accounts',
  'var/lib/lbos/statusd/users', 'var/lib/lbos/statusd/initial-password', 'var/lib/lbos/statusd/tls/key.pem', 'var/lib/lbos/statusd/tls/cert.pem',
  'var/lib/lbos/seed.applied',
  'var/lib/lbos/paird/unpaired-2026-12-08/_etc_ha.d_authkeys', 'var/lib/lbos/csyncd/state',
  'root/.ssh/authorized_keys',
];
const STAYS = [
  'etc/lbos/paneld.conf', 'etc/lbos/statusd.conf', 'etc/lbos/hostname', 'etc/lbos/network.conf.bak',
  'etc/csyncd/services.conf', 'etc/ha.d/README',
  'etc/haproxy/haproxy.cfg', 'etc/ssh/ssh_host_ed25519_key', 'etc/machine-id',
  'var/lib/lbos/hbd/x', 'var/log/journal/x',
  'root/.ssh/known_hosts', 'root/.bash_history', 'home/setup/.profile',
  'usr/lib/lbos/seed',
];

/** Every file under `dir`, relative, sorted. */
function files(dir: string, rel = ''): string[] {
  return readdirSync(path.join(dir, rel), { withFileTypes: true }).flatMap((e) => {
    const p = rel === '' ? e.name : `${rel}/${e.name}`;
    return e.isDirectory() ? files(dir, p) : [p];
  }).sort();
}

test('factory reset removes exactly the unit\'s configuration, logs the paths only, and does it again harmlessly', async (t) => {
  const root = mkdtempSync(path.join(os.tmpdir(), 'lbos-reset-'));
  t.teardown(() => rmSync(root, { recursive: true, force: true }));
  for (const rel of [...GOES, ...STAYS]) {
    mkdirSync(path.dirname(path.join(root, rel)), { recursive: true });
    writeFileSync(path.join(root, rel), `${SECRET} ${rel}\n`, { mode: 0o600 });
  }
  const env = { ...process.env, LBOS_RESET_ROOT: `${root}/` };
  const first = await run('bash', [SCRIPT(), '--no-reboot'], { env });
  t.deepEqual(files(root), [...STAYS].sort(), 'exactly those went');
  t.false(statSync(path.join(root, 'var', 'lib', 'lbos')).isFile());
  t.deepEqual(readdirSync(path.join(root, 'var', 'lib', 'lbos')).sort(), ['hbd'], 'the state directories of statusd, paird and csyncd went whole');
  t.false(first.stdout.includes(SECRET), 'no content in the log');
  t.regex(first.stdout, /lbos-factory-reset: removed \/etc\/ha\.d\/authkeys \(HA heartbeat key \(hbd\)\)\n/);
  t.regex(first.stdout, /lbos-factory-reset: removed \/var\/lib\/lbos\/statusd \(web UI users, initial password, TLS key and certificate \(statusd\)\)\n/);
  t.regex(first.stdout, /lbos-factory-reset: done: 17 removed, 0 were not there\n$/);
  t.false(first.stdout.includes('rebooting'));

  const again = await run('bash', [SCRIPT(), '--no-reboot'], { env });
  t.regex(again.stdout, /done: 0 removed, 17 were not there\n$/);
  t.deepEqual(files(root), [...STAYS].sort());

  const usage = await run('bash', [SCRIPT(), '--reboot-later'], { env }).then(() => null, (err: unknown) => String(err));
  t.regex(usage ?? '', /usage: factory-reset \[--no-reboot\]/);
});
