/**
 * One appliance service (com.lbos.<Name>) as a feed source: "not running"
 * while its name has no owner, its properties (through core/service-views)
 * while it has one, followed through PropertiesChanged. A new owner (the
 * service restarted) is read afresh.
 */
import { busNamesOf, type MessageBus } from '../../runtime/dbus';
import type { Logger } from '../../runtime/log';
import { errorMessage } from '../../runtime/errors';
import { NOT_RUNNING, viewFor } from '../core/service-views';
import type { Publish, StateSource } from '../ports/state-source';
import { watchName, type NameWatch } from '../../runtime/dbus-follow/name-watch';
import { propsProxy } from '../../runtime/dbus-follow/props-proxy';
import { PropsMirror } from '../../runtime/dbus-follow/props-mirror';

/** Retries of a read that failed while the service is on the bus. */
const RETRY_MS = [500, 1000, 2000, 5000, 10_000];

export class ServiceSource implements StateSource {
  private watch: NameWatch | null = null;
  private generation = 0;
  private unfollow: (() => void) | null = null;
  private retry: NodeJS.Timeout | null = null;
  private out: Publish = () => undefined;
  private readonly view;
  private readonly names;

  constructor(private readonly bus: MessageBus, readonly key: string, private readonly log: Logger) {
    this.view = viewFor(key);
    this.names = busNamesOf(key);
  }

  async start(publish: Publish): Promise<void> {
    this.out = publish;
    publish([this.key], NOT_RUNNING);
    this.watch = await watchName(this.bus, this.names.name, (owner) => this.onOwner(owner));
  }

  async stop(): Promise<void> {
    this.generation += 1;
    this.watch?.stop();
    this.detach();
  }

  private detach(): void {
    this.unfollow?.();
    this.unfollow = null;
    if (this.retry !== null) clearTimeout(this.retry);
    this.retry = null;
  }

  private onOwner(owner: string | null): void {
    const gen = ++this.generation;
    this.detach();
    if (owner === null) {
      this.log.info({ source: this.key }, 'source not running');
      this.out([this.key], NOT_RUNNING);
      return;
    }
    this.log.info({ source: this.key, owner }, 'source on the bus');
    void this.read(gen, owner, 0);
  }

  private async read(gen: number, owner: string, attempt: number): Promise<void> {
    try {
      const proxy = propsProxy(this.bus, this.names.name, this.names.path, owner);
      if (gen !== this.generation) return;
      const mirror = new PropsMirror(
        () => proxy.getAll(this.names.iface),
        (p) => this.out([this.key], this.view(p)),
        (err) => this.failed(gen, owner, attempt, err),
      );
      // Follow first, then read: no change can fall between the two.
      const unfollow = proxy.follow((iface, changed, invalidated) => {
        if (iface === this.names.iface) mirror.signal(changed, invalidated);
      });
      this.unfollow = () => {
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
    this.unfollow?.();
    this.unfollow = null;
    const wait = RETRY_MS[Math.min(attempt, RETRY_MS.length - 1)] ?? 10_000;
    this.log.warn({ source: this.key, err, retryMs: wait }, 'cannot read the source\'s properties; retrying');
    this.out([this.key], { running: true, error: errorMessage(err).slice(0, 200) });
    this.retry = setTimeout(() => void this.read(gen, owner, attempt + 1), wait);
  }
}
