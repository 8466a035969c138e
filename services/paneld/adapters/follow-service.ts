/**
 * Follow one appliance service's properties over D-Bus while it comes and
 * goes (runtime/dbus-follow: name-watch, props-proxy and props-mirror, as
 * statusd's sources use them): `cb` gets the properties at every change, and
 * null while the name has no owner. A restarted service is read afresh; a
 * failed read is retried.
 */
import { busNamesOf, type MessageBus } from '../../runtime/dbus';
import type { Logger } from '../../runtime/log';
import { watchName, type NameWatch } from '../../runtime/dbus-follow/name-watch';
import { propsProxy, type Props } from '../../runtime/dbus-follow/props-proxy';
import { PropsMirror } from '../../runtime/dbus-follow/props-mirror';

const RETRY_MS = [500, 1000, 2000, 5000];

export class ServiceFollower {
  private watch: NameWatch | null = null;
  private generation = 0;
  private detachFn: (() => void) | null = null;
  private retry: NodeJS.Timeout | null = null;
  private readonly names;

  constructor(private readonly bus: MessageBus, readonly service: string, private readonly log: Logger, private readonly cb: (p: Props | null) => void) {
    this.names = busNamesOf(service);
  }

  async start(): Promise<void> {
    this.watch = await watchName(this.bus, this.names.name, (owner) => this.onOwner(owner));
  }

  stop(): void {
    this.generation += 1;
    this.watch?.stop();
    this.detach();
  }

  private detach(): void {
    this.detachFn?.();
    this.detachFn = null;
    if (this.retry !== null) clearTimeout(this.retry);
    this.retry = null;
  }

  private onOwner(owner: string | null): void {
    const gen = ++this.generation;
    this.detach();
    if (owner === null) {
      this.log.info({ source: this.service }, 'service not on the bus');
      this.cb(null);
      return;
    }
    this.log.info({ source: this.service, owner }, 'service on the bus');
    void this.read(gen, owner, 0);
  }

  private async read(gen: number, owner: string, attempt: number): Promise<void> {
    try {
      const proxy = propsProxy(this.bus, this.names.name, this.names.path, owner);
      if (gen !== this.generation) return;
      const mirror = new PropsMirror(() => proxy.getAll(this.names.iface), (p) => this.cb(p), (err) => this.failed(gen, owner, attempt, err));
      const unfollow = proxy.follow((iface, changed, invalidated) => {
        if (iface === this.names.iface) mirror.signal(changed, invalidated);
      });
      this.detachFn = () => {
        mirror.stop();
        unfollow();
      };
      await mirror.refresh();
    } catch (err) {
      this.failed(gen, owner, attempt, err);
    }
  }

  private failed(gen: number, owner: string, attempt: number, err: unknown): void {
    if (gen !== this.generation) return;
    this.detachFn?.();
    this.detachFn = null;
    const wait = RETRY_MS[Math.min(attempt, RETRY_MS.length - 1)] ?? 5000;
    this.log.warn({ source: this.service, err, retryMs: wait }, 'cannot read the service\'s properties; retrying');
    this.retry = setTimeout(() => void this.read(gen, owner, attempt + 1), wait);
  }
}
