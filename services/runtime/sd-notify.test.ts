import test from 'ava';
import { mkdtempSync, rmSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import pino from 'pino';
import { createNotifier, watchdogInterval, notifySocketPath } from './sd-notify';

interface Receiver {
  bind(p: string): void;
  close(): void;
  on(ev: 'message', cb: (buf: Buffer) => void): void;
}
const unix = require('unix-dgram') as { createSocket(type: 'unix_dgram'): Receiver };

const silent = pino({ level: 'silent' });

test('messages arrive on a real NOTIFY_SOCKET datagram socket', async (t) => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'notify-'));
  const sockPath = path.join(dir, 'notify.sock');
  const rx = unix.createSocket('unix_dgram');
  const got: string[] = [];
  rx.on('message', (b) => got.push(b.toString()));
  rx.bind(sockPath);
  t.teardown(() => {
    rx.close();
    rmSync(dir, { recursive: true, force: true });
  });
  const n = createNotifier({ NOTIFY_SOCKET: sockPath }, silent);
  n.ready('up');
  n.status('3 peers');
  n.watchdog();
  n.reloading();
  n.stopping();
  for (let i = 0; i < 100 && got.length < 5; i++) await new Promise((r) => setTimeout(r, 10));
  n.close();
  t.deepEqual(got, ['READY=1\nSTATUS=up', 'STATUS=3 peers', 'WATCHDOG=1', 'RELOADING=1', 'STOPPING=1']);
});

test('without NOTIFY_SOCKET every call is a harmless no-op', (t) => {
  const n = createNotifier({}, silent);
  t.notThrows(() => {
    n.ready();
    n.watchdog();
    n.close();
  });
  t.is(n.watchdogIntervalMs, null);
});

test('watchdog interval is half of WATCHDOG_USEC and honours WATCHDOG_PID', (t) => {
  t.is(watchdogInterval({ WATCHDOG_USEC: '10000000' }, 42), 5000);
  t.is(watchdogInterval({ WATCHDOG_USEC: '10000000', WATCHDOG_PID: '42' }, 42), 5000);
  t.is(watchdogInterval({ WATCHDOG_USEC: '10000000', WATCHDOG_PID: '7' }, 42), null);
  t.is(watchdogInterval({ WATCHDOG_USEC: 'x' }, 42), null);
});

test('abstract socket names get their leading NUL', (t) => {
  t.is(notifySocketPath('@sd'), '\0sd');
  t.is(notifySocketPath('/run/systemd/notify'), '/run/systemd/notify');
  t.is(notifySocketPath(''), null);
});
