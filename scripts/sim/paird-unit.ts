/**
 * paird of a simulated unit: in the unit's namespace, on its bus, with the
 * unit's own paths for hbd's and csyncd's files, its end of the serial cable
 * as the heartbeat port, the repository's bin/ for the programs it runs,
 * and the unit's systemd (stand-in) bus for StartUnit/StopUnit.
 */
import * as path from 'node:path';
import { repoRoot } from '../../services/runtime/cli';
import type { SimPair, SimProcess, SimUnit } from './pair';

export const PAIRD_MAIN = (): string => path.join(repoRoot(), 'dist', 'services', 'paird', 'main.js');

export interface PairdPaths {
  haDir: string;
  csyncdCfg: string;
  csyncdDir: string;
  csyncdStateDir: string;
  systemdBus: string;
}

export function spawnPaird(pair: SimPair, u: SimUnit, p: PairdPaths, env: NodeJS.ProcessEnv = {}): SimProcess {
  return pair.spawnIn(u.ns, process.execPath, [
    PAIRD_MAIN(), '--node', u.name, '--ha-dir', p.haDir, '--csyncd-cfg', p.csyncdCfg, '--csyncd-dir', p.csyncdDir,
    '--csyncd-state-dir', p.csyncdStateDir, '--serial', u.tty, '--bin-dir', path.join(repoRoot(), 'bin'),
    '--systemd-bus', p.systemdBus, '--state-dir', path.join(u.dir, 'paird'),
  ], { env: { ...env, DBUS_SYSTEM_BUS_ADDRESS: u.busAddress, LOG_LEVEL: process.env.PAIRD_LOG_LEVEL ?? 'debug' }, logName: `${u.name}-paird` });
}
