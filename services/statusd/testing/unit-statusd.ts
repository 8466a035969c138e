/**
 * statusd on a simulated unit (tests, demo): runs inside the unit's network
 * namespace on its LAN address with DBUS_SYSTEM_BUS_ADDRESS = the unit's
 * bus, ports 9080/9443 as on the appliance, state in DIR/<unit>/statusd.
 * Optionally a stand-in systemd on its own bus, so the Services table has
 * something to show (the kit has no systemd). The demo supervises statusd
 * itself: it writes the configuration (writeStatusdConf) and spawns with
 * spawnStatusd, naming its own systemd stand-in's bus.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createConnection } from 'node:net';
import * as path from 'node:path';
import { repoRoot } from '../../runtime/cli';
import { connectSystemBus, type MessageBus } from '../../runtime/dbus';
import { waitFor } from '../../../scripts/sim/exec';
import type { SimPair, SimProcess, SimUnit } from '../../../scripts/sim/pair';
import { DEFAULT_UNITS } from '../config/types';
import { SystemdStandIn, type UnitState } from './systemd-stand-in';
import { startOpenBus, type PrivateBus as OpenBus } from '../../../scripts/sim/bus';

export const STATUSD_MAIN = (): string => path.join(repoRoot(), 'dist', 'services', 'statusd', 'main.js');

export interface UnitStatusdOptions {
  /** Extra statusd.conf lines. */
  extra?: string[];
  /** Run a stand-in systemd with these units (default: none, Services shows "systemd not reachable"). */
  systemd?: Record<string, Partial<UnitState>>;
  logLevel?: string;
}

export interface UnitStatusd {
  unit: SimUnit;
  proc: SimProcess;
  /** https://<lanIp>:9443 (reachable from the kit's lan namespace). */
  url: string;
  stateDir: string;
  /** The unit's generated password (STATE/initial-password). */
  password(): string;
  systemd: SystemdStandIn | null;
  stop(): Promise<void>;
}

/** Where a unit's statusd keeps its configuration and state. */
export interface StatusdFiles {
  conf: string;
  /** --state-dir: initial-password, tls/cert.pem, users. */
  stateDir: string;
}

/** DIR/<unit>/statusd/statusd.conf (listening on the unit's LAN address) and the state directory. */
export function writeStatusdConf(unit: SimUnit, o: { systemdBus?: string | null; extra?: string[] } = {}): StatusdFiles {
  const dir = path.join(unit.dir, 'statusd');
  const stateDir = path.join(dir, 'state');
  mkdirSync(stateDir, { recursive: true });
  const conf = path.join(dir, 'statusd.conf');
  writeFileSync(conf, [
    `# statusd of simulated unit ${unit.name}`,
    `listen ${unit.lanIp}`,
    `units ${DEFAULT_UNITS.join(' ')}`,
    ...(o.systemdBus === undefined || o.systemdBus === null ? [] : [`systemd_bus ${o.systemdBus}`]),
    ...(o.extra ?? []),
    '',
  ].join('\n'));
  return { conf, stateDir };
}

/** statusd in the unit's namespace, log in DIR/<unit>-statusd.log; `env` adds to its environment. */
export function spawnStatusd(pair: SimPair, unit: SimUnit, files: StatusdFiles, env: NodeJS.ProcessEnv = {}, logLevel = 'info'): SimProcess {
  return pair.spawnIn(unit.ns, process.execPath, [STATUSD_MAIN(), '-c', files.conf, '--state-dir', files.stateDir], {
    env: { ...env, DBUS_SYSTEM_BUS_ADDRESS: unit.busAddress, LOG_LEVEL: logLevel },
    logName: `${unit.name}-statusd`,
  });
}

/** The unit's generated password (STATE/initial-password, until `statusctl passwd` replaces it). */
export function statusdPassword(stateDir: string): string {
  return readFileSync(path.join(stateDir, 'initial-password'), 'utf8').trim();
}

export async function startUnitStatusd(pair: SimPair, unit: SimUnit, o: UnitStatusdOptions = {}): Promise<UnitStatusd> {
  const dir = path.join(unit.dir, 'statusd');
  mkdirSync(dir, { recursive: true });
  let bus: OpenBus | null = null;
  let sdConn: MessageBus | null = null;
  let systemd: SystemdStandIn | null = null;
  const stopSystemd = async (): Promise<void> => {
    systemd?.stop();
    sdConn?.disconnect();
    await bus?.stop();
  };
  if (o.systemd !== undefined) {
    try {
      bus = await startOpenBus(dir);
      sdConn = await connectSystemBus(bus.address);
      systemd = await SystemdStandIn.start(sdConn, o.systemd);
    } catch (err) {
      await stopSystemd();
      throw err;
    }
  }
  const files = writeStatusdConf(unit, { systemdBus: bus?.address ?? null, extra: o.extra });
  const { stateDir } = files;
  const proc = spawnStatusd(pair, unit, files, {}, o.logLevel);
  const stopAll = async (): Promise<void> => {
    await proc.stop();
    await stopSystemd();
  };
  try {
    await waitFor(`${unit.name} statusd ready`, () => {
      if (proc.child.exitCode !== null) throw new Error(`statusd of ${unit.name} exited ${proc.child.exitCode}: ${readFileSync(proc.logFile, 'utf8').slice(-2000)}`);
      return existsSync(proc.logFile) && readFileSync(proc.logFile, 'utf8').includes('"msg":"ready"');
    }, 20_000, 50);
  } catch (err) {
    await stopAll();
    throw err;
  }
  return {
    unit, proc, stateDir, systemd,
    url: `https://${unit.lanIp}:9443`,
    password: () => statusdPassword(stateDir),
    stop: stopAll,
  };
}

/**
 * For a browser in the root namespace (the demo): forward BIND_IP:9443 and
 * BIND_IP:9080 (a loopback address, e.g. 127.0.0.1 for u1 and 127.0.0.2 for
 * u2, so the HTTP -> HTTPS redirect keeps its port) into the unit's
 * namespace with socat. Returns the stop function.
 */
export async function forwardFromLoopback(pair: SimPair, unit: SimUnit, bindIp: string, ports: readonly number[] = [9443, 9080]): Promise<() => void> {
  if (!/^127\.\d+\.\d+\.\d+$/.test(bindIp)) throw new Error(`${bindIp} is not a loopback address`);
  const children = ports.map((port) => spawn('socat', [`TCP-LISTEN:${port},bind=${bindIp},reuseaddr,fork`, `EXEC:ip netns exec ${unit.ns} socat STDIO TCP\\:${unit.lanIp}\\:${port}`], { stdio: 'ignore' }));
  children.forEach((c) => pair.track(c)); // a SIGKILLed demo leaves no listener behind to answer for the next one
  const stop = (): void => children.forEach((c) => c.kill('SIGTERM'));
  try {
    for (const [k, port] of ports.entries()) {
      await waitFor(`forward ${bindIp}:${port}`, () => new Promise<boolean>((resolve, reject) => {
        // A listener left by someone else would answer too: ours must still be running.
        if (children[k]?.exitCode !== null) reject(new Error(`socat could not listen on ${bindIp}:${port} (in use?)`));
        const s = createConnection({ host: bindIp, port }, () => {
          s.destroy();
          resolve(true);
        });
        s.on('error', () => resolve(false));
      }), 5000, 50);
    }
  } catch (err) {
    stop();
    throw err;
  }
  return stop;
}
