/**
 * System figures (CPU, memory, disks, uptime, temperatures), sampled every
 * sample_interval (5 s by default) in statusd's own process
 * (adapters/system-sampler.ts: asynchronous reads only, nothing that blocks
 * the feed). The first sample is taken one interval after statusd starts,
 * when the services starting beside it at boot are further along; the page
 * shows "No figures yet" meanwhile. A sample that fails as a whole is
 * logged; the figures stay as they were until the next one.
 */
import type { Logger } from '../../runtime/log';
import { systemView } from '../core/system-views';
import type { Publish, StateSource } from '../ports/state-source';
import { SystemSampler } from './system-sampler';

export class SystemSource implements StateSource {
  readonly key = 'system';
  private timer: NodeJS.Timeout | null = null;
  private stopped = false;
  private readonly warned = new Set<string>();
  private readonly sampler = new SystemSampler();

  /** `firstDelayMs`: when the first sample is taken (default: one sample interval after start()). */
  constructor(private readonly intervalMs: number, private readonly log: Logger, private readonly firstDelayMs = intervalMs) {}

  async start(publish: Publish): Promise<void> {
    this.schedule(publish, this.firstDelayMs);
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer !== null) clearTimeout(this.timer);
    this.timer = null;
  }

  private schedule(publish: Publish, ms: number): void {
    if (this.stopped) return;
    this.timer = setTimeout(() => void this.tick(publish), ms);
    this.timer.unref();
  }

  private async tick(publish: Publish): Promise<void> {
    try {
      const { sample, failed } = await this.sampler.sample();
      if (this.stopped) return;
      for (const what of failed) {
        if (!this.warned.has(what)) this.log.warn({ what }, 'system figure unavailable');
        this.warned.add(what);
      }
      publish([this.key], systemView(sample));
    } catch (err) {
      this.log.error({ err }, 'system figures: sample failed');
    } finally {
      this.schedule(publish, this.intervalMs);
    }
  }
}
