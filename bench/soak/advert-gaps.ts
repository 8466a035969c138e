/**
 * Gaps between hbd's UDP adverts on the heartbeat link, as the wire saw them
 * (tcpdump on u1's eth1, both directions): how late a loaded sender got to
 * send. A gap past warntime is a late heartbeat the peer will warn about; a
 * gap past deadtime on ucast alone is a false failover unless the serial
 * link carried an advert meanwhile. Per sender the maximum and the counts
 * are kept, and the gaps themselves for the distribution, not the packets.
 */
import { lineTimeMs, Tcpdump } from '../lib/tcpdump';

/** What one sender's adverts looked like. */
export interface SenderGaps {
  source: string;
  packets: number;
  maxGapMs: number;
  /** Wall-clock ms of the end of the worst gap. */
  maxGapAtMs: number;
  overWarn: number;
  overDead: number;
}

const UDP = /^\S+ IP (\d+\.\d+\.\d+\.\d+)\.\d+ > /;
/** Kept gaps (both directions); 10 min at 20 ms is 60,000. */
const MAX_GAPS = 1_000_000;

/** The accounting, fed `tcpdump -tt -n udp` lines; pure, so it is tested without a capture. */
export class GapCounter {
  private readonly senders = new Map<string, SenderGaps & { lastMs: number }>();
  private gaps: number[] = [];

  constructor(private readonly warnMs: number, private readonly deadMs: number) {}

  line(line: string): void {
    const t = lineTimeMs(line);
    const m = UDP.exec(line);
    if (t === undefined || m === null) return;
    const source = m[1] ?? '?';
    const s = this.senders.get(source);
    if (s === undefined) {
      this.senders.set(source, { source, packets: 1, maxGapMs: 0, maxGapAtMs: t, overWarn: 0, overDead: 0, lastMs: t });
      return;
    }
    const gap = t - s.lastMs;
    s.packets += 1;
    s.lastMs = t;
    if (this.gaps.length < MAX_GAPS) this.gaps.push(gap);
    if (gap > s.maxGapMs) {
      s.maxGapMs = gap;
      s.maxGapAtMs = t;
    }
    if (gap > this.warnMs) s.overWarn += 1;
    if (gap > this.deadMs) s.overDead += 1;
  }

  /** Forget everything so far: the window starts now. */
  reset(): void {
    this.senders.clear();
    this.gaps = [];
  }

  snapshot(): SenderGaps[] {
    return [...this.senders.values()]
      .map((s): SenderGaps => ({ source: s.source, packets: s.packets, maxGapMs: s.maxGapMs, maxGapAtMs: s.maxGapAtMs, overWarn: s.overWarn, overDead: s.overDead }))
      .sort((a, b) => a.source.localeCompare(b.source));
  }

  /** Every gap since the last reset, both directions. */
  allGaps(): number[] {
    return [...this.gaps];
  }
}

/** The counter fed by a tcpdump on `iface` in `ns`. */
export class AdvertGaps {
  private constructor(readonly counter: GapCounter, private readonly tcpdump: Tcpdump) {}

  static async start(ns: string, iface: string, port: number, warnMs: number, deadMs: number): Promise<AdvertGaps> {
    const counter = new GapCounter(warnMs, deadMs);
    const t = await Tcpdump.start(ns, ['-i', iface, 'udp', 'port', String(port)], (line) => counter.line(line));
    return new AdvertGaps(counter, t);
  }

  /** tcpdump's capture and drop counts. */
  async stop(): Promise<string> {
    return this.tcpdump.stopWithCounts();
  }
}
