/**
 * Executes AcquireResources / ReleaseResources one at a time, in order:
 * acquire = VIPs up and announced, then scripts started in haresources order;
 * release = VIPs removed, then scripts stopped in reverse order. A request
 * that arrives while one runs waits its turn; a request overtaken by a later
 * opposite one is skipped.
 *
 * The returned promise resolves once the VIP part is done: the election must
 * not tell the peer "standby" before our VIPs are gone, but it must not wait
 * for a slow script (haproxy reload) either, or heartbeats would stop.
 */
import type { Logger } from '../../runtime/log';
import { errorMessage } from '../../runtime/errors';
import { addVip, announceVip, removeVip, vipLabel, type Announcement, type GarpSettings, type Vip } from './vip';
import { runScript } from './scripts';

export interface ScriptResource {
  name: string;
  file: string;
  args: readonly string[];
}

export type Held = 'held' | 'released' | 'failed';

export interface ResourceStatus {
  name: string;
  status: Held;
  detail: string;
}

export class ResourceManager {
  private chain: Promise<void> = Promise.resolve();
  private wanted: 'held' | 'released' = 'released';
  private readonly status = new Map<string, ResourceStatus>();
  private readonly announcements = new Map<string, Announcement>();

  constructor(
    private readonly vips: readonly Vip[],
    private readonly scripts: readonly ScriptResource[],
    private readonly garp: GarpSettings,
    private readonly log: Logger,
    private readonly onStatus: (s: ResourceStatus[]) => void,
  ) {
    for (const v of vips) this.set(vipLabel(v), 'released', '');
    for (const s of scripts) this.set(s.name, 'released', '');
  }

  snapshot(): ResourceStatus[] {
    return [...this.status.values()];
  }

  acquire(reason: string): Promise<void> {
    return this.enqueue('held', reason);
  }

  release(reason: string): Promise<void> {
    return this.enqueue('released', reason);
  }

  /** Resolves when everything queued so far has run. */
  idle(): Promise<void> {
    return this.chain;
  }

  private enqueue(target: 'held' | 'released', reason: string): Promise<void> {
    this.wanted = target;
    let vipsDone!: () => void;
    const vipPart = new Promise<void>((r) => (vipsDone = r));
    this.chain = this.chain.then(async () => {
      if (this.wanted !== target) return vipsDone();
      await this.apply(target, reason, vipsDone);
    });
    return vipPart;
  }

  private async apply(target: 'held' | 'released', reason: string, vipsDone: () => void): Promise<void> {
    const started = Date.now();
    for (const v of this.vips) await this.step(vipLabel(v), target, () => (target === 'held' ? this.up(v) : this.down(v)));
    vipsDone();
    this.log.info({ target, reason, ms: Date.now() - started }, target === 'held' ? 'floating IPs up' : 'floating IPs removed');
    const scripts = target === 'held' ? this.scripts : [...this.scripts].reverse();
    for (const s of scripts) await this.step(s.name, target, () => runScript(s.file, s.args, target === 'held' ? 'start' : 'stop'));
  }

  /**
   * Announce the held VIPs again: the peer just gave up VIPs it held too
   * (a healed split brain), and its announcements pointed the LAN at it.
   */
  reannounce(reason: string): void {
    if (this.wanted !== 'held') return;
    this.log.info({ reason }, 're-announcing floating IPs');
    for (const v of this.vips) if (this.status.get(vipLabel(v))?.status === 'held') this.announce(v);
  }

  private async up(v: Vip): Promise<void> {
    await addVip(v);
    this.announce(v);
  }

  private async down(v: Vip): Promise<void> {
    this.announcements.get(vipLabel(v))?.cancel();
    this.announcements.delete(vipLabel(v));
    await removeVip(v);
  }

  private announce(v: Vip): void {
    this.announcements.get(vipLabel(v))?.cancel();
    this.announcements.set(vipLabel(v), announceVip(v, this.garp, (err) => this.log.warn({ err, vip: vipLabel(v) }, 'announcement failed')));
  }

  private async step(name: string, target: Held, fn: () => Promise<void>): Promise<void> {
    try {
      await fn();
      this.set(name, target, '');
    } catch (err) {
      this.log.error({ err, resource: name, target }, 'resource action failed');
      this.set(name, 'failed', errorMessage(err));
    }
  }

  private set(name: string, status: Held, detail: string): void {
    this.status.set(name, { name, status, detail });
    this.onStatus(this.snapshot());
  }
}
