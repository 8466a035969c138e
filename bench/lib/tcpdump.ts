/**
 * A tcpdump in a namespace, line by line: the one capture tool both watchers
 * of this bench (GARPs on the LAN, adverts on the heartbeat link) use.
 * Capture times (-tt) come from the kernel, so they do not depend on how
 * late a loaded machine hands tcpdump's output to us.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import { AppError } from '../../services/runtime/errors';

const START_TIMEOUT_MS = 10_000;

export class Tcpdump {
  private stderr = '';
  private constructor(private readonly child: ChildProcess) {}

  /** Starts tcpdump in `ns` and resolves once it captures; `onLine` gets every output line. */
  static async start(ns: string, args: readonly string[], onLine: (line: string) => void): Promise<Tcpdump> {
    const child = spawn('ip', ['netns', 'exec', ns, 'tcpdump', '--immediate-mode', '-l', '-tt', '-n', ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    const t = new Tcpdump(child);
    child.on('error', () => undefined);
    createInterface({ input: child.stdout! }).on('line', onLine);
    const listening = new Promise<void>((resolve, reject) => {
      child.stderr!.on('data', (chunk: Buffer) => {
        t.stderr = (t.stderr + chunk.toString()).slice(-4000);
        if (t.stderr.includes('listening on')) resolve();
      });
      child.once('exit', (code) => reject(new AppError('TCPDUMP_FAILED', `tcpdump in ${ns} exited (${code}): ${t.stderr.trim()}`)));
      setTimeout(() => reject(new AppError('TCPDUMP_FAILED', `tcpdump in ${ns} not capturing after ${START_TIMEOUT_MS} ms: ${t.stderr.trim()}`)), START_TIMEOUT_MS).unref();
    });
    try {
      await listening;
    } catch (err) {
      t.stop();
      throw err;
    }
    return t;
  }

  get pid(): number {
    return this.child.pid ?? -1;
  }

  get alive(): boolean {
    return this.child.exitCode === null && this.child.signalCode === null;
  }

  /** tcpdump's last words, e.g. "N packets dropped by kernel" once stopped. */
  get diagnostics(): string {
    return this.stderr.trim();
  }

  stop(): void {
    if (this.alive) this.child.kill('SIGKILL');
  }

  /** SIGINT so tcpdump prints its capture/drop counts, then wait briefly. */
  async stopWithCounts(): Promise<string> {
    if (!this.alive) return this.diagnostics;
    const exited = new Promise((r) => this.child.once('exit', r));
    this.child.kill('SIGINT');
    const t = setTimeout(() => this.child.kill('SIGKILL'), 3_000);
    await exited;
    clearTimeout(t);
    return this.diagnostics;
  }
}

/** Capture time of a `tcpdump -tt` line in wall-clock ms, or undefined. */
export function lineTimeMs(line: string): number | undefined {
  const m = /^(\d+)\.(\d{6}) /.exec(line);
  return m === null ? undefined : Number(m[1]) * 1000 + Number(m[2]) / 1000;
}
