/** make demo stays working: it brings up the pair, shows one active unit, and Ctrl-C removes everything. */
import test from 'ava';
import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { repoRoot } from '../services/runtime/cli';
import { run, waitFor } from './sim/exec';
import { simNamespaces } from './sim/registry';

test('demo: two units come up (one active, one passive) and Ctrl-C cleans up', async (t) => {
  const child = spawn(process.execPath, [path.join(repoRoot(), 'dist', 'scripts', 'demo.js')], { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  child.stdout.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr.on('data', (d: Buffer) => (out += d.toString()));
  const exited = new Promise<number | null>((r) => child.once('exit', (code) => r(code)));
  t.teardown(() => child.kill('SIGKILL'));
  await waitFor(`both units on the status bar:\n${out}`, () => /u1: master active +Link +\| +u2: slave +passive Link/.test(out), 30_000);
  const id = /Simulated pair (\w+) is up/.exec(out)?.[1] ?? '';
  await waitFor(`both units' sync green:\n${out}`, () => /u1: sync green/.test(out) && /u2: sync green/.test(out), 30_000);
  t.regex(out, /hactl\.js status/, 'tells how to look');
  t.regex(out, /kill -9 \d+/, 'tells how to fail over');
  t.true(simNamespaces().some((n) => n.includes(id)));
  // The units got their addresses from nicd, which is on each unit's bus.
  for (const u of ['u1', 'u2']) {
    const names = await run('dbus-send', [`--bus=unix:path=/tmp/lbsim-${id}/${u}/bus.sock`, '--print-reply', '--dest=org.freedesktop.DBus', '/org/freedesktop/DBus', 'org.freedesktop.DBus.ListNames']);
    t.regex(names.stdout, /com\.lbos\.Nicd/);
    t.regex(names.stdout, /com\.lbos\.Hbd/);
  }
  t.regex(readFileSync(`/tmp/lbsim-${id}/u1-nicd.log`, 'utf8'), /198\.18\.0\.1\/24/);
  // The System Overview of both units answers on loopback (login page without a session).
  for (const ip of ['127.0.0.1', '127.0.0.2']) {
    const page = await run('curl', ['-sk', '--max-time', '5', `https://${ip}:9443/`]);
    t.regex(page.stdout, /<html/i, `page of ${ip}`);
  }
  t.regex(out, /https:\/\/127\.0\.0\.1:9443\/ +password \S+/);
  // Both front panels (paneld on a real LCDd each) are printed, unit 1's LCD showing it is the master.
  await waitFor(`front panels printed:\n${out}`, () => /front panels:\nu1 LCD +u2 LCD\n.*\n\|u1 +ACTIVE\| +\|u2 +STANDBY\|\n/.test(out), 30_000);
  t.regex(out, /panelctl\.js show/);
  child.kill('SIGINT');
  t.is(await exited, 0);
  t.regex(out, /Cleaned up/);
  t.deepEqual(simNamespaces().filter((n) => n.includes(id)), []);
  t.false(existsSync(`/tmp/lbsim-${id}`));
});
