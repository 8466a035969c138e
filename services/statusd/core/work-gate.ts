/**
 * At most `concurrent` jobs at once, at most `queued` more waiting (FIFO);
 * beyond that a job is refused at once instead of piling up. statusd runs
 * its scrypt checks through one: each holds 16 MiB (N=16384, r=8) and a
 * libuv thread for tens of ms, and four at once (libuv's pool) took RSS
 * from 62 to 140 MB under a login flood.
 */
export class WorkGate {
  private running = 0;
  private readonly waiting: (() => void)[] = [];

  constructor(private readonly concurrent: number, private readonly queued: number) {}

  /** Run `job` when a slot is free; null (job not run) when the queue is full. */
  async run<T>(job: () => Promise<T>): Promise<T | null> {
    if (this.running >= this.concurrent) {
      if (this.waiting.length >= this.queued) return null;
      await new Promise<void>((resolve) => this.waiting.push(resolve));
    } else this.running++;
    try {
      return await job();
    } finally {
      // Hand the slot straight to the next in line (running stays the same), or free it.
      const next = this.waiting.shift();
      if (next !== undefined) next();
      else this.running--;
    }
  }

  get active(): number {
    return this.running;
  }

  get pending(): number {
    return this.waiting.length;
  }
}
