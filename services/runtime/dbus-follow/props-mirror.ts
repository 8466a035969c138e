/**
 * A local copy of one interface's properties, kept by GetAll plus
 * PropertiesChanged. dbus-next handles every message of a socket read in one
 * go, before any awaiting code runs, so a signal handled after the GetAll
 * reply may still be overwritten by that (older) reply. A signal that comes
 * while a GetAll is in flight therefore asks for one more GetAll: the copy
 * converges within a round trip, and signals still show at once.
 */
import type { Props } from './props-proxy';

export class PropsMirror {
  private props: Props = {};
  private ready = false;
  private inFlight = false;
  private dirty = false;
  private stopped = false;

  /**
   * @param read  GetAll of the interface
   * @param show  called with the copy whenever it may have changed (not before the first read)
   * @param failed called when a read throws (the caller retries or reports)
   */
  constructor(private readonly read: () => Promise<Props>, private readonly show: (p: Props) => void, private readonly failed: (err: unknown) => void) {}

  /** True once a read has succeeded. */
  get isReady(): boolean {
    return this.ready;
  }

  get current(): Props {
    return this.props;
  }

  /** PropertiesChanged for this interface. */
  signal(changed: Props, invalidated: readonly string[]): void {
    if (this.stopped) return;
    this.props = { ...this.props, ...changed };
    if (this.inFlight || invalidated.length > 0) this.dirty = true;
    if (invalidated.length > 0 && !this.inFlight) void this.refresh();
    if (this.ready) this.show(this.props);
  }

  /** (Re)read everything; overlapping calls are folded into the one running. */
  async refresh(): Promise<void> {
    if (this.inFlight) {
      this.dirty = true;
      return;
    }
    this.inFlight = true;
    try {
      let rounds = 0;
      do {
        this.dirty = false;
        const p = await this.read();
        if (this.stopped) return;
        this.props = p;
        rounds += 1;
      } while (this.dirty && rounds < 5);
      this.ready = true;
      this.show(this.props);
    } catch (err) {
      if (!this.stopped) this.failed(err);
    } finally {
      this.inFlight = false;
    }
  }

  stop(): void {
    this.stopped = true;
  }
}
