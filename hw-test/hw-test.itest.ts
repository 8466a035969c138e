/**
 * hw-test end to end, as `make hw-test` runs it: the real CLI builds the
 * simulated rig (veth in namespaces, socat pty pair with an echo peer, loop
 * disk, real LCDd under tmux, LED tree) and tests it; a rig broken on
 * purpose must fail exactly the matching checks, in the terminal, the JSON
 * and the JUnit report; nothing of the rig is left afterwards.
 */
import test from 'ava';
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { runSync, waitFor } from '../scripts/sim/exec';
import type { RunReport } from './report/model';
import { loopsUnder } from './rig/extras';

const MAIN = path.join(__dirname, 'main.js');
const SRC = path.resolve(__dirname, '../../hw-test');

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
  report?: RunReport;
  junit?: string;
}

/** `input`: what the technician types (stdin is then closed); 'open': stdin stays open with nothing typed. */
function hwTest(args: string[], onLine?: (line: string, child: ReturnType<typeof spawn>) => void, input?: string): Promise<Run> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'hwt-report-'));
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [MAIN, '--report-dir', dir, ...args], { stdio: ['pipe', 'pipe', 'pipe'], env: { ...process.env, HW: '' } });
    if (input === 'open') child.stdin.write('');
    else child.stdin.end(input ?? '');
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => {
      const text = d.toString();
      stdout += text;
      for (const l of text.split('\n')) if (l !== '') onLine?.(l, child);
    });
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('exit', (code) => {
      const files = existsSync(dir) ? readdirSync(dir) : [];
      const json = files.find((f) => f.endsWith('.json'));
      const xml = files.find((f) => f.endsWith('.xml'));
      const r: Run = { code, stdout, stderr };
      if (json !== undefined) r.report = JSON.parse(readFileSync(path.join(dir, json), 'utf8')) as RunReport;
      if (xml !== undefined) r.junit = readFileSync(path.join(dir, xml), 'utf8');
      rmSync(dir, { recursive: true, force: true });
      resolve(r);
    });
  });
}

/** Nothing of rig `id` may remain: namespaces, directory, loop devices, processes. */
function assertRigGone(t: import('ava').ExecutionContext, id: string): void {
  const ns = runSync('ip', ['netns', 'list']);
  t.false(ns.includes(`lbsim-${id}-`), `namespaces of rig ${id} left: ${ns}`);
  t.false(existsSync(`/tmp/lbsim-${id}`), 'rig directory left');
  t.deepEqual(loopsUnder(`/tmp/lbsim-${id}`), [], 'loop devices left');
  const ps = runSync('ps', ['-eo', 'args']);
  t.false(ps.includes(`/tmp/lbsim-${id}/`), 'rig processes left');
}

const rigId = (r: Run): string => /simulated rig lbsim-([0-9a-f]+)/.exec(r.stdout)?.[1] ?? 'none';
const byId = (r: Run): Map<string, RunReport['checks'][number]> => new Map((r.report?.checks ?? []).map((c) => [c.id, c]));

test('the simulated rig passes: every rig-backed check passes, the rest skips with a reason; reports agree', async (t) => {
  const r = await hwTest(['--hw', 'sim']);
  t.is(r.code, 0, r.stdout + r.stderr);
  const rep = r.report;
  if (rep === undefined) return t.fail('no JSON report');
  t.like(rep, { format: 1, mode: 'sim', unit: { model: 'LBOS-SIM', serial: `SIM-${rigId(r)}` }, profile: { kind: 'sim' } });
  t.is(rep.summary.fail, 0);
  const checks = byId(r);
  const mustPass = [
    'nic.p0.link', 'nic.p1.link', 'nic.p2.link', 'nic.p3.link', 'nic.p0-p1.traffic', 'nic.p2-p3.traffic',
    'serial.ttyS0.9600', 'serial.ttyS0.19200', 'serial.ttyS0.38400', 'serial.ttyS0.57600', 'serial.ttyS0.115200',
    'disk.disk0.present', 'disk.disk0.read', 'memory.size', 'cpu.count',
    'panel.lcd.connect', 'panel.lcd.pattern', 'panel.keys', 'led.lbos:green:status', 'led.lbos:amber:fault', 'led.lbos:green:ha',
  ];
  for (const id of mustPass) t.is(checks.get(id)?.status, 'pass', `${id}: ${checks.get(id)?.reason}`);
  for (const c of rep.checks.filter((x) => x.status === 'skip')) t.true(c.reason.length > 10, `${c.id} skipped without a reason`);
  t.like(checks.get('nic.p0-p1.traffic')?.measurements, { packets_sent: 100, packets_received: 100, loss_pct: 0, bytes_received: 8 * 2 ** 20 });
  t.like(checks.get('serial.ttyS0.115200')?.measurements, { frames_sent: 20, frames_matched: 20, errors: 0 });
  t.like(checks.get('panel.keys')?.measurements, { keys: 'Up,Down,Enter,Escape', missed: '' });
  t.regex(r.junit ?? '', /<testsuites name="hw-test LBOS-SIM SIM-[0-9a-f]+" tests="\d+" failures="0"/);
  t.notRegex(r.junit ?? '', /<failure /);
  t.regex(r.stdout, /PASSED: \d+ passed, 0 failed, \d+ skipped/);
  assertRigGone(t, rigId(r));
});

const FAULTS = 'nic-down:p1,serial-mute,no-lcdd,led-missing:lbos:amber:fault';
const EXPECTED_FAILURES: Record<string, RegExp> = {
  'nic.p0.link': /^p0 has no link \(no carrier\)/,
  'nic.p1.link': /^p1 is administratively down/,
  'nic.p0-p1.traffic': /^p0 has no link: traffic not sent over p0 <-> p1 \(see nic\.p0\.link\)$/,
  'serial.ttyS0.9600': /at 9600 baud: no echo: 3 frame\(s\) sent, nothing came back \(loopback plug missing or peer not echoing\)$/,
  'serial.ttyS0.19200': /at 19200 baud: no echo/,
  'serial.ttyS0.38400': /at 38400 baud: no echo/,
  'serial.ttyS0.57600': /at 57600 baud: no echo/,
  'serial.ttyS0.115200': /at 115200 baud: no echo/,
  'panel.lcd.connect': /^no answer from LCDd at 127\.0\.0\.1:\d+: .*ECONNREFUSED.*\(is LCDd running\?/,
  'panel.lcd.pattern': /^no connection to LCDd \(see panel\.lcd\.connect\)$/,
  'panel.keys': /^no connection to LCDd \(see panel\.lcd\.connect\)$/,
  'led.lbos:amber:fault': /^LED lbos:amber:fault missing under \/tmp\/lbsim-[0-9a-f]+\/leds/,
};

test('a broken rig (port down, mute serial peer, no LCDd, LED missing) fails exactly the matching checks, with reasons, in JSON and JUnit', async (t) => {
  const r = await hwTest(['--hw', 'sim', '--sim-fault', FAULTS]);
  t.is(r.code, 1, r.stderr);
  const rep = r.report;
  if (rep === undefined) return t.fail('no JSON report');
  const failed = rep.checks.filter((c) => c.status === 'fail');
  t.deepEqual(failed.map((c) => c.id).sort(), Object.keys(EXPECTED_FAILURES).sort());
  for (const c of failed) t.regex(c.reason, EXPECTED_FAILURES[c.id] ?? /^$/, c.id);
  const checks = byId(r);
  t.is(checks.get('nic.p2-p3.traffic')?.status, 'pass', 'the other cable still passes');
  t.is(checks.get('led.lbos:green:status')?.status, 'pass');
  t.like(checks.get('serial.ttyS0.9600')?.measurements, { frames_sent: 3, frames_matched: 0, frames_lost: 3, errors: 3 });
  t.like(rep.summary, { fail: 12 });
  const junit = r.junit ?? '';
  t.is(junit.match(/<failure /g)?.length, 12);
  for (const id of Object.keys(EXPECTED_FAILURES)) t.regex(junit, new RegExp(`name="${id.replace(/[.]/g, '\\.')}" time="[\\d.]+">\\n\\s+<failure message="`), id);
  t.regex(junit, /<testsuite name="serial" tests="5" failures="5"/);
  t.regex(r.stdout, /FAILED: \d+ passed, 12 failed/);
  t.regex(r.stdout, /Failed:\n {2}nic\.p0\.link: p0 has no link/);
  assertRigGone(t, rigId(r));
});

test('a port with link that passes no traffic fails only its cable\'s traffic check, with the loss figures', async (t) => {
  const r = await hwTest(['--hw', 'sim', '--only', 'nic', '--sim-fault', 'nic-deaf:p3']);
  t.is(r.code, 1, r.stderr);
  const failed = (r.report?.checks ?? []).filter((c) => c.status === 'fail');
  t.deepEqual(failed.map((c) => [c.id, c.reason]), [['nic.p2-p3.traffic', 'no traffic passes p2 <-> p3: 0 of 100 packets came back (cable, port or link down)']]);
  t.like(failed[0]?.measurements, { packets_sent: 100, packets_received: 0, loss_pct: 100 });
  t.is(r.report?.summary.pass, 5);
  assertRigGone(t, rigId(r));
});

test('SIGTERM in the middle of a run removes the rig', async (t) => {
  // The run waits on the technician's first answer: a point in the middle of a run, whatever the machine's speed.
  let id = '';
  let signalled = false;
  const r = await hwTest(['--hw', 'sim', '--interactive', '--only', 'serial,led'], (line, child) => {
    id ||= /simulated rig lbsim-([0-9a-f]+)/.exec(line)?.[1] ?? '';
    if (!signalled && line.includes('?? Is LED')) {
      signalled = true;
      child.kill('SIGTERM');
    }
  }, 'open');
  t.true(signalled, r.stdout);
  t.is(r.code, 143, r.stderr);
  t.regex(r.stdout, /PASS serial\.ttyS0\.115200/);
  t.regex(r.stderr, /stopped by SIGTERM; the rig was removed/);
  t.is(r.report, undefined);
  await waitFor('rig gone', () => !existsSync(`/tmp/lbsim-${id}`), 5000);
  assertRigGone(t, id);
});

test('kill -9 leaves the rig behind; the next run\'s cleanup removes namespaces, processes, loop devices and files', async (t) => {
  let id = '';
  let killed = false;
  await hwTest(['--hw', 'sim', '--interactive', '--only', 'disk,led'], (line, child) => {
    id ||= /simulated rig lbsim-([0-9a-f]+)/.exec(line)?.[1] ?? '';
    if (!killed && line.includes('?? Is LED')) {
      killed = true;
      child.kill('SIGKILL');
    }
  }, 'open');
  t.true(killed);
  const leftBehind = { namespaces: runSync('ip', ['netns', 'list']).includes(`lbsim-${id}-`), loops: loopsUnder(`/tmp/lbsim-${id}`).length, dir: existsSync(`/tmp/lbsim-${id}`) };
  t.deepEqual(leftBehind, { namespaces: true, loops: 1, dir: true }, 'a SIGKILLed run cannot clean up after itself');
  // What every run does first, and hw-test --clean.
  const clean = await hwTest(['--clean']);
  t.is(clean.code, 0, clean.stderr);
  t.regex(clean.stdout, /hw-test: removed \d+ leftover rig\(s\) and \d+ loop-device record\(s\)/);
  assertRigGone(t, id);
});

test('--interactive: the technician\'s answers decide; a "no" fails the step with what was not seen', async (t) => {
  const r = await hwTest(['--hw', 'sim', '--interactive', '--only', 'led.lbos:green:status,led.lbos:green:ha'], undefined, 'y\ny\nn\nyes\ny\ny\n');
  t.is(r.code, 1, r.stderr);
  t.regex(r.stdout, /\?\? Is LED lbos:green:status lit\? \[y\/n\] y\n/);
  const checks = byId(r);
  t.like(checks.get('led.lbos:green:status'), { status: 'fail', reason: 'LED lbos:green:status: blink: technician: not blinking', measurements: { on_seen: true, blink_seen: false, blink_read_back_ok: false } });
  t.like(checks.get('led.lbos:green:ha'), { status: 'pass', reason: 'on, off and blink read back and seen' });
  t.true(r.report?.interactive);
});

test('a bad profile stops the run before anything is built, with file:line problems (exit 78)', async (t) => {
  const r = await hwTest(['--hw', 'sim', '--profile', path.join(SRC, 'profile/__fixtures__/bad.profile')]);
  t.is(r.code, 78);
  t.regex(r.stderr, /hw-test: .*bad\.profile:2: kind: "physcal" is not one of physical, virtual, sim/);
  t.regex(r.stderr, /bad\.profile:14: moddel: unknown directive \(did you mean model\?\)/);
  t.is(r.report, undefined);
});
