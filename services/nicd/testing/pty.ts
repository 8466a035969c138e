/**
 * A program on a real pseudo-terminal, driven like an operator at a serial
 * console: util-linux `script` allocates the pty and copies our bytes to its
 * master side, so the line discipline echoes, turns Enter (\r) into a line,
 * ^D into end of input and ^C into SIGINT, exactly as on a getty.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { sleep } from '../../../scripts/sim/exec';

const shellQuote = (s: string): string => `'${s.replaceAll("'", "'\\''")}'`;

export class PtySession {
  output = '';
  /** Where the next expect() starts looking. */
  private mark = 0;
  readonly exited: Promise<number | null>;

  private constructor(private readonly child: ChildProcess) {
    child.stdout?.on('data', (d: Buffer) => (this.output += d.toString()));
    child.stderr?.on('data', (d: Buffer) => (this.output += d.toString()));
    this.exited = new Promise((resolve) => child.once('exit', (code) => resolve(code)));
  }

  static start(argv: string[], env: NodeJS.ProcessEnv): PtySession {
    const child = spawn('script', ['-qfec', argv.map(shellQuote).join(' '), '/dev/null'], { stdio: ['pipe', 'pipe', 'pipe'], env: { ...env, TERM: 'dumb' } });
    return new PtySession(child);
  }

  /** The screen text with the terminal's \r\n as \n. */
  get text(): string {
    return this.output.replaceAll('\r\n', '\n');
  }

  /** Wait until `what` shows up after the previous match; returns the text up to it. */
  async expect(what: string | RegExp, timeoutMs = 10_000): Promise<string> {
    const end = Date.now() + timeoutMs;
    for (;;) {
      const rest = this.text.slice(this.mark);
      const m = typeof what === 'string' ? (rest.includes(what) ? { index: rest.indexOf(what), len: what.length } : null) : ((r) => (r === null ? null : { index: r.index, len: r[0].length }))(what.exec(rest));
      if (m !== null) {
        this.mark += m.index + m.len;
        return rest.slice(0, m.index + m.len);
      }
      if (Date.now() > end) throw new Error(`timed out waiting for ${String(what)}; screen so far:\n${this.text}`);
      await sleep(20);
    }
  }

  /** Type a line and press Enter. */
  line(text: string): void {
    this.child.stdin?.write(`${text}\r`);
  }

  ctrlD(): void {
    this.child.stdin?.write('\x04');
  }

  ctrlC(): void {
    this.child.stdin?.write('\x03');
  }

  async close(): Promise<void> {
    if (this.child.exitCode === null && this.child.signalCode === null) {
      this.child.kill('SIGKILL');
      await this.exited;
    }
  }
}
