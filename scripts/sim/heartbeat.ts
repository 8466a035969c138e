/**
 * Debian's Heartbeat 3 (v1 haresources mode) on a simulated unit: the
 * reference system hbd is compared with, in tests and benchmarks.
 *
 * Heartbeat reads /etc/ha.d, keeps its uuid in /var/lib/heartbeat and its
 * sockets under /run, and knows itself by `uname -n`. So each unit's
 * instance runs in its own mount + UTS namespace inside the unit's network
 * namespace: per-unit copies of /etc/ha.d (stock harc, rc.d, resource.d)
 * and /var/lib/heartbeat bind-mounted over the real ones, a private /run,
 * hostname = node name. `-f` keeps the master control process in the
 * foreground, so the pid spawned is the master.
 */
import { copyFileSync, existsSync, mkdirSync, rmSync, chmodSync } from 'node:fs';
import * as path from 'node:path';
import { runSync } from './exec';
import type { SimPair, SimProcess, SimUnit } from './pair';
import { AppError } from '../../services/runtime/errors';

export const HEARTBEAT_BIN = '/usr/libexec/heartbeat/heartbeat';
const STOCK_ETC = '/etc/ha.d';
const STOCK_LIB = '/var/lib/heartbeat';

/** Logged by each node once it has joined and settled who holds what. */
export const HEARTBEAT_JOINED = 'Initial resource acquisition complete';

/** Runs as `sh -c SCRIPT heartbeat NODE DIR` right after `unshare --mount --uts` (benches use it too). */
export const START_SCRIPT = [
  'set -e',
  'mount --make-rprivate /',
  'mount --bind "$2/etc" /etc/ha.d',
  'mount --bind "$2/lib" /var/lib/heartbeat',
  'mount -t tmpfs -o mode=755 tmpfs /run',
  'mkdir -p /run/heartbeat/ccm /run/heartbeat/crm /run/heartbeat/dopd /run/crm /run/resource-agents /run/lock',
  'chown -R hacluster:haclient /run/heartbeat /run/crm',
  'hostname "$1"',
  `exec ${HEARTBEAT_BIN} -f`,
].join('\n');

export const heartbeatDir = (u: SimUnit): string => path.join(u.dir, 'heartbeat');

/**
 * Give a unit a Heartbeat tree: the stock scripts plus ha.cf, haresources
 * and authkeys copied from `haDir` (the very files hbd reads).
 */
export function prepareHeartbeat(u: SimUnit, haDir: string): void {
  if (!existsSync(HEARTBEAT_BIN)) throw new AppError('NOT_INSTALLED', `${HEARTBEAT_BIN} missing (apt-get install heartbeat)`);
  const dir = heartbeatDir(u);
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  runSync('cp', ['-a', STOCK_ETC, path.join(dir, 'etc')]);
  runSync('cp', ['-a', STOCK_LIB, path.join(dir, 'lib')]);
  for (const f of ['hb_uuid', 'hostcache', 'delhostcache']) rmSync(path.join(dir, 'lib', f), { force: true });
  for (const f of ['ha.cf', 'haresources', 'authkeys']) copyFileSync(path.join(haDir, f), path.join(dir, 'etc', f));
  chmodSync(path.join(dir, 'etc', 'authkeys'), 0o600);
}

export function startHeartbeat(pair: SimPair, u: SimUnit): SimProcess {
  return pair.spawnIn(u.ns, 'unshare', ['--mount', '--uts', 'sh', '-c', START_SCRIPT, 'heartbeat', u.name, heartbeatDir(u)], { logName: `${u.name}-heartbeat` });
}
