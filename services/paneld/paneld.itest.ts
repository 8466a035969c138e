/**
 * paneld as it runs on the appliance: the real paneld process, the real LCDd
 * (text driver: frames read from its output; curses under tmux: keys with
 * send-keys), a private dbus-daemon with the shipped policy, and hbd, nicd
 * and csyncd stand-ins exported with those services' own D-Bus code (and a
 * stand-in of statusd's web admin password members).
 */
import test, { type ExecutionContext } from 'ava';
import * as fs from 'node:fs/promises';
import * as os from 'node:os';
import * as path from 'node:path';
import { startPrivateBus } from '../../scripts/sim/bus';
import { POLICY_FILE } from '../../scripts/sim/pair';
import { PaneldUnit, PANELCTL_MAIN, PANELD_MAIN, SIM_LEDS } from '../../scripts/sim/paneld-unit';
import { spawn } from 'node:child_process';
import { run, waitFor } from '../../scripts/sim/exec';
import { HBD_ACTIVE, StandIns, interfaces } from '../../scripts/sim/stand-ins';
import type { MessageBus } from '../runtime/dbus';
import { ledFiles } from './testing/led-tree';
import { StatusdPasswordStandIn } from './testing/statusd-stand-in';

interface Rig {
  unit: PaneldUnit;
  stand: StandIns;
  dir: string;
  /** The stand-ins' bus connections: drop one and its service is gone. */
  conns: MessageBus[];
}

async function rig(t: ExecutionContext, opts: { driver: 'text' | 'curses'; width: number; height: number; services?: boolean; eth0?: string[]; statusdPassword?: string }): Promise<Rig & { statusd: StatusdPasswordStandIn | null; busAddress: string }> {
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'paneld-it-'));
  await fs.chmod(dir, 0o755);
  t.teardown(() => fs.rm(dir, { recursive: true, force: true }));
  const bus = await startPrivateBus(dir, POLICY_FILE());
  t.teardown(() => bus.stop());
  const stand = new StandIns(bus.address);
  t.teardown(() => stand.stop());
  const conns = opts.services === false ? [] : [await stand.startHbd(), await stand.startNicd(opts.eth0), await stand.startCsyncd()];
  const statusd = opts.statusdPassword === undefined ? null : await StatusdPasswordStandIn.start(bus.address, opts.statusdPassword);
  if (statusd !== null) t.teardown(() => statusd.stop());
  // Debug: not even a debug line may hold the password.
  const unit = await PaneldUnit.start(null, { name: 'it', dir, busAddress: bus.address }, { driver: opts.driver, width: opts.width, height: opts.height, conf: ['hostname lb1'], logLevel: 'debug' });
  t.teardown(() => unit.stop());
  return { unit, stand, dir, conns, statusd, busAddress: bus.address };
}

/** paneld's Status() JSON, as dbus-send prints it. */
async function callStatus(busAddress: string): Promise<string> {
  const r = await run('dbus-send', ['--system', '--print-reply', '--dest=com.lbos.Paneld', '/com/lbos/Paneld', 'com.lbos.Paneld1.Status'], { env: { ...process.env, DBUS_SYSTEM_BUS_ADDRESS: busAddress } });
  return r.stdout;
}

/** The display shows `want` (rows compared without trailing blanks; missing rows are empty). */
const rowsAre = (want: string[]) => (rows: string[]): boolean => rows.every((r, k) => r.trimEnd() === (want[k] ?? ''));

test('20x4: hostname and HA badge, address, HA state and link, sync; panelctl shows the same', async (t) => {
  const { unit } = await rig(t, { driver: 'text', width: 20, height: 4 });
  const want = ['lb1           ACTIVE', 'IP 192.168.2.21/24', 'HA Master Active Lnk', 'Sync green'];
  await unit.lcd.waitForFrame(rowsAre(want));
  const shown = await unit.shown();
  t.deepEqual((shown.Lcd as string[]).map((r) => r.trimEnd()), want);
  t.is(shown.LcdSize, '20x4');
  t.true(shown.LcdConnected);
  t.regex(await unit.panelctl('show'), /\|lb1 {11}ACTIVE\|\n\|IP 192\.168\.2\.21\/24 {2}\|/);
  // panelctl key: the menu without a keypad.
  await unit.panelctl('key', 'Enter');
  await unit.lcd.waitForFrame(rowsAre(['>Show addresses', ' Version', ' Uptime', ' Set IP address']));
  t.is((await unit.shown()).Mode, 'menu');
  await unit.panelctl('key', 'Escape');
  await unit.lcd.waitForFrame(rowsAre(want));
  const bad = await unit.panelctl('key', 'Space').then(() => null, (err: unknown) => err as Error);
  t.regex(bad?.message ?? '', /which key\? \(Up Down Left Right Enter Escape\)/);
});

test('16x2: the pages turn, each with the hostname', async (t) => {
  const { unit } = await rig(t, { driver: 'text', width: 16, height: 2 });
  for (const want of [['lb1       ACTIVE', '192.168.2.21/24'], ['lb1       ACTIVE', 'Master Link'], ['lb1       ACTIVE', 'Sync green']]) {
    t.deepEqual((await unit.lcd.waitForFrame(rowsAre(want))).map((r) => r.trimEnd()), want);
  }
});

test('an alert replaces the normal screen and goes when the cause does; LEDs follow (healthy, degraded, active, fault)', async (t) => {
  const { unit, stand, dir, conns } = await rig(t, { driver: 'text', width: 20, height: 4 });
  const leds = async (): Promise<string[]> => Promise.all(SIM_LEDS.map(async (l) => {
    const f = await ledFiles(path.join(dir, 'leds'), l);
    return f.trigger === 'timer' ? `blink ${f.delay_on}/${f.delay_off}` : f.brightness === '0' ? 'off' : `on ${f.brightness}`;
  }));
  await unit.lcd.waitForFrame((r) => r[0]?.startsWith('lb1') === true);
  await waitFor('healthy LEDs', async () => (await leds()).join() === 'on 255,on 255,off', 10_000, 100);
  t.deepEqual(await leds(), ['on 255', 'on 255', 'off'], 'healthy: status steady, HA on (active), no fault');

  stand.hbd?.update({ PeerStatus: 'dead', Links: [] });
  await unit.lcd.waitForFrame(rowsAre(['! Peer lost', 'lb2 not heard', '', 'IP 192.168.2.21/24']));
  await waitFor('degraded LEDs', async () => (await leds()).join() === 'blink 500/500,on 255,off', 10_000, 100);
  t.deepEqual((await unit.shown()).Alerts, [['warn', 'Peer lost', 'lb2 not heard']]);

  stand.hbd?.update({ State: 'passive', Role: 'slave', PeerStatus: 'up', Links: HBD_ACTIVE.Links });
  await unit.lcd.waitForFrame(rowsAre(['lb1          STANDBY', 'IP 192.168.2.21/24', 'HA Slave Passive Lnk', 'Sync green']));
  await waitFor('standby LEDs', async () => (await leds()).join() === 'on 255,off,off', 10_000, 100);

  await stand.stopService(conns[0]!);
  await unit.lcd.waitForFrame(rowsAre(['! HA service down', 'hbd is not running', '', 'IP 192.168.2.21/24']));
  await waitFor('fault LEDs', async () => (await leds()).join() === 'blink 500/500,off,on 255', 10_000, 100);
  t.deepEqual((await unit.shown()).Alerts, [['fault', 'HA service down', 'hbd is not running']]);
  t.deepEqual(((await unit.shown()).Leds as string[][]).map((l) => `${l[0]}=${l[2]}`), ['status=blink', 'ha=off', 'fault=on']);
});

test('LCDd killed -9 and restarted: paneld reconnects and the screen comes back', async (t) => {
  const { unit } = await rig(t, { driver: 'text', width: 20, height: 4 });
  const want = ['lb1           ACTIVE', 'IP 192.168.2.21/24', 'HA Master Active Lnk', 'Sync green'];
  await unit.lcd.waitForFrame(rowsAre(want));
  await unit.lcd.kill();
  await waitFor('paneld notices', async () => (await unit.shown()).LcdConnected === false, 10_000, 100);
  await unit.lcd.launch();
  await unit.lcd.waitForFrame(rowsAre(want), 30_000);
  t.true((await unit.shown()).LcdConnected);
});

test('banner: IPv4 + IPv6 with URLs, then no address yet', async (t) => {
  const { unit, stand } = await rig(t, { driver: 'text', width: 20, height: 4, eth0: ['192.168.2.21/24', '2001:db8:2::21/64', 'fe80::5054:ff:fe00:1/64'] });
  const banner = (): Promise<string> => fs.readFile(unit.bannerFile, 'utf8').catch(() => '');
  await waitFor('banner with both URLs', async () => (await banner()).includes('https://[2001:db8:2::21]:9443/'), 10_000, 100);
  const b = await banner();
  t.regex(b, /^LBOS \S+ - load-balancer appliance \(lb1\)\n/);
  t.true(b.includes('  Web UI:        https://192.168.2.21:9443/\n                 https://[2001:db8:2::21]:9443/\n'));
  t.true(b.includes('  HA:            master active, peer lb2 up\n'));
  t.true(b.includes('log in as "setup"'));
  t.false(b.includes('[fe80'));
  stand.nicd?.update({ Interfaces: interfaces([]) });
  // Each change of the banner tells agetty to print it again (it watches /run/agetty.reload's times).
  const touched = (await fs.stat(unit.agettyReload)).mtimeMs;
  await waitFor('banner without address', async () => (await banner()).includes('eth0: no address yet'), 10_000, 100);
  await waitFor('agetty told to print the banner again', async () => (await fs.stat(unit.agettyReload)).mtimeMs > touched, 5000, 50);
  t.true((await banner()).includes('  Web UI:        not reachable yet (no address): set one up as below\n'));
  await unit.lcd.waitForFrame((r) => r[1]?.trimEnd() === 'eth0 no address yet');
  t.is(await unit.panelctl('banner'), (await unit.shown()).Banner as string);
});

test('keys (curses driver): walk the menu, set the IP through nicd with confirm and keep', async (t) => {
  const { unit, stand } = await rig(t, { driver: 'curses', width: 20, height: 4 });
  await unit.lcd.waitForFrame(rowsAre(['lb1           ACTIVE', 'IP 192.168.2.21/24', 'HA Master Active Lnk', 'Sync green']));
  await unit.lcd.pressKey('Enter');
  await unit.lcd.waitForFrame(rowsAre(['>Show addresses', ' Version', ' Uptime', ' Set IP address']));
  await unit.lcd.pressKey('Enter');
  await unit.lcd.waitForFrame(rowsAre(['Addresses', '192.168.2.21/24']));
  await unit.lcd.pressKey('Escape');
  for (let k = 0; k < 3; k++) await unit.lcd.pressKey('Down');
  await unit.lcd.waitForFrame(rowsAre([' Show addresses', ' Version', ' Uptime', '>Set IP address']));
  await unit.lcd.pressKey('Enter');
  await unit.lcd.waitForFrame(rowsAre(['IP address', '192.168.002.021', '^', 'Ent=next Esc=back']));
  // 192.168.002.021 -> 192.168.002.025: to the last digit, up four times.
  for (let k = 0; k < 11; k++) await unit.lcd.pressKey('Right');
  for (let k = 0; k < 4; k++) await unit.lcd.pressKey('Up');
  await unit.lcd.waitForFrame(rowsAre(['IP address', '192.168.002.025', '              ^', 'Ent=next Esc=back']));
  await unit.lcd.pressKey('Enter');
  await unit.lcd.waitForFrame(rowsAre(['Prefix length', '192.168.2.25/24', '             ^', 'Ent=next Esc=back']));
  await unit.lcd.pressKey('Enter');
  await unit.lcd.pressKey('Enter');
  await unit.lcd.waitForFrame(rowsAre(['Set eth0 to', '192.168.2.25/24?', '', 'Enter=yes Esc=no']));
  t.is(stand.nicdCalls.applied.length, 0, 'nothing applied before the confirm step');
  await unit.lcd.pressKey('Enter');
  await unit.lcd.waitForFrame((r) => r[0]?.trimEnd() === 'New settings live.');
  t.is(stand.nicdCalls.applied.length, 1);
  t.is(stand.nicdCalls.applied[0]?.timeoutSec, 120);
  t.regex(stand.nicdCalls.applied[0]?.text ?? '', /interface eth0\n {4}address 192\.168\.2\.25\/24\n {4}gateway 192\.168\.2\.1\n/);
  t.is(stand.nicdCalls.confirms, 0);
  await unit.lcd.pressKey('Enter');
  await unit.lcd.waitForFrame((r) => r.join(' ').includes('Kept:'));
  t.is(stand.nicdCalls.confirms, 1);
  await unit.lcd.pressKey('Escape');
  await unit.lcd.pressKey('Escape');
  await unit.lcd.waitForFrame(rowsAre(['lb1           ACTIVE', 'IP 192.168.2.25/24', 'HA Master Active Lnk', 'Sync green']));
});

test('keys: standby through hbd only after the confirm step', async (t) => {
  const { unit, stand } = await rig(t, { driver: 'curses', width: 16, height: 2 });
  await unit.lcd.waitForFrame((r) => r[0]?.startsWith('lb1') === true);
  await unit.lcd.pressKey('Enter');
  for (let k = 0; k < 5; k++) await unit.lcd.pressKey('Down');
  await unit.lcd.waitForFrame(rowsAre([' Set gateway', '>Go standby']));
  await unit.lcd.pressKey('Enter');
  await unit.lcd.waitForFrame(rowsAre(['Go standby?', 'Enter=yes Esc=no']));
  t.deepEqual(stand.hbdCalls, []);
  await unit.lcd.pressKey('Enter');
  await unit.lcd.waitForFrame(rowsAre(['Going standby', '(press any key)']));
  t.deepEqual(stand.hbdCalls, ['standby']);
});

test('40x2: two rows packed with the main facts', async (t) => {
  const { unit } = await rig(t, { driver: 'text', width: 40, height: 2 });
  await unit.lcd.waitForFrame(rowsAre(['lb1 ACTIVE  IP 192.168.2.21/24', 'HA Master Active Link  Sync green']));
  t.is((await unit.shown()).LcdSize, '40x2');
});

test('SIGHUP reload applies a new config, refuses a bad one; a missing LED is reported once; --check-config exits 78', async (t) => {
  const { unit, dir } = await rig(t, { driver: 'text', width: 20, height: 4 });
  await unit.lcd.waitForFrame((r) => r[0] === 'lb1           ACTIVE');
  const conf = await fs.readFile(unit.confFile, 'utf8');
  const map = path.join(dir, 'missing.conf');
  await fs.writeFile(map, 'status sim:green:status\nha sim:blue:nope\n');
  await fs.writeFile(unit.confFile, conf.replace('hostname lb1', 'hostname lb9').replace(/led_model .*/, `led_model ${map}`));
  unit.proc?.child.kill('SIGHUP');
  await unit.lcd.waitForFrame((r) => r[0] === 'lb9           ACTIVE');
  await waitFor('missing LED on D-Bus', async () => JSON.stringify((await unit.shown()).Leds).includes('"missing"'), 10_000, 100);
  t.deepEqual(((await unit.shown()).Leds as string[][]).map((l) => l.slice(0, 3)), [['status', 'sim:green:status', 'on'], ['ha', 'sim:blue:nope', 'missing']]);

  await fs.writeFile(unit.confFile, conf.replace(/page_interval .*/, 'page_interval 0.1s'));
  unit.proc?.child.kill('SIGHUP');
  await waitFor('refusal logged', async () => /"message":"0\.1s is out of range[^"]*"[^\n]*reload refused/.test(await fs.readFile(unit.proc?.logFile ?? '', 'utf8')), 10_000, 100);
  t.is(unit.proc?.child.exitCode, null, 'still running');
  await unit.lcd.waitForFrame((r) => r[0] === 'lb9           ACTIVE');
  const log = await fs.readFile(unit.proc?.logFile ?? '', 'utf8');
  t.is(log.split('\n').filter((l) => l.includes('LED missing')).length, 1, 'one log line for the missing LED');

  const r = await new Promise<number | null>((resolve) => {
    const c = spawn(process.execPath, [PANELD_MAIN(), '--check-config', '-c', unit.confFile], { stdio: 'ignore' });
    c.once('exit', (code) => resolve(code));
  });
  t.is(r, 78);
});

test('keys (16x2): set the gateway, then undo at the keep step: nicd rolls back', async (t) => {
  const { unit, stand } = await rig(t, { driver: 'curses', width: 16, height: 2 });
  await unit.lcd.waitForFrame((r) => r[0]?.startsWith('lb1') === true);
  await unit.lcd.pressKey('Enter');
  for (let k = 0; k < 4; k++) await unit.lcd.pressKey('Down');
  await unit.lcd.waitForFrame(rowsAre(['>Set gateway', ' Go standby']));
  await unit.lcd.pressKey('Enter');
  await unit.lcd.waitForFrame(rowsAre(['192.168.002.001', '^             GW']));
  for (let k = 0; k < 11; k++) await unit.lcd.pressKey('Right');
  await unit.lcd.pressKey('Up');
  await unit.lcd.pressKey('Enter');
  await unit.lcd.waitForFrame(rowsAre(['GW 192.168.2.2?', 'Enter=yes Esc=no']));
  await unit.lcd.pressKey('Enter');
  await unit.lcd.waitForFrame((r) => r[0]?.startsWith('Keep new?') === true);
  t.regex(stand.nicdCalls.applied[0]?.text ?? '', /interface eth0\n {4}address 192\.168\.2\.21\/24\n {4}gateway 192\.168\.2\.2\n/);
  await unit.lcd.pressKey('Escape');
  await unit.lcd.waitForFrame(rowsAre(['Undone: the old', '(press any key)']));
  t.deepEqual([stand.nicdCalls.confirms, stand.nicdCalls.rollbacks], [0, 1]);
});

test('web UI password: on the banner (0600) and the LCD while initial, never on D-Bus or in the log; a reset is followed; then "changed" (0644); none without statusd', async (t) => {
  const first = 'abcd-efgh-jkmn-pqrs';
  const { unit, statusd, busAddress } = await rig(t, { driver: 'text', width: 20, height: 4, statusdPassword: first });
  const banner = (): Promise<string> => fs.readFile(unit.bannerFile, 'utf8').catch(() => '');
  const mode = async (): Promise<number> => (await fs.stat(unit.bannerFile)).mode & 0o777;
  await waitFor('the password on the banner', async () => (await banner()).includes(first), 10_000, 100);
  t.true((await banner()).includes(`  Web UI login:  admin / ${first}  (initial password: you will be asked to change it)\n`));
  t.is(await mode(), 0o600, 'the banner holding the password is root\'s only');
  const shown = await unit.shown();
  t.true((shown.Banner as string).includes('  Web UI login:  admin / (on the console)  (initial password'));
  t.is(await unit.panelctl('banner'), shown.Banner as string);

  // The keypad's "Web password" (Enter, Up twice: the item above "Exit menu").
  for (const k of ['Enter', 'Up', 'Up', 'Enter']) await unit.panelctl('key', k);
  await unit.lcd.waitForFrame(rowsAre(['Web password', 'User admin', first, 'Change at 1st login']));
  const lcdShown = await unit.shown();
  t.deepEqual((lcdShown.Lcd as string[]).map((r) => r.trimEnd()), ['Web password', 'User admin', '(shown on the panel)', '']);
  const status = await run(process.execPath, [PANELCTL_MAIN(), 'show', '--json'], { env: { ...process.env, DBUS_SYSTEM_BUS_ADDRESS: busAddress } });
  t.false(status.stdout.includes(first));
  const dump = (await callStatus(busAddress));
  t.false(dump.includes(first), 'Status() does not hold it');
  t.true(dump.includes('initial-hidden'));
  await unit.panelctl('key', 'Escape');
  await unit.panelctl('key', 'Escape');

  // Reset from the console while still initial: AdminPassword does not change; paneld asks again (10 s).
  const second = statusd?.reset('wxyz-2345-6789-abcd') ?? '';
  statusd?.tick(1);
  await waitFor('the new password on the banner', async () => (await banner()).includes(second), 20_000, 200);
  t.false((await banner()).includes(first));

  statusd?.changed();
  await waitFor('"changed" on the banner', async () => (await banner()).includes('password changed by the administrator'), 10_000, 100);
  t.true((await banner()).includes('  Web UI login:  admin, password changed by the administrator (to reset it: log in here as "setup")\n'));
  t.false((await banner()).includes(second));
  t.is(await mode(), 0o644);

  statusd?.stop();
  await waitFor('no login line without statusd', async () => !(await banner()).includes('Web UI login:'), 10_000, 100);
  const log = await fs.readFile(unit.proc?.logFile ?? '', 'utf8');
  t.regex(log, /showing the web UI's initial password/);
  for (const p of [first, second]) t.false(log.includes(p), 'the log never holds the password');
});
