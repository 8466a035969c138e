/**
 * Worker thread of the benchmark's client fleet: opens its share of the
 * feed clients and reports, per armed marker, when each of them had the
 * frame carrying it (epoch ms from performance.timeOrigin + now(): one
 * clock across threads). Frames are searched as bytes, not parsed.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { performance } from 'node:perf_hooks';
import WebSocket from 'ws';

export interface WorkerSetup {
  url: string;
  cookie: string;
  n: number;
}

export type ToWorker = { t: 'expect'; marker: string } | { t: 'close' };
export type FromWorker = { t: 'ready' } | { t: 'arrived'; times: number[] } | { t: 'error'; message: string };

const post = (m: FromWorker): void => parentPort?.postMessage(m);

async function main(s: WorkerSetup): Promise<void> {
  const sockets: WebSocket[] = [];
  let marker: Buffer | null = null;
  let times: number[] = [];
  const open = (): Promise<void> => new Promise((resolve, reject) => {
    const ws = new WebSocket(s.url, { rejectUnauthorized: false, headers: { cookie: s.cookie }, perMessageDeflate: false });
    let first = true;
    ws.on('message', (data: Buffer) => {
      if (first) {
        first = false;
        resolve();
      } else if (marker !== null && data.includes(marker)) {
        times.push(performance.timeOrigin + performance.now());
        if (times.length === sockets.length) {
          marker = null;
          post({ t: 'arrived', times });
        }
      }
    });
    ws.on('error', reject);
    sockets.push(ws);
  });
  for (let i = 0; i < s.n; i += 50) await Promise.all(Array.from({ length: Math.min(50, s.n - i) }, open));
  parentPort?.on('message', (m: ToWorker) => {
    if (m.t === 'expect') {
      times = [];
      marker = Buffer.from(m.marker);
    } else {
      sockets.forEach((w) => w.terminate());
      parentPort?.close();
    }
  });
  post({ t: 'ready' });
}

if (parentPort !== null) main(workerData as WorkerSetup).catch((err: unknown) => post({ t: 'error', message: String(err) }));
