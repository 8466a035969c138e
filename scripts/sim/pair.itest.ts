/** The simulation kit builds a working pair and leaves nothing behind, even when its owner is killed. */
import test from 'ava';
import { existsSync, openSync, readSync, writeSync, closeSync } from 'node:fs';
import { spawn } from 'node:child_process';
import * as path from 'node:path';
import { SimPair, PING_NODE } from './pair';
import { cleanLeftovers, simNamespaces } from './registry';
import { isAlive, run, waitFor } from './exec';
import { repoRoot } from '../../services/runtime/cli';

test('a pair: LAN and heartbeat link pass traffic, the cable carries bytes, teardown removes all', async (t) => {
  const pair = await SimPair.create();
  t.teardown(() => pair.teardown());
  const [u1, u2] = pair.units;
  await pair.exec(u1.ns, 'ping', ['-c', '1', '-W', '2', u2.lanIp]);
  await pair.exec(u1.ns, 'ping', ['-c', '1', '-W', '2', u2.hbIp]);
  await pair.exec(u2.ns, 'ping', ['-c', '1', '-W', '2', PING_NODE]);
  // Serial: bytes written on one end come out of the other.
  const a = openSync(u1.tty, 'r+');
  const b = openSync(u2.tty, 'r+');
  writeSync(a, Buffer.from('hello'));
  const buf = Buffer.alloc(16);
  const n = readSync(b, buf, 0, 16, null);
  closeSync(a);
  closeSync(b);
  t.is(buf.subarray(0, n).toString(), 'hello');
  // The buses answer.
  await run('dbus-send', [`--bus=${u1.busAddress}`, '--print-reply', '--dest=org.freedesktop.DBus', '/org/freedesktop/DBus', 'org.freedesktop.DBus.ListNames']);
  // Cutting the heartbeat link stops traffic on it.
  await pair.setLink('hb', false);
  await t.throwsAsync(pair.exec(u1.ns, 'ping', ['-c', '1', '-W', '1', u2.hbIp]));
  await pair.unplugSerial();
  t.false(existsSync(u1.tty));
  await pair.plugSerial();
  t.true(existsSync(u1.tty));

  const proc = pair.spawnIn(u1.ns, 'sleep', ['600'], { logName: 'sleeper' });
  pair.teardown();
  // Our own child stays a zombie until reaped: wait for the exit event, bounded.
  await waitFor('sleeper to die', async () => (await Promise.race([proc.exited.then(() => true), new Promise((r) => setTimeout(() => r(false), 100))])) as boolean, 5000);
  t.false(isAlive(proc.pid), 'processes inside the namespaces are gone');
  t.deepEqual(simNamespaces().filter((ns) => ns.includes(pair.id)), []);
  t.false(existsSync(pair.dir));
});

test('leftovers of a SIGKILLed owner are cleaned by the next run', async (t) => {
  const child = spawn(process.execPath, [path.join(repoRoot(), 'dist/scripts/simkit.js'), 'up'], { stdio: ['ignore', 'pipe', 'inherit'] });
  let out = '';
  child.stdout.on('data', (d: Buffer) => (out += d.toString()));
  const info = await waitFor('simkit up', () => (out.includes('\n') ? (JSON.parse(out.split('\n')[0] ?? '') as { id: string; dir: string }) : undefined), 30_000);
  t.teardown(() => cleanLeftovers());
  t.true(simNamespaces().some((ns) => ns.includes(info.id)));
  child.kill('SIGKILL');
  await new Promise((r) => child.once('exit', r));
  t.true(simNamespaces().some((ns) => ns.includes(info.id)), 'a killed owner cannot clean up itself');
  cleanLeftovers();
  t.deepEqual(simNamespaces().filter((ns) => ns.includes(info.id)), []);
  t.false(existsSync(info.dir));
  const socats = await run('pgrep', ['-f', `socat.*${info.id}`]).then((r) => r.stdout.trim(), () => '');
  t.is(socats, '', 'no socat left');
});
