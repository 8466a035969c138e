/**
 * Turns monitor events into fresh snapshots and diffs. Events are gathered
 * for SETTLE_MS (the kernel reports both NICs' link-local addresses, or a
 * bond's slaves, a millisecond apart: one re-read, not two), and a burst
 * gives one re-read in flight and at most one more after it, so a flapping
 * link cannot queue work; a single event is published within SETTLE_MS plus
 * one `ip` round trip (tens of milliseconds), well inside the 1 s the issue
 * asks for.
 * While nicd changes the interfaces itself (quiet()), events only mark the
 * snapshot stale: one re-read follows the change, instead of one per burst
 * of the kernel's echoes of it (counted at a start in the appliance: 5
 * re-reads after the change before, now 1 plus one per later kernel event,
 * such as the link-local and SLAAC addresses).
 */
import type { Logger } from '../runtime/log';
import { diffSnapshots, type LinkEvent, type LinkSnapshot } from './core/link-events';

/** How long events are gathered before one re-read. */
export const SETTLE_MS = 100;

export class LinkWatcher {
  private current: LinkSnapshot = { links: [], addresses: [] };
  private primed = false;
  private inflight: Promise<void> | null = null;
  private again = false;
  private held = 0;
  private missed = false;
  private settle: NodeJS.Timeout | null = null;

  constructor(
    private readonly read: () => Promise<LinkSnapshot>,
    /** events is [] for the first snapshot (everything would be "added"). */
    private readonly onUpdate: (snapshot: LinkSnapshot, events: LinkEvent[]) => void,
    private readonly log: Logger,
  ) {}

  get snapshot(): LinkSnapshot {
    return this.current;
  }

  /** Something changed: re-read soon (after the quiet() in progress, if any). */
  trigger(): void {
    if (this.held > 0) {
      this.missed = true;
      return;
    }
    if (this.settle !== null) return;
    this.settle = setTimeout(() => {
      this.settle = null;
      void this.refresh();
    }, SETTLE_MS);
    this.settle.unref();
  }

  /**
   * Runs `change` (nicd's own changes to the interfaces) with re-reads held
   * back; when the last one ends, the state is re-read once if anything was
   * signalled meanwhile (or if `reread`), before the returned promise settles.
   * That re-read waits SETTLE_MS first, still holding: the monitor's lines
   * about the change reach nicd a little after `ip` has made it.
   */
  async quiet<T>(change: () => Promise<T>, reread = false): Promise<T> {
    this.held++;
    try {
      return await change();
    } finally {
      if (this.held === 1 && (this.missed || reread)) await new Promise((r) => setTimeout(r, SETTLE_MS));
      this.held--;
      if (this.held === 0 && (this.missed || reread)) {
        this.missed = false;
        await this.refresh();
      }
    }
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
