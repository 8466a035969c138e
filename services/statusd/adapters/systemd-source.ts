/**
 * systemd as a feed source and as the restart button: org.freedesktop.systemd1
 * over dbus-next. After Subscribe(), systemd sends PropertiesChanged for
 * every unit change; statusd follows the configured units' objects (GetUnit,
 * or LoadUnit for a unit not loaded yet) and never polls. UnitNew and the
 * end of a daemon-reload re-read a unit; a restart of systemd itself (the
 * name changes owner) re-reads everything.
 */
import * as dbus from 'dbus-next';
import type { MessageBus } from '../../runtime/dbus';
import { callRaw, onSignal, type CallTarget } from '../../runtime/dbus-raw';
import { AppError, errorMessage } from '../../runtime/errors';
import type { Logger } from '../../runtime/log';
import { unitView } from '../core/system-views';
import type { UnitControl } from '../ports/controls';
import type { Publish, StateSource } from '../ports/state-source';
import { watchName, type NameWatch } from '../../runtime/dbus-follow/name-watch';
import { propsProxy, type Props, type PropsProxy } from '../../runtime/dbus-follow/props-proxy';
import { PropsMirror } from '../../runtime/dbus-follow/props-mirror';

export const SYSTEMD = { name: 'org.freedesktop.systemd1', path: '/org/freedesktop/systemd1', manager: 'org.freedesktop.systemd1.Manager', unit: 'org.freedesktop.systemd1.Unit', service: 'org.freedesktop.systemd1.Service' };

/**
 * The properties unitView shows, read one by one: GetAll of a unit's Unit and
 * Service interfaces is ~300 values (64-bit timestamps, exec command
 * structures), seconds of CPU to unmarshal at boot on an emulated CPU.
 */
const UNIT_PROPS = ['LoadState', 'ActiveState', 'SubState'] as const;
const SERVICE_PROPS = ['NRestarts'] as const;

/** `names` of `iface`, read with Get; a property an interface lacks is left out. */
async function readProps(proxy: PropsProxy, iface: string, names: readonly string[]): Promise<Props> {
  const values = await Promise.all(names.map((n) => proxy.get(iface, n)));
  const out: Props = {};
  names.forEach((n, i) => {
    if (values[i] !== undefined) out[n] = values[i];
  });
  return out;
}

/** A PropertiesChanged cut to the properties shown; nothing is passed on when none of them is in it. */
function forward(mirror: PropsMirror, names: readonly string[], changed: Props, invalidated: readonly string[]): void {
  const mine: Props = {};
  for (const n of names) if (n in changed) mine[n] = changed[n];
  const gone = invalidated.filter((n) => names.includes(n));
  if (Object.keys(mine).length > 0 || gone.length > 0) mirror.signal(mine, gone);
}

const MANAGER: CallTarget = { destination: SYSTEMD.name, path: SYSTEMD.path, iface: SYSTEMD.manager };

/** The systemd manager's methods statusd calls. */
interface Manager {
  Subscribe(): Promise<void>;
  GetUnit(n: string): Promise<string>;
  LoadUnit(n: string): Promise<string>;
  RestartUnit(n: string, mode: string): Promise<string>;
}

function managerOf(bus: MessageBus): Manager {
  const call = async (member: string, signature: string, ...args: unknown[]): Promise<unknown> => (await callRaw(bus, MANAGER, member, signature, args))[0];
  return {
    Subscribe: async () => void (await call('Subscribe', '')),
    GetUnit: async (n) => String(await call('GetUnit', 's', n)),
    LoadUnit: async (n) => String(await call('LoadUnit', 's', n)),
    RestartUnit: async (n, mode) => String(await call('RestartUnit', 'ss', n, mode)),
  };
}

interface Tracked {
  unit: PropsMirror;
  service: PropsMirror;
  unfollow: () => void;
}

export class SystemdSource implements StateSource, UnitControl {
  readonly key = 'systemd';
  private out: Publish = () => undefined;
  private watch: NameWatch | null = null;
  private manager: Manager | null = null;
  private generation = 0;
  private readonly tracked = new Map<string, Tracked>();
  private readonly detachers: (() => void)[] = [];

  constructor(private readonly bus: MessageBus, private readonly units: readonly string[], private readonly log: Logger) {}

  async start(publish: Publish): Promise<void> {
    this.out = publish;
    publish([this.key], { connected: false, units: {} });
    this.watch = await watchName(this.bus, SYSTEMD.name, (owner) => void this.onOwner(owner));
  }

  async stop(): Promise<void> {
    this.generation += 1;
    this.watch?.stop();
    this.reset();
  }

  async restart(unit: string): Promise<void> {
    if (!this.units.includes(unit)) throw new AppError('UNIT_NOT_ALLOWED', `${unit} is not one of the appliance units statusd manages`);
    if (this.manager === null) throw new AppError('SYSTEMD_UNAVAILABLE', 'systemd is not reachable on D-Bus');
    try {
      await this.manager.RestartUnit(unit, 'replace');
    } catch (err) {
      const type = err instanceof dbus.DBusError ? err.type : '';
      const denied = /AccessDenied|InteractiveAuthorizationRequired/.test(type);
      throw new AppError(denied ? 'ACTION_DENIED' : 'ACTION_FAILED', `RestartUnit ${unit}: ${errorMessage(err)}`);
    }
  }

  private reset(): void {
    this.detachers.splice(0).forEach((d) => d());
    for (const t of this.tracked.values()) t.unfollow();
    this.tracked.clear();
    this.manager = null;
  }

  private async onOwner(owner: string | null): Promise<void> {
    const gen = ++this.generation;
    this.reset();
    if (owner === null) {
      this.log.warn('systemd is not on the bus; unit states unknown');
      this.out([this.key], { connected: false, units: {} });
      return;
    }
    try {
      const m = managerOf(this.bus);
      const onNew = (body: unknown[]): void => {
        const id = String(body[0]);
        if (this.units.includes(id) && !this.tracked.has(id)) void this.track(gen, m, owner, id);
      };
      const onReloading = (body: unknown[]): void => void (body[0] === true ? undefined : this.trackAll(gen, m, owner, true));
      const rule = { sender: SYSTEMD.name, iface: SYSTEMD.manager, path: SYSTEMD.path };
      this.detachers.push(onSignal(this.bus, { ...rule, member: 'UnitNew' }, owner, onNew), onSignal(this.bus, { ...rule, member: 'Reloading' }, owner, onReloading));
      await m.Subscribe();
      if (gen !== this.generation) return;
      this.manager = m;
      this.out([this.key], { connected: true, units: {} });
      await this.trackAll(gen, m, owner, false);
    } catch (err) {
      if (gen !== this.generation) return;
      this.log.error({ err }, 'cannot subscribe to systemd; unit states unknown');
      this.out([this.key], { connected: false, error: errorMessage(err).slice(0, 200), units: {} });
    }
  }

  private async trackAll(gen: number, m: Manager, owner: string, again: boolean): Promise<void> {
    for (const u of this.units) {
      if (again) this.untrack(u);
      await this.track(gen, m, owner, u);
    }
  }

  private untrack(unit: string): void {
    this.tracked.get(unit)?.unfollow();
    this.tracked.delete(unit);
  }

  private async track(gen: number, m: Manager, owner: string, unit: string): Promise<void> {
    try {
      const path = await m.GetUnit(unit).catch(() => m.LoadUnit(unit));
      const proxy = propsProxy(this.bus, SYSTEMD.name, path, owner);
      if (gen !== this.generation) return;
      const fail = (err: unknown): void => this.unreadable(gen, unit, err);
      let service: PropsMirror | null = null;
      const show = (): void => {
        if (this.tracked.get(unit) === t && t.unit.isReady) this.out([this.key, 'units', unit], unitView(t.unit.current, service?.current ?? {}));
      };
      // Non-service units have no Service interface: an empty one, not an error.
      service = new PropsMirror(() => readProps(proxy, SYSTEMD.service, SERVICE_PROPS).catch(() => ({})), show, fail);
      const t: Tracked = { unit: new PropsMirror(() => readProps(proxy, SYSTEMD.unit, UNIT_PROPS), show, fail), service, unfollow: () => undefined };
      const unfollow = proxy.follow((iface, changed, invalidated) => {
        if (iface === SYSTEMD.unit) forward(t.unit, UNIT_PROPS, changed, invalidated);
        else if (iface === SYSTEMD.service) forward(t.service, SERVICE_PROPS, changed, invalidated);
      });
      t.unfollow = () => {
        t.unit.stop();
        t.service.stop();
        unfollow();
      };
      this.untrack(unit);
      this.tracked.set(unit, t);
      await Promise.all([t.unit.refresh(), t.service.refresh()]);
    } catch (err) {
      this.unreadable(gen, unit, err);
    }
  }

  private unreadable(gen: number, unit: string, err: unknown): void {
    if (gen !== this.generation) return;
    this.log.warn({ unit, err }, 'cannot read unit');
    this.out([this.key, 'units', unit], { load: 'error', active: 'unknown', sub: errorMessage(err).slice(0, 120), restarts: null });
  }
}
