/**
 * The receiving end of sd_notify(3) for the simulation's supervisor: an
 * AF_UNIX datagram socket at a file path (reachable from the units' network
 * namespaces, unlike an abstract one), whose messages are KEY=VALUE lines
 * (READY=1, STOPPING=1, STATUS=...). Node has no AF_UNIX SOCK_DGRAM, so this
 * uses the `unix-dgram` addon the services already send with
 * (services/runtime/sd-notify.ts).
 */
import { mkdirSync, rmSync } from 'node:fs';
import * as path from 'node:path';

interface Receiver {
  bind(path: string): void;
  close(): void;
  on(event: 'message', cb: (buf: Buffer) => void): void;
  on(event: 'error', cb: (err: Error) => void): void;
}

/** One datagram's assignments, e.g. { READY: '1', STATUS: 'running' }. */
export type NotifyMessage = Record<string, string>;

export function parseNotify(text: string): NotifyMessage {
  const out: NotifyMessage = {};
  for (const line of text.split('\n')) {
    const eq = line.indexOf('=');
    if (eq > 0) out[line.slice(0, eq)] = line.slice(eq + 1);
  }
  return out;
}

export interface NotifySocket {
  /** The value for the service's NOTIFY_SOCKET. */
  path: string;
  close(): void;
}

/** Bind a datagram socket at `file` (replacing a stale one); `onMessage` gets each datagram. */
export function openNotifySocket(file: string, onMessage: (m: NotifyMessage) => void): NotifySocket {
  mkdirSync(path.dirname(file), { recursive: true });
  rmSync(file, { force: true });
  const unix = require('unix-dgram') as { createSocket(type: 'unix_dgram'): Receiver };
  const sock = unix.createSocket('unix_dgram');
  let bindError: Error | null = null;
  sock.on('error', (err) => (bindError = err));
  sock.on('message', (buf) => onMessage(parseNotify(buf.toString('utf8'))));
  sock.bind(file);
  if (bindError !== null) {
    sock.close();
    throw bindError;
  }
  let open = true;
  return {
    path: file,
    close: () => {
      if (!open) return;
      open = false;
      sock.close();
      rmSync(file, { force: true });
    },
  };
}
