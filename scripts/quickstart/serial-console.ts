/**
 * A unit's serial console as a person at it sees it: QEMU's ttyS0 on a unix
 * socket (a chardev server), everything it prints kept (and written to the
 * console log), lines typed into it. `expect` waits for a pattern in what
 * arrived after the last match, with a bound; on a timeout it says what the
 * console showed last.
 */
import { appendFileSync } from 'node:fs';
import * as net from 'node:net';

export class SerialConsole {
  private text = '';
  /** Where the next expect starts looking. */
  private mark = 0;
  private waiters: (() => void)[] = [];
  /** Lines and keys typed, for the benchmark's count of what a person types. */
  typed = 0;

  private constructor(private readonly socket: net.Socket, readonly name: string, private readonly log: string) {
    socket.on('data', (d: Buffer) => {
      // Strip what a terminal would interpret (colours, cursor moves): patterns match the text.
      const s = d.toString('utf8').replace(/\x1b\[[0-9;?]*[A-Za-z]/g, '').replace(/\r/g, '');
      this.text += s;
      appendFileSync(this.log, s);
      for (const w of this.waiters.splice(0)) w();
    });
    socket.on('error', () => undefined);
  }

  /** Connect to QEMU's console socket (retried while QEMU creates it). */
  static async open(path: string, name: string, log: string, timeoutMs = 30_000): Promise<SerialConsole> {
    const end = Date.now() + timeoutMs;
    for (;;) {
      try {
        const socket = await new Promise<net.Socket>((resolve, reject) => {
          const s = net.connect(path, () => resolve(s));
          s.once('error', reject);
        });
        return new SerialConsole(socket, name, log);
      } catch (err) {
        if (Date.now() > end) throw new Error(`${name}: console socket ${path}: ${String(err)}`);
        await new Promise((r) => setTimeout(r, 200));
      }
    }
  }

  /** Wait for `re` in what came since the last match; returns the match. */
  async expect(re: RegExp, timeoutMs: number, what: string): Promise<RegExpExecArray> {
    const end = Date.now() + timeoutMs;
    for (;;) {
      const rest = this.text.slice(this.mark);
      const m = re.exec(rest);
      if (m !== null) {
        this.mark += m.index + m[0].length;
        return m;
      }
      const left = end - Date.now();
      if (left <= 0) throw new Error(`${this.name}: no ${what} on the console within ${Math.round(timeoutMs / 1000)} s; it showed last:\n${rest.slice(-1500)}`);
      await new Promise<void>((resolve) => {
        const t = setTimeout(resolve, Math.min(left, 1000));
        this.waiters.push(() => {
          clearTimeout(t);
          resolve();
        });
      });
    }
  }

  /** The last match of `re` in everything the console showed (a banner printed again, whenever). */
  lastMatch(re: RegExp): RegExpExecArray | null {
    const g = new RegExp(re.source, re.flags.includes('g') ? re.flags : `${re.flags}g`);
    let last: RegExpExecArray | null = null;
    for (let m = g.exec(this.text); m !== null; m = g.exec(this.text)) last = m;
    return last;
  }

  /** Type a line (Enter at the end), as a person does. */
  type(line: string): void {
    this.typed += 1;
    this.socket.write(`${line}\r`);
  }

  /** Everything the console showed since `from` (an earlier length). */
  since(from: number): string {
    return this.text.slice(from);
  }

  get length(): number {
    return this.text.length;
  }

  close(): void {
    this.socket.destroy();
  }
}
