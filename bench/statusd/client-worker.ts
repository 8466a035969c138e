/**
 * Worker thread of the benchmark's client fleet: opens its share of the
 * feed clients and reports, per armed marker, when each of them had the
 * frame carrying it (epoch ms from performance.timeOrigin + now(): one
 * clock across threads). Each client is a TLS socket upgraded by hand with
 * a minimal frame reader (frames.ts) that answers pings: the load generator
 * shares the machine's 2 cores with statusd, so it does as little as a
 * client can. Frames are searched as bytes, not parsed.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { performance } from 'node:perf_hooks';
import type { TLSSocket } from 'node:tls';
import { feedSocket } from '../../services/statusd/testing/harness';
import { clientFrame, FrameReader, OP_CLOSE, OP_PING, OP_PONG, OP_TEXT } from './frames';

export interface WorkerSetup {
  base: string;
  cookie: string;
  n: number;
}

export type ToWorker = { t: 'expect'; marker: string } | { t: 'close' };
export type FromWorker = { t: 'ready' } | { t: 'arrived'; times: number[] } | { t: 'error'; message: string };

const post = (m: FromWorker): void => parentPort?.postMessage(m);

async function main(s: WorkerSetup): Promise<void> {
  const sockets: TLSSocket[] = [];
  let marker: Buffer | null = null;
  let times: number[] = [];
  const onText = (payload: Buffer): void => {
    if (marker === null || !payload.includes(marker)) return;
    times.push(performance.timeOrigin + performance.now());
    if (times.length === sockets.length) {
      marker = null;
      post({ t: 'arrived', times });
    }
  };
  const open = async (): Promise<void> => {
    const { socket, rest } = await feedSocket(s.base, s.cookie);
    sockets.push(socket);
    const reader = new FrameReader();
    let first = true;
    await new Promise<void>((resolve, reject) => {
      const onBytes = (chunk: Buffer): void => {
        let frames;
        try {
          frames = reader.push(chunk);
        } catch (err) {
          socket.destroy();
          reject(err instanceof Error ? err : new Error(String(err)));
          return;
        }
        for (const f of frames) {
          if (f.opcode === OP_PING) socket.write(clientFrame(OP_PONG, f.payload));
          else if (f.opcode === OP_CLOSE) reject(new Error(`feed closed by statusd: ${f.payload.subarray(2).toString()}`));
          else if (f.opcode === OP_TEXT && first) {
            first = false; // the snapshot
            resolve();
          } else if (f.opcode === OP_TEXT) onText(f.payload);
        }
      };
      socket.on('data', onBytes);
      socket.once('close', () => reject(new Error('feed socket closed before the snapshot')));
      socket.resume();
      if (rest.length > 0) onBytes(rest);
    });
  };
  for (let i = 0; i < s.n; i += 50) await Promise.all(Array.from({ length: Math.min(50, s.n - i) }, open));
  parentPort?.on('message', (m: ToWorker) => {
    if (m.t === 'expect') {
      times = [];
      marker = Buffer.from(m.marker);
    } else {
      sockets.forEach((x) => x.destroy());
      parentPort?.close();
    }
  });
  post({ t: 'ready' });
}

if (parentPort !== null) main(workerData as WorkerSetup).catch((err: unknown) => post({ t: 'error', message: String(err) }));
