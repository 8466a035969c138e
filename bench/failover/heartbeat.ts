/**
 * Heartbeat 3 (Debian `heartbeat`, v1 haresources mode, `crm off`).
 *
 * Heartbeat reads /etc/ha.d, keeps its node UUID in /var/lib/heartbeat and
 * its sockets and pid file under /run, and knows itself by `uname -n`. So each
 * unit's instance runs in its own mount + UTS namespace inside the unit's
 * network namespace: a per-unit copy of /etc/ha.d (with the stock harc,
 * rc.d and resource.d scripts) and of /var/lib/heartbeat bind-mounted over
 * the real ones, a private tmpfs on /run, hostname = node name. `-f` keeps the
 * master control process in the foreground: the pid we spawn is the master,
 * and its children (FIFO reader, one read and one write process per ucast
 * line) share its comm "heartbeat".
 *
 * The VIP comes from IPaddr of resource-agents (ifconfig alias eth0:0) and
 * is announced by its send_arp: 10 GARPs, alternating request and reply.
 */
import { existsSync, mkdirSync, rmSync } from 'node:fs';
import * as path from 'node:path';
import { runSync } from '../../scripts/sim/exec';
import { HEARTBEAT_BIN, START_SCRIPT } from '../../scripts/sim/heartbeat';
import type { SimPair, SimUnit } from '../../scripts/sim/pair';
import { AppError } from '../../services/runtime/errors';
import { spawnInUnit, type DaemonDriver, type DaemonProc } from './daemon';
import { writeHaFiles } from './ha-files';

const STOCK_ETC = '/etc/ha.d';
const STOCK_LIB = '/var/lib/heartbeat';
const IFCONFIG = ['/sbin/ifconfig', '/usr/sbin/ifconfig'];


const unitDir = (u: SimUnit): string => path.join(u.dir, 'failover-heartbeat');

export const heartbeatDriver: DaemonDriver = {
  system: 'heartbeat',
  comms: ['heartbeat'],

  prepare(pair, timing) {
    if (!existsSync(HEARTBEAT_BIN)) throw new AppError('NOT_INSTALLED', `${HEARTBEAT_BIN} missing (apt-get install heartbeat)`);
    // resource-agents only recommends net-tools, but its IPaddr runs ifconfig.
    if (!IFCONFIG.some((p) => existsSync(p))) throw new AppError('NOT_INSTALLED', 'ifconfig missing: IPaddr needs it (apt-get install net-tools)');
    for (const u of pair.units) {
      const dir = unitDir(u);
      rmSync(dir, { recursive: true, force: true });
      mkdirSync(dir, { recursive: true });
      // The stock scripts (harc, rc.d, resource.d/IPaddr) are part of Heartbeat's v1 mode.
      runSync('cp', ['-a', STOCK_ETC, path.join(dir, 'etc')]);
      // The directory skeleton with its hacluster ownership (cp -a keeps it); a fresh hb_uuid per unit.
      runSync('cp', ['-a', STOCK_LIB, path.join(dir, 'lib')]);
      for (const f of ['hb_uuid', 'hostcache', 'delhostcache']) rmSync(path.join(dir, 'lib', f), { force: true });
      writeHaFiles(path.join(dir, 'etc'), pair, timing);
    }
  },

  start(pair: SimPair, unit: SimUnit): DaemonProc {
    return spawnInUnit(pair, unit, 'unshare', ['--mount', '--uts', 'sh', '-c', START_SCRIPT, 'heartbeat', unit.name, unitDir(unit)], `failover-heartbeat-${unit.name}`);
  },

  detectionMs: (t) => t.deadtimeMs,
};
