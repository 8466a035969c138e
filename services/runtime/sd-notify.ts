/**
 * sd_notify(3) without libsystemd: datagrams to $NOTIFY_SOCKET.
 * Node has no AF_UNIX SOCK_DGRAM, hence the small `unix-dgram` addon.
 * With no NOTIFY_SOCKET (a shell, a test, the demo) every call is a no-op.
 */
import type { Logger } from './log';

/** What a service tells its supervisor. */
export interface Notifier {
  ready(status?: string): void;
  status(text: string): void;
  stopping(status?: string): void;
  reloading(): void;
  watchdog(): void;
  /** Half of WATCHDOG_USEC in ms, or null when systemd set no watchdog for us. */
  readonly watchdogIntervalMs: number | null;
  close(): void;
}

interface DgramSocket {
  send(buf: Buffer, offset: number, length: number, path: string, cb?: (err?: Error) => void): void;
  close(): void;
  on(event: 'error', cb: (err: Error) => void): void;
}

export function createNotifier(env: NodeJS.ProcessEnv, log: Logger): Notifier {
  const path = notifySocketPath(env.NOTIFY_SOCKET);
  const watchdogIntervalMs = watchdogInterval(env);
  let sock: DgramSocket | null = null;
  if (path !== null) {
    const unix = require('unix-dgram') as { createSocket(type: 'unix_dgram'): DgramSocket };
    sock = unix.createSocket('unix_dgram');
    sock.on('error', (err) => log.warn({ err }, 'sd_notify socket error'));
  }
  const send = (text: string): void => {
    if (sock === null || path === null) return;
    const buf = Buffer.from(text);
    sock.send(buf, 0, buf.length, path, (err) => {
      if (err) log.warn({ err, text }, 'sd_notify send failed');
    });
  };
  return {
    ready: (status) => send(status === undefined ? 'READY=1' : `READY=1\nSTATUS=${status}`),
    status: (text) => send(`STATUS=${text}`),
    stopping: (status) => send(status === undefined ? 'STOPPING=1' : `STOPPING=1\nSTATUS=${status}`),
    reloading: () => send('RELOADING=1'),
    watchdog: () => send('WATCHDOG=1'),
    watchdogIntervalMs,
    close: () => {
      sock?.close();
      sock = null;
    },
  };
}

/** `@name` means the abstract namespace (leading NUL). */
export function notifySocketPath(value: string | undefined): string | null {
  if (value === undefined || value === '') return null;
  return value.startsWith('@') ? `\0${value.slice(1)}` : value;
}

/** Ping at half the timeout, as sd_watchdog_enabled(3) recommends; honour WATCHDOG_PID. */
export function watchdogInterval(env: NodeJS.ProcessEnv, pid = process.pid): number | null {
  const usec = Number(env.WATCHDOG_USEC);
  if (!Number.isFinite(usec) || usec <= 0) return null;
  if (env.WATCHDOG_PID !== undefined && Number(env.WATCHDOG_PID) !== pid) return null;
  return Math.max(1, Math.floor(usec / 2000));
}
