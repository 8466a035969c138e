/**
 * hbd as systemd runs it: bad configs refused with file and line (exit 78),
 * authkeys readable by others and files others may write refused (with the
 * chmod/chown to run), missing resource scripts named, sd_notify on a real NOTIFY_SOCKET,
 * clean stop releasing the VIP, stale VIPs removed before joining.
 */
import test from 'ava';
import { chmodSync, chownSync, copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { spawnSync } from 'node:child_process';
import { HbdPair, FAST, logsOfLastPair } from '../../scripts/sim/hbd-pair';
import { HBD_MAIN } from '../../scripts/sim/hbd-unit';
import { run, waitFor, sleep } from '../../scripts/sim/exec';
import { VIP } from '../../scripts/sim/pair';
import { repoRoot } from '../runtime/cli';

test.afterEach.always((t) => {
  if (!t.passed) t.log(logsOfLastPair());
});

const FIX = path.join(repoRoot(), 'services', 'hbd', 'config', '__fixtures__');

function configDir(t: { teardown(fn: () => void): void }, haCf: string, authMode = 0o600): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'hbd-cfg-'));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  copyFileSync(path.join(FIX, haCf), path.join(dir, 'ha.cf'));
  chmodSync(path.join(dir, 'ha.cf'), 0o644);
  writeFileSync(path.join(dir, 'haresources'), 'lbmaster IPaddr2::192.168.2.100/24/eth0\n', { mode: 0o644 });
  writeFileSync(path.join(dir, 'authkeys'), 'auth 1\n1 sha256 a-long-enough-pair-secret\n');
  chmodSync(path.join(dir, 'authkeys'), authMode);
  return dir;
}

const hbd = (...args: string[]) => spawnSync(process.execPath, [HBD_MAIN(), ...args], { encoding: 'utf8', env: { ...process.env, DBUS_SYSTEM_BUS_ADDRESS: 'unix:path=/nonexistent' } });

test('--check-config accepts a Loadbalancer.org-style ha.cf and lists what it ignores', (t) => {
  const dir = configDir(t, 'ha.cf.lbo');
  const r = hbd('--check-config', '-c', dir, '--node', 'lbmaster');
  t.is(r.status, 0, r.stderr);
  t.regex(r.stdout, /configuration OK/);
  t.regex(r.stdout, /ha\.cf:\d+: logfacility: ignored/);
});

test('a bad ha.cf: exit 78, every problem with file and line, nothing touched', (t) => {
  const dir = configDir(t, 'ha.cf.bad-directives');
  for (const args of [['--check-config', '-c', dir, '--node', 'lbmaster'], ['-c', dir, '--node', 'lbmaster']]) {
    const r = hbd(...args);
    t.is(r.status, 78);
    t.regex(r.stderr, new RegExp(`${dir}/ha.cf:3: bcast: .*ucast`));
    t.regex(r.stderr, /ha\.cf:\d+: keepalvie: unknown directive.*keepalive/);
    t.regex(r.stderr, /ha\.cf:\d+: deadtime: .*line/);
    t.true(r.stderr.split('\n').filter(Boolean).length >= 8, 'all problems at once');
  }
});

test('--check-config reports once: one line per problem on stderr, nothing on stdout; a good config prints its warnings and OK only', (t) => {
  const bad = hbd('--check-config', '-c', configDir(t, 'ha.cf.bad-directives'), '--node', 'lbmaster');
  t.is(bad.status, 78);
  t.is(bad.stdout, '', 'no log line besides the report');
  const lines = bad.stderr.split('\n').filter(Boolean);
  t.true(lines.every((l) => l.startsWith('hbd: ') && l.includes('ha.cf:')), bad.stderr);
  t.is(new Set(lines).size, lines.length, 'no problem reported twice');
  const good = hbd('--check-config', '-c', configDir(t, 'ha.cf.lbo'), '--node', 'lbmaster');
  t.is(good.status, 0);
  t.is(good.stderr, '');
  const out = good.stdout.split('\n').filter(Boolean);
  t.is(out.filter((l) => !l.startsWith('warning: ')).join('|'), 'hbd: configuration OK');
});

test('contradictory timings are refused with the rule that is broken', (t) => {
  const r = hbd('--check-config', '-c', configDir(t, 'ha.cf.bad-timing'), '--node', 'alpha');
  t.is(r.status, 78);
  t.regex(r.stderr, /warntime/);
  t.regex(r.stderr, /deadtime/);
});

test('authkeys readable by group or others: refuses to start, like Heartbeat', (t) => {
  const r = hbd('-c', configDir(t, 'ha.cf.lbo', 0o644), '--node', 'lbmaster');
  t.is(r.status, 78);
  t.regex(r.stderr, /authkeys: .*(mode|readable)/);
});

test('lax file modes: exit 78 naming each file and the chmod/chown that fixes it', (t) => {
  const dir = configDir(t, 'ha.cf.lbo');
  chmodSync(path.join(dir, 'ha.cf'), 0o666);
  chmodSync(path.join(dir, 'authkeys'), 0o640);
  chownSync(path.join(dir, 'haresources'), 1000, 1000);
  for (const args of [['--check-config'], []]) {
    const r = hbd(...args, '-c', dir, '--node', 'lbmaster');
    t.is(r.status, 78, r.stderr);
    t.true(r.stderr.includes(`${dir}/ha.cf: mode 0666 lets group and others write it; run: chmod 644 ${dir}/ha.cf`), r.stderr);
    t.true(r.stderr.includes(`${dir}/authkeys: mode 0640 lets group read it (a secret: only its owner may read it); run: chmod 600 ${dir}/authkeys`), r.stderr);
    t.true(r.stderr.includes(`${dir}/haresources: owned by uid 1000, not root; run: chown root:root ${dir}/haresources`), r.stderr);
  }
});

test('a misspelt IP agent, the example secret and a 10 MB junk line: each refused, quoted short', (t) => {
  const dir = configDir(t, 'ha.cf.lbo');
  writeFileSync(path.join(dir, 'haresources'), 'lbmaster IPqddr2::192.168.2.100/24/eth0\n');
  writeFileSync(path.join(dir, 'authkeys'), 'auth 3\n3 sha256 a-long-random-secret\n');
  const r = hbd('--check-config', '-c', dir, '--node', 'lbmaster');
  t.is(r.status, 78);
  t.regex(r.stderr, /haresources: IPqddr2: no resource script "IPqddr2" .*did you mean IPaddr2/);
  t.regex(r.stderr, /authkeys:2: 3: this is the example secret from the documentation/);
  // haresources is read once ha.cf names the nodes: the junk line gets a run of its own.
  writeFileSync(path.join(dir, 'ha.cf'), `${readFileSync(path.join(FIX, 'ha.cf.lbo'), 'utf8')}${'x'.repeat(10 * 1024 * 1024)}\n`);
  const junk = hbd('--check-config', '-c', dir, '--node', 'lbmaster');
  t.is(junk.status, 78);
  const lines = junk.stderr.split('\n').filter(Boolean);
  t.true(lines.some((l) => /ha\.cf:\d+: line is 10485760 characters long \(at most 4096\); it starts "x{80}"\.\.\.$/.test(l)), junk.stderr.slice(0, 2000));
  t.true(lines.every((l) => l.length < 400), 'no line echoes the junk');
});

test('a resource script that exists is accepted; one that others may write is refused', (t) => {
  const dir = configDir(t, 'ha.cf.lbo');
  mkdirSync(path.join(dir, 'resource.d'));
  const script = path.join(dir, 'resource.d', 'lbos-test-res');
  writeFileSync(script, '#!/bin/sh\nexit 0\n', { mode: 0o755 });
  chmodSync(script, 0o755);
  writeFileSync(path.join(dir, 'haresources'), 'lbmaster IPaddr2::192.168.2.100/24/eth0 lbos-test-res::arg\n');
  t.is(hbd('--check-config', '-c', dir, '--node', 'lbmaster').status, 0);
  chmodSync(script, 0o777);
  const r = hbd('--check-config', '-c', dir, '--node', 'lbmaster');
  t.is(r.status, 78);
  t.true(r.stderr.includes(`${script}: mode 0777 lets group and others write it; run: chmod 755 ${script}`), r.stderr);
});

test('missing files and an unknown node name are named', (t) => {
  const dir = configDir(t, 'ha.cf.lbo');
  rmSync(path.join(dir, 'haresources'));
  const r = hbd('--check-config', '-c', dir, '--node', 'nosuchnode');
  t.is(r.status, 78);
  t.regex(r.stderr, /haresources: file not found/);
  t.regex(r.stderr, /nosuchnode/);
});

test('usage errors exit 64; --help and --version exit 0', (t) => {
  t.is(hbd('--bogus').status, 64);
  const help = hbd('--help');
  t.is(help.status, 0);
  t.regex(help.stdout, /--check-config/);
  t.regex(hbd('--version').stdout, /^hbd \(LBOS\) \d+\.\d+\.\d+/);
});

interface Receiver {
  bind(p: string): void;
  close(): void;
  on(ev: 'message', cb: (buf: Buffer) => void): void;
}

test('sd_notify: READY, STATUS and WATCHDOG while running, STOPPING and the VIP released on SIGTERM', async (t) => {
  const hp = await HbdPair.start(FAST);
  t.teardown(() => hp.stop());
  await hp.waitStates('active', 'passive');
  await hp.hbd[0].stop();
  await hp.waitVip(['u2'], 5000);
  // Run u1's hbd by hand with a notify socket, as systemd would.
  const unix = require('unix-dgram') as { createSocket(type: 'unix_dgram'): Receiver };
  const sockPath = path.join(hp.pair.dir, 'notify.sock');
  const rx = unix.createSocket('unix_dgram');
  const got: string[] = [];
  rx.on('message', (b) => got.push(b.toString()));
  rx.bind(sockPath);
  t.teardown(() => rx.close());
  const proc = hp.pair.spawnIn(hp.u1.ns, process.execPath, [HBD_MAIN(), '-c', hp.dirs[0], '--node', 'u1', '--state-dir', path.join(hp.u1.dir, 'hbd-state')], {
    env: { DBUS_SYSTEM_BUS_ADDRESS: hp.u1.busAddress, NOTIFY_SOCKET: sockPath, WATCHDOG_USEC: '400000' },
    logName: 'u1-hbd-notify',
  });
  await waitFor('READY=1', () => got.some((m) => m.startsWith('READY=1')), 10_000);
  await waitFor('two watchdog pings', () => got.filter((m) => m === 'WATCHDOG=1').length >= 2, 5000);
  t.true(got.some((m) => /^STATUS=master (init|passive|active)/m.test(m)), got.join(' | '));
  // auto_failback is off: u2 keeps the VIP; make u1 active so its stop has something to release.
  await hp.call(0, 'Takeover');
  await hp.waitVip(['u1'], 5000);
  const code = await proc.stop();
  t.is(code, 0);
  t.true(got.some((m) => m.startsWith('STOPPING=1')));
  t.false((await hp.vipHolders()).includes('u1'), 'a clean stop releases the VIP');
  await hp.waitVip(['u2'], 5000);
});

test('config warnings are published: Warnings on D-Bus and in hactl status (one medium, no ping node)', async (t) => {
  const hp = await HbdPair.start({ ...FAST, serial: false });
  t.teardown(() => hp.stop());
  await hp.waitStates('active', 'passive');
  const warnings = (await hp.props(0)).Warnings as [string, string][];
  const single = warnings.find(([code]) => code === 'SINGLE_MEDIUM_NO_PING');
  t.regex(single?.[1] ?? '', /ha\.cf:\d+: ucast: one heartbeat medium \(ucast eth1\) and no ping node/, JSON.stringify(warnings));
  t.true(warnings.some(([code, m]) => code === 'CONFIG_WARNING' && /logfacility: ignored/.test(m)), 'warnings without a code of their own are published too');
  const hactl = path.join(repoRoot(), 'dist', 'services', 'hbd', 'hactl.js');
  const env = { ...process.env, DBUS_SYSTEM_BUS_ADDRESS: hp.u1.busAddress };
  t.regex((await run(process.execPath, [hactl, 'status'], { env })).stdout, /^warnings:\n(?: {2}.*\n)* {2}SINGLE_MEDIUM_NO_PING: .*no ping node/m);
  const json = JSON.parse((await run(process.execPath, [hactl, 'status', '--json'], { env })).stdout) as { warnings: { code: string }[] };
  t.true(json.warnings.some((w) => w.code === 'SINGLE_MEDIUM_NO_PING'));
});

test('a VIP left by a crashed run is removed before the unit joins', async (t) => {
  const hp = await HbdPair.start(FAST, { startU2AfterMs: 0 });
  t.teardown(() => hp.stop());
  await hp.waitStates('active', 'passive');
  await hp.hbd[0].stop(); // no restart; u2 takes over
  await hp.waitVip(['u2'], 5000);
  await run('ip', ['-n', hp.u1.ns, 'addr', 'add', `${VIP}/24`, 'dev', 'eth0']); // what kill -9 without ExecStopPost leaves
  t.deepEqual(await hp.vipHolders(), ['u1', 'u2']);
  hp.hbd[0].start();
  await hp.waitVip(['u2'], 5000);
  await sleep(500);
  t.regex(readFileSync(path.join(hp.pair.dir, 'u1-hbd.log'), 'utf8'), /removing a stale floating IP/);
  t.deepEqual(await hp.vipHolders(), ['u2']);
});
