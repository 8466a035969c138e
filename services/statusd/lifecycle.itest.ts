/**
 * The statusd process as systemd runs it: first start (unique password,
 * certificate, file modes), login with that password, the feed through
 * statusctl, com.lbos.Statusd on the bus, SIGTERM, a second start that
 * keeps both, statusctl passwd, --check-config.
 */
import test from 'ava';
import { spawn, type ChildProcess } from 'node:child_process';
import { chownSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import * as path from 'node:path';
import { repoRoot } from '../runtime/cli';
import { callMember, connectSystemBus, getServiceProxy } from '../runtime/dbus';
import { run, waitFor } from '../../scripts/sim/exec';
import { startOpenBus } from '../../scripts/sim/bus';
import { SystemdStandIn } from './testing/systemd-stand-in';
import { changeInitialPassword, login, request } from './testing/harness';

const MAIN = path.join(repoRoot(), 'dist', 'services', 'statusd', 'main.js');
const CTL = path.join(repoRoot(), 'dist', 'services', 'statusd', 'statusctl.js');

async function freePort(): Promise<number> {
  const srv = createServer();
  await new Promise<void>((r) => srv.listen(0, '127.0.0.1', () => r()));
  const port = (srv.address() as { port: number }).port;
  await new Promise<void>((r) => srv.close(() => r()));
  return port;
}

interface Proc {
  child: ChildProcess;
  out: () => string;
  exited: Promise<number | null>;
}

function startStatusd(conf: string, stateDir: string, busAddress: string): Proc {
  const child = spawn(process.execPath, [MAIN, '-c', conf, '--state-dir', stateDir], { env: { ...process.env, DBUS_SYSTEM_BUS_ADDRESS: busAddress, LOG_LEVEL: 'info' }, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  child.stdout?.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr?.on('data', (d: Buffer) => (out += d.toString()));
  return { child, out: () => out, exited: new Promise((r) => child.once('exit', (code) => r(code))) };
}

async function ready(p: Proc): Promise<void> {
  for (let i = 0; i < 200 && !p.out().includes('"msg":"ready"'); i++) {
    if (p.child.exitCode !== null) throw new Error(`statusd exited ${p.child.exitCode}:\n${p.out()}`);
    await new Promise((r) => setTimeout(r, 50));
  }
  if (!p.out().includes('"msg":"ready"')) throw new Error(`statusd not ready:\n${p.out()}`);
}

test('first start, login with the unit\'s password, statusctl watch, SIGTERM, second start keeps password and certificate', async (t) => {
  const dir = mkdtempSync('/tmp/statusd-life-');
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  const bus = await startOpenBus(dir);
  t.teardown(() => bus.stop());
  const sysBus = await connectSystemBus(bus.address);
  t.teardown(() => sysBus.disconnect());
  await SystemdStandIn.start(sysBus, { 'hbd.service': {}, 'statusd.service': {} });
  const [https, httpPort] = [await freePort(), await freePort()];
  const conf = path.join(dir, 'statusd.conf');
  writeFileSync(conf, `listen 127.0.0.1\nhttps_port ${https}\nhttp_port ${httpPort}\nunits hbd.service statusd.service\n`);
  const state = path.join(dir, 'state');
  const p1 = startStatusd(conf, state, bus.address);
  t.teardown(() => void p1.child.kill('SIGKILL'));
  await ready(p1);
  const pwFile = path.join(state, 'initial-password');
  const password = readFileSync(pwFile, 'utf8').trim();
  t.regex(password, /^[a-z2-9]{4}(-[a-z2-9]{4}){3}$/);
  const mode = (f: string): string => (statSync(path.join(state, f)).mode & 0o777).toString(8);
  t.deepEqual([mode('initial-password'), mode('users'), mode('tls/key.pem'), mode('tls/cert.pem')], ['600', '600', '600', '644']);
  t.false(p1.out().includes(password), 'the password is never logged');
  t.regex(p1.out(), /initial password of web user admin made/);
  const base = `https://127.0.0.1:${https}`;
  const { cookie } = await login(base, password);
  t.truthy(cookie);
  // statusctl watch with the initial password: refused until it is changed, and says how.
  const refused = await run(process.execPath, [CTL, 'watch', '--url', base, '--state-dir', state, '--json', '--count', '1']).then(() => null, (err: unknown) => err);
  t.regex(String(refused), /still the unit's initial one.*statusctl passwd/);
  // The first login changes it (the web page's way), and the statusd D-Bus API follows.
  const statusdBus = await getServiceProxy(sysBus, 'statusd');
  t.is((await statusdBus.getAll()).AdminPassword, 'initial');
  t.is(await callMember(statusdBus.iface, 'InitialPassword'), password, 'root reads the initial password (console banner, front panel)');
  await changeInitialPassword(base, password, 'the first own password');
  await waitFor('AdminPassword changed', async () => (await statusdBus.getAll()).AdminPassword === 'changed', 5000);
  await t.throwsAsync(() => callMember(statusdBus.iface, 'InitialPassword'), { message: /initial password was changed/ });
  writeFileSync(path.join(dir, 'own'), 'the first own password\n');
  // statusctl watch: pins the certificate from the state dir.
  const watch = await run(process.execPath, [CTL, 'watch', '--url', base, '--state-dir', state, '--password-file', path.join(dir, 'own'), '--json', '--count', '1']);
  const snap = JSON.parse(watch.stdout.trim()) as { t: string; state: { systemd: { units: Record<string, { active: string }> } } };
  t.is(snap.t, 'snapshot');
  t.is(snap.state.systemd.units['hbd.service']?.active, 'active');
  const statusd = await getServiceProxy(sysBus, 'statusd');
  const stats = JSON.parse(String(await callMember(statusd.iface, 'Stats'))) as { seq: number; sessions: number };
  t.true(stats.seq > 0 && stats.sessions >= 2);
  p1.child.kill('SIGTERM');
  t.is(await p1.exited, 0);
  const cert = readFileSync(path.join(state, 'tls', 'cert.pem'), 'utf8');
  const p2 = startStatusd(conf, state, bus.address);
  t.teardown(() => void p2.child.kill('SIGKILL'));
  await ready(p2);
  t.false(p2.out().includes('initial password'), 'no new password on the second start');
  t.is(readFileSync(path.join(state, 'tls', 'cert.pem'), 'utf8'), cert, 'same certificate');
  t.truthy(await login(base, 'the first own password'));
  // The console's reset (setup menu, root): a new initial password, which must be changed again.
  const reset = String(await callMember((await getServiceProxy(sysBus, 'statusd')).iface, 'ResetAdminPassword'));
  t.regex(reset, /^[a-z2-9]{4}(-[a-z2-9]{4}){3}$/);
  t.is(readFileSync(pwFile, 'utf8').trim(), reset);
  t.false(p2.out().includes(reset), 'the reset password is never logged');
  t.like((await request(base, 'POST', '/api/login', { body: { user: 'admin', password: reset } })).body, { mustChangePassword: true });
  // statusctl passwd: new password works, the old one and the initial-password file are gone.
  writeFileSync(path.join(dir, 'new'), 'a much better password\n');
  await run(process.execPath, [CTL, 'passwd', '--state-dir', state, '--password-file', path.join(dir, 'new')]);
  t.throws(() => statSync(pwFile));
  t.is((await request(base, 'POST', '/api/login', { body: { user: 'admin', password: reset } })).status, 401);
  t.truthy(await login(base, 'a much better password'));
  p2.child.kill('SIGTERM');
  t.is(await p2.exited, 0);
});

test('statusctl passwd run as root leaves the users file to the state directory\'s owner (statusd runs as its own user)', async (t) => {
  const dir = mkdtempSync('/tmp/statusd-owner-');
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  const state = path.join(dir, 'state');
  mkdirSync(state, { mode: 0o700 });
  chownSync(state, 4242, 4242);
  writeFileSync(path.join(dir, 'new'), 'a much better password\n');
  await run(process.execPath, [CTL, 'passwd', '--state-dir', state, '--password-file', path.join(dir, 'new')]);
  const st = statSync(path.join(state, 'users'));
  t.deepEqual([st.uid, st.gid, (st.mode & 0o777).toString(8)], [4242, 4242, '600']);
});

test('--check-config: every problem with file and line, exit 78', async (t) => {
  const dir = mkdtempSync('/tmp/statusd-conf-');
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  const conf = path.join(dir, 'statusd.conf');
  writeFileSync(conf, 'https_port 9443\nhttp_port 9443\nlisten nowhere\n');
  const r = await run(process.execPath, [MAIN, '--check-config', '-c', conf]).then(() => null, (e: { details: { stderr: string } }) => e.details.stderr);
  t.truthy(r);
  t.regex(r ?? '', new RegExp(`${conf}:3: listen: addresses must be IPv4 or IPv6`));
  t.regex(r ?? '', new RegExp(`${conf}:2: http_port: same port as https_port`));
  const child = spawn(process.execPath, [MAIN, '--check-config', '-c', conf], { stdio: 'ignore' });
  t.is(await new Promise((res) => child.once('exit', res)), 78);
  writeFileSync(conf, '# defaults\n');
  t.regex((await run(process.execPath, [MAIN, '--check-config', '-c', conf])).stdout, /configuration OK/);
});
