/**
 * Gratuitous ARPs for the VIP on the LAN bridge (tcpdump -e on br0 in the lan
 * namespace), kept with capture time and source MAC, so a trial can ask for
 * "the first GARP from this unit after the kill".
 *
 * Which lines are GARPs: garp-line.ts.
 */
import { sleep } from '../../scripts/sim/exec';
import { AppError } from '../../services/runtime/errors';
import { parseGarpLine, type GarpEvent } from './garp-line';
import { Tcpdump } from './tcpdump';

/** Poll period while waiting for a GARP; the capture time, not this, is the measurement. */
const POLL_MS = 5;
/** Kept events; a run sees a few thousand at most. */
const MAX_EVENTS = 100_000;

export class GarpWatch {
  private readonly events: GarpEvent[] = [];
  private tcpdump: Tcpdump | null = null;

  static async start(lanNs: string, vip: string): Promise<GarpWatch> {
    const w = new GarpWatch();
    w.tcpdump = await Tcpdump.start(lanNs, ['-e', '-i', 'br0', 'arp'], (line) => {
      const ev = parseGarpLine(line, vip);
      if (ev !== undefined && w.events.length < MAX_EVENTS) w.events.push(ev);
    });
    return w;
  }

  /** First GARP from `mac` captured after `afterMs`, or undefined when none came within `timeoutMs`. */
  async firstFrom(mac: string, afterMs: number, timeoutMs: number): Promise<GarpEvent | undefined> {
    const end = Date.now() + timeoutMs;
    for (;;) {
      const ev = this.events.find((e) => e.srcMac === mac && e.tMs > afterMs);
      if (ev !== undefined) return ev;
      if (this.tcpdump?.alive !== true) throw new AppError('TCPDUMP_FAILED', `GARP watch died: ${this.tcpdump?.diagnostics ?? ''}`);
      if (Date.now() > end) return undefined;
      await sleep(POLL_MS);
    }
  }

  /** Capture time of the latest GARP from `mac`, or -Infinity. */
  lastFrom(mac: string): number {
    for (let i = this.events.length - 1; i >= 0; i--) {
      const e = this.events[i];
      if (e !== undefined && e.srcMac === mac) return e.tMs;
    }
    return Number.NEGATIVE_INFINITY;
  }

  /** How many GARPs came from `mac` between `afterMs` and `untilMs`. */
  countFrom(mac: string, afterMs: number, untilMs = Number.POSITIVE_INFINITY): number {
    return this.events.filter((e) => e.srcMac === mac && e.tMs > afterMs && e.tMs <= untilMs).length;
  }

  stop(): void {
    this.tcpdump?.stop();
  }
}
