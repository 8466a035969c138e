/**
 * hbd in a kill series: started under a scheduling variant, killed as its
 * node process, cleaned up by `hbd --release-vips` as the unit's
 * ExecStopPost would, judged ready from its D-Bus properties (the active
 * says active with its peer up, the standby says passive with its peer up)
 * and the VIP on the active only.
 */
import { statSync } from 'node:fs';
import type { SimPair, SimUnit } from '../../scripts/sim/pair';
import { writeHbdConfigs, type HbdPairSettings } from '../../scripts/sim/hbd-config';
import { isRunning, releaseVips, startHbd, type SchedVariant } from './hbd-launch';
import type { HbdBus } from './hbd-bus';
import type { DaemonRun, FailoverDriver } from './kill-series';
import { killLeftovers } from '../../scripts/sim/netns-procs';
import { vipHolders } from '../lib/unit-net';

export interface HbdDriverOptions {
  pair: SimPair;
  bus: HbdBus;
  settings: HbdPairSettings;
  variant: SchedVariant;
  setting: string;
  keepaliveMs: number;
  deadtimeMs: number;
  initdeadMs: number;
  /** Watchers running in the units' namespaces that cleanup must not kill. */
  keepPids: ReadonlySet<number>;
}

const fileSize = (f: string): number => {
  try {
    return statSync(f).size;
  } catch {
    return 0;
  }
};

export function hbdDriver(o: HbdDriverOptions): FailoverDriver {
  const dirs = writeHbdConfigs(o.pair, o.settings);
  const dirOf = (u: SimUnit): string => dirs[u.name === 'u1' ? 0 : 1];
  return {
    system: 'hbd',
    setting: o.setting,
    keepaliveMs: o.keepaliveMs,
    failoverTimeoutMs: 4 * o.deadtimeMs + 5_000,
    settleTimeoutMs: 2 * o.initdeadMs + 30_000,

    start(unit): DaemonRun {
      const logName = `soak-hbd-${unit.name}`;
      const logOffset = fileSize(`${o.pair.dir}/${logName}.log`);
      const p = startHbd(o.pair, unit, dirOf(unit), o.variant, logName);
      return { pid: p.pid, logFile: p.logFile, logOffset, running: () => isRunning(p) };
    },

    victims: (_unit, run) => (run.running() ? [{ pid: run.pid, comm: 'node' }] : []),

    async cleanup(unit) {
      await killLeftovers(unit.ns, o.keepPids);
      await releaseVips(unit, dirOf(unit));
    },

    async ready(active) {
      const passive = (1 - active) as 0 | 1;
      const holders = await vipHolders(o.pair);
      if (holders.length !== 1 || holders[0] !== active) return `VIP on [${holders.map((i) => `u${i + 1}`).join(',')}]`;
      const a = await o.bus.state(active);
      const p = await o.bus.state(passive);
      if (a.state !== 'active' || a.peer !== 'up' || p.state !== 'passive' || p.peer !== 'up') {
        return `u${active + 1} ${a.state}/peer ${a.peer}, u${passive + 1} ${p.state}/peer ${p.peer}`;
      }
      return true;
    },
  };
}
