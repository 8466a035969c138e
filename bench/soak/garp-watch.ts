/**
 * Gratuitous ARPs for the VIP on the LAN bridge (tcpdump -e on br0 in the lan
 * namespace), kept with capture time and source MAC, so a trial can ask for
 * "the first GARP from this unit after the kill".
 *
 * Both forms count (RFC 5227 §3): "Request who-has VIP [(mac)] tell VIP"
 * (arping -U, send_arp) and "Reply VIP is-at MAC" (send_arp alternates);
 * nothing on this LAN ever asks for the VIP, so a reply about it is gratuitous.
 */
import { sleep } from '../../scripts/sim/exec';
import { AppError } from '../../services/runtime/errors';
import { lineTimeMs, Tcpdump } from './tcpdump';

export interface GarpEvent {
  tMs: number;
  srcMac: string;
}

const SRC = /^\d+\.\d{6} ([0-9a-f]{2}(?::[0-9a-f]{2}){5}) > /i;
const POLL_MS = 5;
const MAX_EVENTS = 100_000;

/** The GARP for `vip` in a `tcpdump -tt -n -e arp` line, or undefined. Pure. */
export function parseGarp(line: string, vip: string): GarpEvent | undefined {
  const tMs = lineTimeMs(line);
  const src = SRC.exec(line);
  if (tMs === undefined || src === null) return undefined;
  const req = /: Request who-has (\S+) (?:\([^)]*\) )?tell (\S+),/.exec(line);
  const rep = /: Reply (\S+) is-at /.exec(line);
  const ok = req !== null ? req[1] === vip && req[2] === vip : rep !== null && rep[1] === vip;
  return ok ? { tMs, srcMac: (src[1] ?? '').toLowerCase() } : undefined;
}

export class GarpWatch {
  private readonly events: GarpEvent[] = [];
  private tcpdump: Tcpdump | null = null;

  static async start(lanNs: string, vip: string): Promise<GarpWatch> {
    const w = new GarpWatch();
    w.tcpdump = await Tcpdump.start(lanNs, ['-e', '-i', 'br0', 'arp'], (line) => {
      const ev = parseGarp(line, vip);
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
