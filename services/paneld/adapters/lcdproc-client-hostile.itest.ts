/**
 * LcdprocClient against a misbehaving server on loopback (a test peer, as
 * hbd's hostile.itest): garbage, overlong lines, replies nobody asked for, a
 * broken connect line, silence, a server that hangs up. The client never
 * throws, reports what it dropped, and keeps reconnecting.
 */
import test from 'ava';
import * as net from 'node:net';
import { LcdprocClient } from './lcdproc-client';
import { waitFor } from '../../../scripts/sim/exec';
import { isAppError } from '../../runtime/errors';

const CONNECT = 'connect LCDproc 0.5.9 protocol 0.3 lcd wid 16 hgt 2 cellwid 5 cellhgt 8\n';

/** A server whose answer to each line is decided by `answer`; returns its port and a closer. */
async function server(answer: (line: string, s: net.Socket, n: number) => void): Promise<{ port: number; close(): Promise<void>; connections(): number }> {
  let count = 0;
  const sockets = new Set<net.Socket>();
  const srv = net.createServer((s) => {
    count += 1;
    const n = count;
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
    s.on('error', () => undefined);
    let buf = '';
    s.on('data', (d) => {
      buf += d.toString();
      for (let i = buf.indexOf('\n'); i !== -1; i = buf.indexOf('\n')) {
        const line = buf.slice(0, i);
        buf = buf.slice(i + 1);
        answer(line, s, n);
      }
    });
  });
  await new Promise<void>((r) => srv.listen(0, '127.0.0.1', () => r()));
  const a = srv.address();
  const port = typeof a === 'object' && a !== null ? a.port : 0;
  return {
    port,
    connections: () => count,
    close: () => new Promise<void>((r) => {
      for (const s of sockets) s.destroy();
      srv.close(() => r());
    }),
  };
}

test('garbage, overlong and malformed lines are reported and skipped; commands still get their replies', async (t) => {
  const srv = await server((line, s) => {
    if (line === 'hello') s.write(`\n${'x'.repeat(20_000)}\nmenuevent explode\nkey\nlisten\n${CONNECT}`);
    else s.write(`listen a\nkey Up\n${line.startsWith('bogus') ? 'huh? no\n' : 'success\n'}`);
  });
  t.teardown(() => srv.close());
  const bad: string[] = [];
  const keys: string[] = [];
  const client = new LcdprocClient({ port: srv.port, backoffMs: [50] }, { onBadLine: (v) => bad.push(v.reason), onKey: (k) => keys.push(k) });
  t.teardown(() => client.stop());
  client.start();
  await waitFor('connected', () => client.connected);
  t.true(bad.includes('empty line'));
  t.true(bad.includes('line too long'));
  t.true(bad.includes('listen takes one screen id'));
  t.true(bad.some((r) => r.startsWith('menuevent')));
  t.true(bad.includes('key takes one key name'));
  t.is((await client.request('noop')).kind, 'success');
  t.true(isAppError(await t.throwsAsync(client.request('bogus')), 'LCDPROC_REFUSED'));
  t.true(keys.includes('Up'));
  t.true(client.connected);
});

test('a broken connect line, a silent server and a hang-up: errors, then reconnects', async (t) => {
  const srv = await server((line, s, n) => {
    if (n === 1 && line === 'hello') s.write('connect LCDproc 0.5.9 protocol 0.3 lcd wid 0 hgt 2 cellwid 5 cellhgt 8\nbye\n');
    else if (n === 2) return; // silent: the command times out
    else if (n === 3) s.destroy(); // hangs up mid-handshake
    else if (line === 'hello') s.write(CONNECT);
    else s.write('success\n');
  });
  t.teardown(() => srv.close());
  const errors: string[] = [];
  let connects = 0;
  const code = (e: unknown): string => (isAppError(e) ? e.code : String(e));
  const client = new LcdprocClient({ port: srv.port, backoffMs: [20], commandTimeoutMs: 300 }, {
    onError: (e) => errors.push(code(e)),
    onConnectFailed: (e) => errors.push(code(e)),
    onConnect: () => void (connects += 1),
  });
  t.teardown(() => client.stop());
  client.start();
  await waitFor('connected on the 4th try', () => client.connected, 10_000);
  t.is(connects, 1);
  t.true(srv.connections() >= 4);
  // wid 0 is dropped as a bad line, so "bye" answered hello; then the silent one timed out.
  t.true(errors.includes('LCDPROC_BAD_SERVER'), errors.join());
  t.true(errors.includes('LCDPROC_TIMEOUT'), errors.join());
});

test('bad ids are refused before anything is sent', async (t) => {
  const client = new LcdprocClient({ port: 1 });
  t.true(isAppError(t.throws(() => client.widgetSet('a b', 'w', 1, 1, 'x')), 'LCDPROC_BAD_ID'));
});
