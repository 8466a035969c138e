/**
 * System figures (CPU, memory, disks, uptime, temperatures) from /proc and
 * `systeminformation`, sampled every sample_interval (5 s by default) in a
 * worker thread (adapters/system-worker.ts: what blocks stalls the worker,
 * not the feed). The worker starts one sample interval after statusd does:
 * a worker is a second V8 instance plus systeminformation, seconds of CPU on
 * an emulated or small CPU while every service is starting; the page shows
 * "No figures yet" meanwhile. A worker that dies is restarted after a
 * pause; until then the figures stay as they were.
 */
import * as path from 'node:path';
import { Worker } from 'node:worker_threads';
import type { Logger } from '../../runtime/log';
import { systemView } from '../core/system-views';
import type { Publish, StateSource } from '../ports/state-source';
import type { WorkerMessage } from './system-worker';
import { repoRoot } from '../../runtime/cli';

/** The worker's file, by its place in the tree (this code may be bundled into statusd's main.js). */
const SYSTEM_WORKER = (): string => path.join(repoRoot(), 'dist', 'services', 'statusd', 'adapters', 'system-worker.js');

const RESTART_MS = 30_000;

export class SystemSource implements StateSource {
  readonly key = 'system';
  private worker: Worker | null = null;
  private stopped = false;
  private restart: NodeJS.Timeout | null = null;
  private readonly warned = new Set<string>();

  /** `firstDelayMs`: when the worker starts (default: one sample interval after start()). */
  constructor(private readonly intervalMs: number, private readonly log: Logger, private readonly firstDelayMs = intervalMs) {}

  async start(publish: Publish): Promise<void> {
    this.restart = setTimeout(() => this.spawn(publish), this.firstDelayMs);
    this.restart.unref();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.restart !== null) clearTimeout(this.restart);
    await this.worker?.terminate();
    this.worker = null;
  }

  private spawn(publish: Publish): void {
    if (this.stopped) return;
    const w = new Worker(SYSTEM_WORKER(), {
      workerData: { intervalMs: this.intervalMs },
      resourceLimits: { maxOldGenerationSizeMb: 32 },
    });
    this.worker = w;
    w.unref();
    w.on('message', (m: WorkerMessage) => {
      for (const what of m.failed) {
        if (!this.warned.has(what)) this.log.warn({ what }, 'system figure unavailable');
        this.warned.add(what);
      }
      publish([this.key], systemView(m.sample));
    });
    w.on('error', (err) => this.log.error({ err }, 'system figures worker failed'));
    w.on('exit', (code) => {
      if (this.stopped || this.worker !== w) return;
      this.worker = null;
      this.log.warn({ code, restartMs: RESTART_MS }, 'system figures worker exited; restarting');
      this.restart = setTimeout(() => this.spawn(publish), RESTART_MS);
      this.restart.unref();
    });
  }
}
