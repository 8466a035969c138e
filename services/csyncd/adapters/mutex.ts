/**
 * One async lock around everything that reads-decides-writes a service's
 * files and metadata (an incoming push, a save, recording a sync). Network
 * waits never happen while it is held, so two units pushing to each other at
 * once cannot deadlock.
 */
export class Mutex {
  private tail: Promise<void> = Promise.resolve();

  async run<T>(fn: () => Promise<T>): Promise<T> {
    let release: () => void = () => undefined;
    const prev = this.tail;
    this.tail = new Promise<void>((r) => (release = r));
    await prev;
    try {
      return await fn();
    } finally {
      release();
    }
  }
}
