/**
 * Debian's Heartbeat 3 (v1 haresources mode, `crm off`) in a kill series,
 * over the serial cable only: the reference for hbd's serial-only failover.
 *
 * Heartbeat reads /etc/ha.d, keeps its uuid in /var/lib/heartbeat, its
 * sockets under /run, and knows itself by `uname -n`; so each unit's
 * instance runs in its own mount + UTS namespace inside the unit's network
 * namespace, with per-unit copies of /etc/ha.d (stock harc, rc.d,
 * resource.d) and /var/lib/heartbeat bind-mounted over the real ones, a
 * private /run, hostname = node name (the approach of
 * bench/failover/heartbeat.ts, kept separate so the two benches can change
 * independently). `-f` keeps the master in the foreground; its children
 * (FIFO reader, serial read and write processes) share the comm "heartbeat".
 */
import { existsSync, mkdirSync, readFileSync, rmSync, statSync, writeFileSync, chmodSync, closeSync, openSync } from 'node:fs';
import { spawn } from 'node:child_process';
import * as path from 'node:path';
import { runSync } from '../../scripts/sim/exec';
import { HEARTBEAT_BIN, START_SCRIPT } from '../../scripts/sim/heartbeat';
import { LAN_PREFIX, VIP, type SimPair, type SimUnit } from '../../scripts/sim/pair';
import { AppError } from '../../services/runtime/errors';
import type { DaemonRun, FailoverDriver } from './kill-series';
import { killLeftovers, procsInNetns } from '../../scripts/sim/netns-procs';
import { dropVip, vipHolders } from '../lib/unit-net';

const SERIAL_PLUGIN = '/usr/lib/heartbeat/plugins/HBcomm/serial.so';
const STOCK_ETC = '/etc/ha.d';
const STOCK_LIB = '/var/lib/heartbeat';
/** Logged by every Heartbeat node once it has joined and settled who holds what. */
const JOINED = 'Initial resource acquisition complete';


/** Heartbeat's timers, whole seconds as its v1 configs write them. */
export interface HeartbeatSerialTiming {
  keepaliveS: number;
  warntimeS: number;
  deadtimeS: number;
  initdeadS: number;
  baud: number;
}

/** ha.cf for one unit: serial only (baud must come before the media line, Heartbeat insists). */
export function heartbeatSerialHaCf(pair: SimPair, unit: SimUnit, t: HeartbeatSerialTiming): string {
  const [u1, u2] = pair.units;
  return [
    '# bench/soak: Heartbeat over the serial cable only',
    'logfacility none',
    'logfile /dev/stderr',
    `baud ${t.baud}`,
    `serial ${unit.tty}`,
    `keepalive ${t.keepaliveS}`,
    `warntime ${t.warntimeS}`,
    `deadtime ${t.deadtimeS}`,
    `initdead ${t.initdeadS}`,
    'auto_failback off',
    `node ${u1.name}`,
    `node ${u2.name}`,
    'crm off',
    '',
  ].join('\n');
}

const unitDir = (u: SimUnit): string => path.join(u.dir, 'soak-heartbeat');

function prepare(pair: SimPair, t: HeartbeatSerialTiming): void {
  for (const f of [HEARTBEAT_BIN, SERIAL_PLUGIN]) if (!existsSync(f)) throw new AppError('NOT_INSTALLED', `${f} missing (apt-get install heartbeat)`);
  for (const u of pair.units) {
    const dir = unitDir(u);
    rmSync(dir, { recursive: true, force: true });
    mkdirSync(dir, { recursive: true });
    runSync('cp', ['-a', STOCK_ETC, path.join(dir, 'etc')]);
    runSync('cp', ['-a', STOCK_LIB, path.join(dir, 'lib')]);
    for (const f of ['hb_uuid', 'hostcache', 'delhostcache']) rmSync(path.join(dir, 'lib', f), { force: true });
    const etc = path.join(dir, 'etc');
    writeFileSync(path.join(etc, 'ha.cf'), heartbeatSerialHaCf(pair, u, t));
    writeFileSync(path.join(etc, 'haresources'), `${pair.units[0].name} IPaddr::${VIP}/${LAN_PREFIX}/eth0\n`);
    writeFileSync(path.join(etc, 'authkeys'), 'auth 1\n1 sha1 lbos-bench-soak\n', { mode: 0o600 });
    chmodSync(path.join(etc, 'authkeys'), 0o600);
  }
}

const size = (f: string): number => {
  try {
    return statSync(f).size;
  } catch {
    return 0;
  }
};

/** This run's part of the log. */
function runLog(run: DaemonRun): string {
  try {
    return readFileSync(run.logFile).subarray(run.logOffset).toString();
  } catch {
    return '';
  }
}

export function heartbeatSerialDriver(pair: SimPair, t: HeartbeatSerialTiming, setting: string, keepPids: ReadonlySet<number>): FailoverDriver {
  prepare(pair, t);
  return {
    system: 'heartbeat',
    setting,
    keepaliveMs: t.keepaliveS * 1000,
    failoverTimeoutMs: 4 * t.deadtimeS * 1000 + 10_000,
    // Heartbeat's resource scripts and its initdead come on top of the timers.
    settleTimeoutMs: 3 * t.initdeadS * 1000 + 40_000,

    start(unit): DaemonRun {
      const logFile = path.join(pair.dir, `soak-heartbeat-${unit.name}.log`);
      const logOffset = size(logFile);
      const fd = openSync(logFile, 'a');
      try {
        const child = spawn('ip', ['netns', 'exec', unit.ns, 'unshare', '--mount', '--uts', 'sh', '-c', START_SCRIPT, 'heartbeat', unit.name, unitDir(unit)], {
          stdio: ['ignore', fd, fd],
        });
        child.on('error', () => undefined);
        return { pid: child.pid ?? -1, logFile, logOffset, running: () => child.exitCode === null && child.signalCode === null };
      } finally {
        closeSync(fd);
      }
    },

    victims: (unit) => procsInNetns(unit.ns).filter((p) => p.comm === 'heartbeat'),

    async cleanup(unit) {
      await killLeftovers(unit.ns, keepPids);
      await dropVip(unit);
    },

    async ready(active, runs) {
      const holders = await vipHolders(pair);
      if (holders.length !== 1 || holders[0] !== active) return `VIP on [${holders.map((i) => `u${i + 1}`).join(',')}]`;
      for (const i of [0, 1] as const) {
        if (!runLog(runs[i]).includes(JOINED)) return `u${i + 1}: no "${JOINED}" in its log yet`;
      }
      return true;
    },
  };
}
