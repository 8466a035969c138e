/**
 * keepalived (Debian package), VRRPv3 unicast over the heartbeat link eth1,
 * the VIP on eth0. u1 is the preferred unit (MASTER, priority 150, preempt),
 * u2 BACKUP at 100, so a crash of u1 is a failover and u1's restart a
 * failback, as for Heartbeat and hbd with auto_failback on.
 *
 * `-n -l -D`: no fork, log to stderr; per-unit pid files. keepalived runs a
 * parent and a VRRP child (comm "keepalived" both); we crash both.
 * vrrp_garp_master_delay 0: only the GARP burst at takeover, none 5 s later.
 */
import { existsSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { LAN_PREFIX, VIP, type SimPair, type SimUnit } from '../../scripts/sim/pair';
import { AppError } from '../../services/runtime/errors';
import { spawnInUnit, type DaemonDriver, type DaemonProc } from './daemon';

const KEEPALIVED_BIN = '/usr/sbin/keepalived';
const VRID = 51;
const PRIORITY = { u1: 150, u2: 100 } as const;

const unitDir = (u: SimUnit): string => path.join(u.dir, 'failover-keepalived');

/** advert_int in seconds; VRRPv3 carries centiseconds, so 0.01 is the floor. */
const advertSeconds = (ms: number): string => String(Math.max(ms, 10) / 1000);

function conf(pair: SimPair, u: SimUnit, advertMs: number): string {
  const peer = pair.units.find((x) => x.name !== u.name);
  return `# bench/failover, unit ${u.name}
global_defs {
  router_id ${u.name}
  vrrp_version 3
  vrrp_garp_master_delay 0
  script_user root
  enable_script_security
}
vrrp_instance VI_BENCH {
  state ${u.name === 'u1' ? 'MASTER' : 'BACKUP'}
  interface eth1
  virtual_router_id ${VRID}
  priority ${PRIORITY[u.name]}
  advert_int ${advertSeconds(advertMs)}
  unicast_src_ip ${u.hbIp}
  unicast_peer {
    ${peer?.hbIp ?? ''}
  }
  virtual_ipaddress {
    ${VIP}/${LAN_PREFIX} dev eth0
  }
}
`;
}

export const keepalivedDriver: DaemonDriver = {
  system: 'keepalived',
  comms: ['keepalived'],

  prepare(pair, timing) {
    if (!existsSync(KEEPALIVED_BIN)) throw new AppError('NOT_INSTALLED', `${KEEPALIVED_BIN} missing (apt-get install keepalived)`);
    for (const u of pair.units) {
      const dir = unitDir(u);
      rmSync(dir, { recursive: true, force: true });
      mkdirSync(dir, { recursive: true });
      writeFileSync(path.join(dir, 'keepalived.conf'), conf(pair, u, timing.keepaliveMs));
    }
  },

  start(pair: SimPair, unit: SimUnit): DaemonProc {
    const dir = unitDir(unit);
    const pidFiles = [path.join(dir, 'keepalived.pid'), path.join(dir, 'vrrp.pid')];
    // The crashed instance's pid files are stale; keepalived refuses to start ("daemon is already
    // running") while a pid in them still exists, which a not yet reaped zombie does.
    for (const f of pidFiles) rmSync(f, { force: true });
    const args = ['-n', '-l', '-D', '-G', '-f', path.join(dir, 'keepalived.conf'), '-p', pidFiles[0]!, '-r', pidFiles[1]!];
    return spawnInUnit(pair, unit, KEEPALIVED_BIN, args, `failover-keepalived-${unit.name}`);
  },

  /** RFC 5798 §6.1: Master_Down_Interval = 3 x advert + skew, skew = (256 - priority) x advert / 256 (backup at 100). */
  detectionMs: (t) => 3 * t.keepaliveMs + ((256 - PRIORITY.u2) * t.keepaliveMs) / 256,
};
