/**
 * Lines from a cooked terminal (or a pipe), one at a time, that can be
 * paused while a child program owns the tty: paused, the stream is not read
 * at all, so what is typed goes to the child.
 */
export class LineReader {
  private buffered = '';
  private readonly lines: string[] = [];
  private waiting: ((line: string | null) => void) | null = null;
  private ended = false;

  constructor(private readonly input: NodeJS.ReadableStream) {
    input.setEncoding('utf8');
    input.on('data', (chunk: string) => {
      this.buffered += chunk;
      let nl: number;
      while ((nl = this.buffered.indexOf('\n')) !== -1) {
        this.push(this.buffered.slice(0, nl).replace(/\r$/, ''));
        this.buffered = this.buffered.slice(nl + 1);
      }
    });
    input.on('end', () => {
      if (this.buffered !== '') this.push(this.buffered);
      this.buffered = '';
      this.ended = true;
      this.push(null);
    });
    input.on('error', () => {
      this.ended = true;
      this.push(null);
    });
  }

  private push(line: string | null): void {
    const w = this.waiting;
    if (w !== null) {
      this.waiting = null;
      w(line);
    } else if (line !== null) {
      this.lines.push(line);
    }
  }

  /** The next line, or null at the end of input. */
  next(): Promise<string | null> {
    const line = this.lines.shift();
    if (line !== undefined) return Promise.resolve(line);
    if (this.ended) return Promise.resolve(null);
    this.input.resume();
    return new Promise((resolve) => (this.waiting = resolve));
  }

  /** Stop reading (a child reads the tty now). */
  pause(): void {
    this.input.pause();
  }

  resume(): void {
    this.input.resume();
  }

  /** Ctrl-C: what was typed so far on the line is dropped (the tty driver does the same). */
  dropPartial(): void {
    this.buffered = '';
  }
}
