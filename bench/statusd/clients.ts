/**
 * The benchmark's feed clients: N WebSocket clients over TLS on loopback
 * (statusd's https:// base URL; the workers upgrade /feed themselves),
 * sharing one login, spread over worker threads (client-worker.ts) so that
 * one single-threaded client loop does not become what is measured. Each
 * change is timed from the D-Bus emit to the arrival at every client, all
 * on one clock (performance.timeOrigin + performance.now()).
 */
import * as path from 'node:path';
import { Worker } from 'node:worker_threads';
import type { FromWorker, ToWorker, WorkerSetup } from './client-worker';

export class ClientFleet {
  private constructor(private readonly workers: Worker[]) {}

  /** Open `n` clients over `threads` workers; resolves when all have their snapshot. */
  static async open(base: string, cookie: string, n: number, threads = 2): Promise<ClientFleet> {
    const shares = Array.from({ length: Math.min(threads, n) }, (_, i) => Math.floor(n / threads) + (i < n % threads ? 1 : 0));
    const workers = shares.map((share) => new Worker(path.join(__dirname, 'client-worker.js'), { workerData: { base, cookie, n: share } satisfies WorkerSetup }));
    const fleet = new ClientFleet(workers);
    try {
      await Promise.all(workers.map((w) => fleet.next(w, 'ready', 120_000)));
    } catch (err) {
      await fleet.close();
      throw err;
    }
    return fleet;
  }

  private next(w: Worker, want: FromWorker['t'], timeoutMs: number): Promise<FromWorker> {
    return new Promise((resolve, reject) => {
      const t = setTimeout(() => reject(new Error(`client worker: no ${want} in ${timeoutMs} ms`)), timeoutMs);
      const on = (m: FromWorker): void => {
        if (m.t === 'error') reject(new Error(m.message));
        else if (m.t !== want) return;
        else resolve(m);
        clearTimeout(t);
        w.off('message', on);
      };
      w.on('message', on);
    });
  }

  /**
   * Arm every client for one change; the promise gives each client's arrival
   * time (epoch ms) once all have the frame that contains `marker`.
   */
  async expect(marker: string, timeoutMs = 10_000): Promise<{ arrived: Promise<number[]> }> {
    const arrivals = this.workers.map((w) => this.next(w, 'arrived', timeoutMs));
    arrivals.forEach((p) => p.catch(() => undefined));
    for (const w of this.workers) w.postMessage({ t: 'expect', marker } satisfies ToWorker);
    await new Promise((r) => setTimeout(r, 5)); // the workers have armed before the change is made
    // Wrapped: an async function would wait for a promise it returns.
    return { arrived: Promise.all(arrivals).then((ms) => ms.flatMap((m) => (m.t === 'arrived' ? m.times : []))) };
  }

  async close(): Promise<void> {
    for (const w of this.workers) w.postMessage({ t: 'close' } satisfies ToWorker);
    await Promise.all(this.workers.map((w) => w.terminate()));
  }
}
