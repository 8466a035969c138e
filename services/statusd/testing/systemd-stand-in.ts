/**
 * A stand-in org.freedesktop.systemd1 for tests and the demo: the Manager
 * methods statusd uses (Subscribe, GetUnit, LoadUnit, RestartUnit) and unit
 * objects with the Unit and Service properties it reads, emitting
 * PropertiesChanged like systemd does after Subscribe().
 *
 * Alone (statusd's tests) it only pretends: set() changes a unit and a
 * RestartUnit goes activating -> active after restartTakesMs. With a
 * restart hook (the demo, scripts/sim/unit-systemd.ts) RestartUnit restarts
 * a real process and a supervisor set()s the states that process goes
 * through. Runs on a test-owned bus (scripts/sim/bus.ts, startOpenBus): the
 * appliance's bus policy lets nobody but systemd own that name.
 */
import * as dbus from 'dbus-next';
import { exportObject, type ExportedObject, type MessageBus } from '../../runtime/dbus';

export const SYSTEMD_NAME = 'org.freedesktop.systemd1';
const ROOT = '/org/freedesktop/systemd1';

/** systemd's object path escaping (bus_label_escape): every non-alphanumeric byte as _xx. */
export function unitPath(unit: string): string {
  const label = [...Buffer.from(unit)].map((b) => (/[A-Za-z0-9]/.test(String.fromCharCode(b)) ? String.fromCharCode(b) : `_${b.toString(16).padStart(2, '0')}`)).join('');
  return `${ROOT}/unit/${label || '_'}`;
}

/** What systemd publishes of a unit (Unit: LoadState, ActiveState, SubState; Service: NRestarts, MainPID). */
export interface UnitState {
  load: string;
  active: string;
  sub: string;
  restarts: number;
  /** The main process; 0 when none runs. */
  mainPid: number;
}

/** Called for RestartUnit(name) instead of the pretended state change. */
export type RestartHook = (unit: string) => void;

interface PublishedUnit {
  unit: ExportedObject;
  service: ExportedObject;
}

export class SystemdStandIn {
  readonly restartCalls: string[] = [];
  subscribes = 0;
  private readonly units = new Map<string, PublishedUnit>();
  private manager: ExportedObject | null = null;
  /** How long a pretended RestartUnit takes to go activating -> active (0: no state change). */
  restartTakesMs = 50;
  /** When set, RestartUnit calls this (a supervisor restarts the process and sets the states). */
  onRestart: RestartHook | null = null;
  /** StartUnit / StopUnit (paird starts hbd and csyncd after pairing): recorded, and passed to these hooks when set. */
  readonly jobCalls: string[] = [];
  onStart: RestartHook | null = null;
  onStop: RestartHook | null = null;

  private constructor(readonly bus: MessageBus) {}

  /** Export the manager and own org.freedesktop.systemd1 on `bus`. */
  static async start(bus: MessageBus, units: Record<string, Partial<UnitState>> = {}): Promise<SystemdStandIn> {
    // dbus-next answers a method call from a promise; if the test has closed this connection by then, its
    // send throws inside dbus-next (an unhandled rejection that fails the test file): drop such replies.
    const send = bus.send.bind(bus);
    bus.send = (msg) => {
      try {
        send(msg);
      } catch {
        /* connection closed by the test */
      }
    };
    const f = new SystemdStandIn(bus);
    for (const [name, st] of Object.entries(units)) f.addUnit(name, st);
    f.manager = exportObject(bus, ROOT, {
      iface: `${SYSTEMD_NAME}.Manager`,
      properties: {},
      methods: {
        Subscribe: { handler: () => void (f.subscribes += 1) },
        GetUnit: { inSignature: 's', outSignature: 'o', handler: (n: string) => f.pathOf(n) },
        LoadUnit: { inSignature: 's', outSignature: 'o', handler: (n: string) => f.load(n) },
        RestartUnit: { inSignature: 'ss', outSignature: 'o', handler: (n: string) => f.restart(n) },
        StartUnit: { inSignature: 'ss', outSignature: 'o', handler: (n: string) => f.job('start', n) },
        StopUnit: { inSignature: 'ss', outSignature: 'o', handler: (n: string) => f.job('stop', n) },
      },
      signals: { UnitNew: { signature: 'so' }, Reloading: { signature: 'b' } },
    });
    const r = await bus.requestName(SYSTEMD_NAME, dbus.NameFlag.DO_NOT_QUEUE);
    if (r !== dbus.RequestNameReply.PRIMARY_OWNER) throw new Error(`cannot own ${SYSTEMD_NAME} (reply ${r})`);
    return f;
  }

  addUnit(name: string, st: Partial<UnitState> = {}): void {
    const path = unitPath(name);
    const unit = exportObject(this.bus, path, {
      iface: `${SYSTEMD_NAME}.Unit`,
      properties: {
        Id: { signature: 's', initial: name },
        LoadState: { signature: 's', initial: st.load ?? 'loaded' },
        ActiveState: { signature: 's', initial: st.active ?? 'active' },
        SubState: { signature: 's', initial: st.sub ?? 'running' },
      },
      methods: {},
    });
    const service = exportObject(this.bus, path, {
      iface: `${SYSTEMD_NAME}.Service`,
      properties: { NRestarts: { signature: 'u', initial: st.restarts ?? 0 }, MainPID: { signature: 'u', initial: st.mainPid ?? 0 } },
      methods: {},
    });
    this.units.set(name, { unit, service });
    this.manager?.emit('UnitNew', name, path);
  }

  /** Change a unit as systemd would, with PropertiesChanged on each interface touched. */
  set(name: string, st: Partial<UnitState>): void {
    const u = this.units.get(name);
    if (u === undefined) throw new Error(`no unit ${name} in the systemd stand-in`);
    const unitProps: Record<string, unknown> = {};
    if (st.load !== undefined) unitProps.LoadState = st.load;
    if (st.active !== undefined) unitProps.ActiveState = st.active;
    if (st.sub !== undefined) unitProps.SubState = st.sub;
    if (Object.keys(unitProps).length > 0) u.unit.update(unitProps);
    const serviceProps: Record<string, unknown> = {};
    if (st.restarts !== undefined) serviceProps.NRestarts = st.restarts;
    if (st.mainPid !== undefined) serviceProps.MainPID = st.mainPid;
    if (Object.keys(serviceProps).length > 0) u.service.update(serviceProps);
  }

  get(name: string): UnitState | null {
    const u = this.units.get(name);
    if (u === undefined) return null;
    return {
      load: String(u.unit.get('LoadState')), active: String(u.unit.get('ActiveState')), sub: String(u.unit.get('SubState')),
      restarts: Number(u.service.get('NRestarts')), mainPid: Number(u.service.get('MainPID')),
    };
  }

  private pathOf(name: string): string {
    if (!this.units.has(name)) throw new dbus.DBusError(`${SYSTEMD_NAME}.NoSuchUnit`, `Unit ${name} not loaded.`);
    return unitPath(name);
  }

  private load(name: string): string {
    if (!this.units.has(name)) this.addUnit(name, { load: 'not-found', active: 'inactive', sub: 'dead' });
    return unitPath(name);
  }

  private restart(name: string): string {
    this.pathOf(name);
    this.restartCalls.push(name);
    if (this.onRestart !== null) {
      this.onRestart(name);
    } else if (this.restartTakesMs > 0) {
      this.set(name, { active: 'activating', sub: 'start' });
      setTimeout(() => this.units.has(name) && this.set(name, { active: 'active', sub: 'running' }), this.restartTakesMs).unref();
    }
    return `${ROOT}/job/${this.restartCalls.length}`;
  }

  private job(kind: 'start' | 'stop', name: string): string {
    this.pathOf(name);
    this.jobCalls.push(`${kind} ${name}`);
    const hook = kind === 'start' ? this.onStart : this.onStop;
    if (hook !== null) hook(name);
    else this.set(name, kind === 'start' ? { active: 'active', sub: 'running' } : { active: 'inactive', sub: 'dead' });
    return `${ROOT}/job/${this.jobCalls.length + this.restartCalls.length}`;
  }

  /** Remove every object (whole paths: dbus-next 0.10 drops a path at its first unexported interface). */
  stop(): void {
    const unexport = this.bus.unexport.bind(this.bus) as (path: string) => void;
    for (const name of this.units.keys()) unexport(unitPath(name));
    this.units.clear();
    unexport(ROOT);
    this.manager = null;
  }
}
