/**
 * `ip -o monitor link address`: one line per rtnetlink event (carrier,
 * admin state, MTU, addresses added or removed by anyone). iproute2 6.1
 * ignores -j for monitor, so lines are only a trigger: the watcher re-reads
 * the state as JSON. A monitor that dies is restarted with backoff, and a
 * restart triggers a re-read, since events may have been missed meanwhile.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import type { Logger } from '../../runtime/log';

export interface MonitorHandle {
  stop(): void;
}

const BACKOFF_MS = [200, 1000, 5000];

export function startIpMonitor(onEvent: (line: string) => void, log: Logger): MonitorHandle {
  let child: ChildProcess | null = null;
  let stopped = false;
  let failures = 0;
  let timer: NodeJS.Timeout | null = null;

  const launch = (): void => {
    const started = Date.now();
    const c = spawn('ip', ['-o', 'monitor', 'link', 'address'], { stdio: ['ignore', 'pipe', 'pipe'] });
    child = c;
    let stderr = '';
    c.stderr?.on('data', (d: Buffer) => (stderr = (stderr + d.toString()).slice(-500)));
    if (c.stdout !== null) createInterface({ input: c.stdout }).on('line', (line) => onEvent(line));
    c.on('error', (err) => log.error({ err }, 'cannot run ip monitor'));
    c.on('close', (code, signal) => {
      child = null;
      if (stopped) return;
      failures = Date.now() - started > 10_000 ? 1 : failures + 1;
      const delay = BACKOFF_MS[Math.min(failures, BACKOFF_MS.length) - 1] ?? 5000;
      log.error({ code, signal, stderr: stderr.trim(), delayMs: delay }, 'ip monitor exited; restarting');
      timer = setTimeout(() => {
        timer = null;
        launch();
        onEvent('(monitor restarted)');
      }, delay);
    });
  };
  launch();
  return {
    stop: () => {
      stopped = true;
      if (timer !== null) clearTimeout(timer);
      child?.kill('SIGTERM');
    },
  };
}
