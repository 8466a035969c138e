/**
 * Watches the simulated LAN for gratuitous ARPs: one tcpdump on br0 in the
 * lan namespace for the whole benchmark, every GARP for the VIP kept with its
 * capture time and source MAC. Trials then ask "first GARP from this MAC
 * after this instant". Capture time comes from the kernel, so it does not
 * depend on when tcpdump's output reaches us.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import { AppError } from '../../services/runtime/errors';
import { sleep } from '../../scripts/sim/exec';
import { parseGarpLine, type GarpEvent } from './garp-line';

/** How long tcpdump may take to open br0. */
const START_TIMEOUT_MS = 10_000;
/** Poll period while waiting for a GARP; the capture time, not this, is the measurement. */
const POLL_MS = 5;
/** Kept events; a run sees a few thousand at most. */
const MAX_EVENTS = 100_000;

export class GarpWatch {
  private readonly events: GarpEvent[] = [];
  private stderr = '';

  private constructor(private readonly child: ChildProcess) {}

  /** Starts tcpdump in `lanNs` on br0 and resolves once it is capturing. */
  static async start(lanNs: string, vip: string): Promise<GarpWatch> {
    const child = spawn('ip', ['netns', 'exec', lanNs, 'tcpdump', '--immediate-mode', '-l', '-tt', '-n', '-e', '-i', 'br0', 'arp'], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const w = new GarpWatch(child);
    createInterface({ input: child.stdout! }).on('line', (line) => {
      const ev = parseGarpLine(line, vip);
      if (ev !== undefined && w.events.length < MAX_EVENTS) w.events.push(ev);
    });
    const listening = new Promise<void>((resolve, reject) => {
      child.stderr!.on('data', (chunk: Buffer) => {
        w.stderr += chunk.toString();
        if (w.stderr.includes('listening on')) resolve();
      });
      child.once('exit', (code) => reject(new AppError('GARP_WATCH_FAILED', `tcpdump exited (${code}): ${w.stderr.trim()}`)));
      setTimeout(() => reject(new AppError('GARP_WATCH_FAILED', `tcpdump not capturing after ${START_TIMEOUT_MS} ms: ${w.stderr.trim()}`)), START_TIMEOUT_MS).unref();
    });
    try {
      await listening;
    } catch (err) {
      w.stop();
      throw err;
    }
    return w;
  }

  /** First GARP from `mac` captured after `afterMs`, or undefined when none came within `timeoutMs`. */
  async firstFrom(mac: string, afterMs: number, timeoutMs: number): Promise<GarpEvent | undefined> {
    const end = Date.now() + timeoutMs;
    for (;;) {
      const ev = this.events.find((e) => e.srcMac === mac && e.tMs > afterMs);
      if (ev !== undefined) return ev;
      if (this.child.exitCode !== null) throw new AppError('GARP_WATCH_FAILED', `tcpdump died: ${this.stderr.trim()}`);
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

  stop(): void {
    if (this.child.exitCode === null && this.child.signalCode === null) this.child.kill('SIGKILL');
  }
}
