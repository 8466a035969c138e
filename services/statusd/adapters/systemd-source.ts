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
import { AppError, errorMessage } from '../../runtime/errors';
import type { Logger } from '../../runtime/log';
import { unitView } from '../core/system-views';
import type { UnitControl } from '../ports/controls';
import type { Publish, StateSource } from '../ports/state-source';
import { watchName, type NameWatch } from './name-watch';
import { propsProxy } from './props-proxy';
import { PropsMirror } from './props-mirror';

export const SYSTEMD = { name: 'org.freedesktop.systemd1', path: '/org/freedesktop/systemd1', manager: 'org.freedesktop.systemd1.Manager', unit: 'org.freedesktop.systemd1.Unit', service: 'org.freedesktop.systemd1.Service' };

const MANAGER_XML = `<node><interface name="${SYSTEMD.manager}">
<method name="Subscribe"/>
<method name="GetUnit"><arg type="s" direction="in"/><arg type="o" direction="out"/></method>
<method name="LoadUnit"><arg type="s" direction="in"/><arg type="o" direction="out"/></method>
<method name="RestartUnit"><arg type="s" direction="in"/><arg type="s" direction="in"/><arg type="o" direction="out"/></method>
<signal name="UnitNew"><arg type="s"/><arg type="o"/></signal>
<signal name="Reloading"><arg type="b"/></signal>
</interface></node>`;

type Manager = dbus.ClientInterface & {
  Subscribe(): Promise<void>;
  GetUnit(n: string): Promise<string>;
  LoadUnit(n: string): Promise<string>;
  RestartUnit(n: string, mode: string): Promise<string>;
};

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
      const obj = await this.bus.getProxyObject(SYSTEMD.name, SYSTEMD.path, MANAGER_XML);
      const m = obj.getInterface(SYSTEMD.manager) as Manager;
      const onNew = (id: string): void => void (this.units.includes(id) && !this.tracked.has(id) ? this.track(gen, m, id) : undefined);
      const onReloading = (active: boolean): void => void (active ? undefined : this.trackAll(gen, m, true));
      m.on('UnitNew', onNew);
      m.on('Reloading', onReloading);
      this.detachers.push(() => m.removeListener('UnitNew', onNew), () => m.removeListener('Reloading', onReloading));
      await m.Subscribe();
      if (gen !== this.generation) return;
      this.manager = m;
      this.out([this.key], { connected: true, units: {} });
      await this.trackAll(gen, m, false);
    } catch (err) {
      if (gen !== this.generation) return;
      this.log.error({ err }, 'cannot subscribe to systemd; unit states unknown');
      this.out([this.key], { connected: false, error: errorMessage(err).slice(0, 200), units: {} });
    }
  }

  private async trackAll(gen: number, m: Manager, again: boolean): Promise<void> {
    for (const u of this.units) {
      if (again) this.untrack(u);
      await this.track(gen, m, u);
    }
  }

  private untrack(unit: string): void {
    this.tracked.get(unit)?.unfollow();
    this.tracked.delete(unit);
  }

  private async track(gen: number, m: Manager, unit: string): Promise<void> {
    try {
      const path = await m.GetUnit(unit).catch(() => m.LoadUnit(unit));
      const proxy = await propsProxy(this.bus, SYSTEMD.name, path);
      if (gen !== this.generation) return;
      const fail = (err: unknown): void => this.unreadable(gen, unit, err);
      let service: PropsMirror | null = null;
      const show = (): void => {
        if (this.tracked.get(unit) === t && t.unit.isReady) this.out([this.key, 'units', unit], unitView(t.unit.current, service?.current ?? {}));
      };
      // Non-service units have no Service interface: an empty one, not an error.
      service = new PropsMirror(() => proxy.getAll(SYSTEMD.service).catch(() => ({})), show, fail);
      const t: Tracked = { unit: new PropsMirror(() => proxy.getAll(SYSTEMD.unit), show, fail), service, unfollow: () => undefined };
      const unfollow = proxy.follow((iface, changed, invalidated) => {
        if (iface === SYSTEMD.unit) t.unit.signal(changed, invalidated);
        else if (iface === SYSTEMD.service) t.service.signal(changed, invalidated);
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
