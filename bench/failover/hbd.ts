/**
 * hbd, ours: `node dist/services/hbd/main.js -c DIR --node NAME` in the
 * unit's namespace, DIR holding the very ha.cf/haresources/authkeys that
 * Heartbeat gets, with the unit's private D-Bus and its own state directory.
 * The crash kills the node process (comm "node") and anything it started.
 */
import { existsSync, mkdirSync, rmSync } from 'node:fs';
import * as path from 'node:path';
import type { SimPair, SimUnit } from '../../scripts/sim/pair';
import { repoRoot } from '../../services/runtime/cli';
import { AppError } from '../../services/runtime/errors';
import { spawnInUnit, type DaemonDriver, type DaemonProc } from './daemon';
import { writeHaFiles } from './ha-files';

const mainJs = (): string => path.join(repoRoot(), 'dist', 'services', 'hbd', 'main.js');
const unitDir = (u: SimUnit): string => path.join(u.dir, 'failover-hbd');

export const hbdDriver: DaemonDriver = {
  system: 'hbd',
  comms: ['node'],

  prepare(pair, timing) {
    if (!existsSync(mainJs())) throw new AppError('NOT_BUILT', `${path.relative(repoRoot(), mainJs())} not found (services/hbd/main.ts not written or not built)`);
    for (const u of pair.units) {
      const dir = unitDir(u);
      rmSync(dir, { recursive: true, force: true });
      mkdirSync(path.join(dir, 'state'), { recursive: true });
      writeHaFiles(path.join(dir, 'etc'), pair, timing);
    }
  },

  start(pair: SimPair, unit: SimUnit): DaemonProc {
    const dir = unitDir(unit);
    return spawnInUnit(pair, unit, process.execPath, [mainJs(), '-c', path.join(dir, 'etc'), '--node', unit.name], `failover-hbd-${unit.name}`, {
      DBUS_SYSTEM_BUS_ADDRESS: unit.busAddress,
      HBD_STATE_DIR: path.join(dir, 'state'),
    });
  },

  detectionMs: (t) => t.deadtimeMs,
};
