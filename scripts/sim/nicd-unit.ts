/**
 * Runs nicd on a simulated unit as the appliance does at boot: it gives the
 * unit its addresses from network.conf. Its own UTS namespace keeps the
 * `hostname` directive from renaming the machine the simulation runs on;
 * resolv.conf, hostname and state live in the unit's directory.
 */
import { writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { LAN_PREFIX, PING_NODE, type SimPair, type SimProcess, type SimUnit } from './pair';
import { repoRoot } from '../../services/runtime/cli';

export const NICD_MAIN = (): string => path.join(repoRoot(), 'dist', 'services', 'nicd', 'main.js');
export const NICCTL_MAIN = (): string => path.join(repoRoot(), 'dist', 'services', 'nicd', 'nicctl.js');

/** The network.conf a simulated unit boots with. */
export function networkConfFor(u: SimUnit): string {
  return [
    `hostname lb-${u.name}`,
    `dns ${PING_NODE}`,
    'interface eth0',
    `    address ${u.lanIp}/${LAN_PREFIX}`,
    `    address ${u.lanIp6}/64`,
    'interface eth1',
    `    address ${u.hbIp}/30`,
    '',
  ].join('\n');
}

/** nicd on `u`; `env` adds to its environment (a supervisor's NOTIFY_SOCKET). */
export function startNicd(pair: SimPair, u: SimUnit, env: NodeJS.ProcessEnv = {}): SimProcess {
  const conf = path.join(u.dir, 'network.conf');
  writeFileSync(conf, networkConfFor(u));
  const args = ['--uts', process.execPath, NICD_MAIN(), '-c', conf, '--state-dir', path.join(u.dir, 'nicd-state'),
    '--resolv-conf', path.join(u.dir, 'resolv.conf'), '--hostname-file', path.join(u.dir, 'hostname')];
  return pair.spawnIn(u.ns, 'unshare', args, { env: { ...env, DBUS_SYSTEM_BUS_ADDRESS: u.busAddress }, logName: `${u.name}-nicd` });
}
