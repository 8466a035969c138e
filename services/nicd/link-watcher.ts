/**
 * Turns monitor events into fresh snapshots and diffs. A burst of events
 * gives one re-read in flight and at most one more after it, so a flapping
 * link cannot queue work; a single event is published within one `ip`
 * round trip (tens of milliseconds), well inside the 1 s the issue asks for.
 */
import type { Logger } from '../runtime/log';
import { diffSnapshots, type LinkEvent, type LinkSnapshot } from './core/link-events';

export class LinkWatcher {
  private current: LinkSnapshot = { links: [], addresses: [] };
  private primed = false;
  private inflight: Promise<void> | null = null;
  private again = false;

  constructor(
    private readonly read: () => Promise<LinkSnapshot>,
    /** events is [] for the first snapshot (everything would be "added"). */
    private readonly onUpdate: (snapshot: LinkSnapshot, events: LinkEvent[]) => void,
    private readonly log: Logger,
  ) {}

  get snapshot(): LinkSnapshot {
    return this.current;
  }

  /** Something changed: re-read soon. */
  trigger(): void {
    void this.refresh();
  }

  /** Re-read; resolves once a read that started after this call has been published. */
  refresh(): Promise<void> {
    if (this.inflight !== null) {
      this.again = true;
      return this.inflight;
    }
    this.inflight = this.loop().finally(() => {
      this.inflight = null;
    });
    return this.inflight;
  }

  private async loop(): Promise<void> {
    do {
      this.again = false;
      let next: LinkSnapshot;
      try {
        next = await this.read();
      } catch (err) {
        this.log.error({ err }, 'cannot read the interfaces');
        return;
      }
      const events = this.primed ? diffSnapshots(this.current, next) : [];
      this.current = next;
      this.primed = true;
      this.onUpdate(next, events);
    } while (this.again);
  }
}
