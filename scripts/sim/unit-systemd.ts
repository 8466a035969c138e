/**
 * "systemd" of one simulated unit: a Supervisor that runs the unit's
 * services, published on D-Bus as org.freedesktop.systemd1 (the statusd
 * tests' SystemdStandIn) on a bus of its own, DIR/<unit>/systemd/open-bus.sock,
 * which statusd reads through its `systemd_bus` option. Every state the
 * supervisor reports goes to the unit's object (ActiveState, SubState,
 * NRestarts, MainPID), and RestartUnit restarts the real process: the
 * System Overview's Services panel and its Restart buttons work as on the
 * appliance.
 */
import * as path from 'node:path';
import { mkdirSync } from 'node:fs';
import { connectSystemBus, type MessageBus } from '../../services/runtime/dbus';
import { SystemdStandIn } from '../../services/statusd/testing/systemd-stand-in';
import { startOpenBus, type PrivateBus } from './bus';
import { Supervisor, type ServiceSpec, type SupervisorEvent } from './supervisor';
import type { SimUnit } from './pair';

export interface UnitSystemd {
  /** The bus statusd's `systemd_bus` names. */
  busAddress: string;
  supervisor: Supervisor;
  systemd: SystemdStandIn;
  /** Stop every service (the last added first), then the bus. */
  stop(): Promise<void>;
}

export interface UnitSystemdOptions {
  restartMs: number;
  onEvent?: (e: SupervisorEvent) => void;
  /** A RestartUnit that failed (e.g. the service exited before it was ready). */
  onRestartFailed?: (unit: string, err: unknown) => void;
}

/** Services are added (not started): `specs` in start order. */
export async function startUnitSystemd(unit: SimUnit, specs: readonly ServiceSpec[], o: UnitSystemdOptions): Promise<UnitSystemd> {
  const dir = path.join(unit.dir, 'systemd');
  mkdirSync(dir, { recursive: true });
  let bus: PrivateBus | null = null;
  let conn: MessageBus | null = null;
  try {
    bus = await startOpenBus(dir);
    conn = await connectSystemBus(bus.address);
    const systemd = await SystemdStandIn.start(conn, Object.fromEntries(specs.map((s) => [s.name, { active: 'inactive', sub: 'dead' }])));
    let published = true;
    const supervisor = new Supervisor({
      dir: unit.dir,
      restartMs: o.restartMs,
      onEvent: (e) => {
        if (e.kind === 'state' && published) systemd.set(e.unit, e.status);
        o.onEvent?.(e);
      },
    });
    specs.forEach((s) => supervisor.add(s));
    systemd.onRestart = (name) => void supervisor.restart(name).catch((err: unknown) => o.onRestartFailed?.(name, err));
    systemd.onStart = (name) => void supervisor.start(name).catch((err: unknown) => o.onRestartFailed?.(name, err));
    systemd.onStop = (name) => void supervisor.stop(name).catch((err: unknown) => o.onRestartFailed?.(name, err));
    const [b, c] = [bus, conn];
    return {
      busAddress: bus.address, supervisor, systemd,
      stop: async () => {
        await supervisor.stopAll();
        published = false;
        systemd.stop();
        c.disconnect();
        await b.stop();
      },
    };
  } catch (err) {
    conn?.disconnect();
    await bus?.stop();
    throw err;
  }
}
