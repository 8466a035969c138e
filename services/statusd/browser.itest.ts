/**
 * In a real browser: headless Chromium (in the kit's LAN namespace) on the
 * System Overview of both units of a simulated pair running hbd. Log in with
 * each unit's own generated password, see Master Active Link / Slave Passive
 * Link, kill -9 u1's hbd, and time u2's page from hbd's PropertiesChanged
 * (seen by the test on u2's bus) to the DOM change (seen in the page).
 * Then freeze statusd: the page must show the feed as lost, and resume.
 */
import test from 'ava';
import { mkdirSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import type { Page } from 'playwright-core';
import { busNamesOf, callMember, connectSystemBus, exportObject, getServiceProxy, ownName } from '../runtime/dbus';
import { startNicd } from '../../scripts/sim/nicd-unit';
import { HbdPair, FAST, logsOfLastPair } from '../../scripts/sim/hbd-pair';
import { StandIns } from '../../scripts/sim/stand-ins';
import { startUnitStatusd, type UnitStatusd } from './testing/unit-statusd';
import { launchInNamespace } from '../../scripts/sim/browser';

const ARTIFACTS = process.env.LBOS_TEST_ARTIFACTS ?? '/tmp/lbos-test-artifacts';

const UNITS = {
  'hbd.service': { restarts: 0 }, 'nicd.service': {}, 'csyncd.service': { load: 'not-found', active: 'inactive', sub: 'dead' },
  'statusd.service': {}, 'paneld.service': { load: 'not-found', active: 'inactive', sub: 'dead' },
};

/** Wall-clock ms of u2's hbd log line "state change" to `to` (the last one). */
function hbdStateChangeAt(hp: HbdPair, to: string): number {
  const lines = readFileSync(path.join(hp.pair.dir, 'u2-hbd.log'), 'utf8').split('\n').filter((l) => l.includes('"msg":"state change"'));
  const hit = lines.map((l) => JSON.parse(l) as { time: string; to: string }).filter((l) => l.to === to).at(-1);
  return hit === undefined ? NaN : Date.parse(hit.time);
}

test.afterEach.always((t) => {
  if (!t.passed) t.log(logsOfLastPair());
});

/** Log in; on a machine under load the page may take long (a bound, not a timing): on failure, say what the page showed. */
async function logIn(page: Page, s: UnitStatusd): Promise<void> {
  // The page asks /api/session before it settles on the login form; the password is typed while that
  // check is still out (held for 1.5 s here, as a slow unit would): what was typed must stay.
  const held = async (route: { continue(): Promise<void> }): Promise<void> => {
    await new Promise((r) => setTimeout(r, 1500));
    await route.continue();
  };
  await page.route('**/api/session', held);
  await page.goto(`http://${s.unit.lanIp}:9080/`, { timeout: 60_000 }); // plain HTTP: redirected to HTTPS
  await page.fill('#login-password', s.password());
  await page.waitForResponse('**/api/session', { timeout: 60_000 });
  await page.unroute('**/api/session', held);
  await page.click('#login-submit');
  try {
    // The first login with the unit's initial password: the page asks for a new one before anything else.
    await page.waitForSelector('#password-view:not([hidden])', { timeout: 60_000 });
    if (await page.textContent('#password-title') !== 'Change the initial password') throw new Error('not the first-login form');
    mkdirSync(ARTIFACTS, { recursive: true });
    await page.screenshot({ path: `${ARTIFACTS}/statusd-first-login-${s.unit.name}.png` });
    if (await page.isVisible('#password-current')) throw new Error('asks again for the password just typed');
    if (await page.isVisible('#overview')) throw new Error('the overview is shown before the password is changed');
    await page.fill('#password-new', `${s.unit.name} own password`);
    await page.fill('#password-again', `${s.unit.name} own passwrod`);
    await page.click('#password-submit');
    await page.waitForFunction(() => document.getElementById('password-error')?.textContent === 'The two new passwords differ.', undefined, { timeout: 10_000 });
    await page.fill('#password-again', `${s.unit.name} own password`);
    await page.click('#password-submit');
    await page.waitForSelector('#overview:not([hidden])', { timeout: 60_000 });
  } catch (err) {
    mkdirSync(ARTIFACTS, { recursive: true });
    const shot = `${ARTIFACTS}/statusd-login-${s.unit.name}-failed.png`;
    await page.screenshot({ path: shot, fullPage: true }).catch(() => undefined);
    const said = await page.textContent('#login-error').catch(() => null);
    throw new Error(`${s.unit.name}: no System Overview 60 s after logging in (login error shown: ${JSON.stringify(said)}; screenshot ${shot}): ${String(err)}`);
  }
}

// Page-side globals, declared for this file only: the project compiles without the DOM library.
interface PageElement {
  classList: { contains(c: string): boolean };
  textContent: string | null;
}
declare const document: { getElementById(id: string): (PageElement & { getAttribute(a: string): string | null }) | null; body: PageElement };
declare const window: { activeAt?: number };
declare class MutationObserver {
  constructor(cb: () => void);
  observe(el: PageElement, o: { attributes: boolean; attributeFilter: string[] }): void;
}

const lit = (page: Page): Promise<string> => page.evaluate(() => ['master', 'slave', 'active', 'passive', 'link']
  .filter((k) => document.getElementById(`bar-${k}`)?.classList.contains('on')).join(' '));
/** Wait until element `id` has class `cls` (a function, not a string: the page's CSP forbids eval). */
const waitClass = (page: Page, id: string, cls = 'on', timeout = 10_000): Promise<unknown> =>
  page.waitForFunction(([i, c]) => document.getElementById(i)?.classList.contains(c) === true, [id, cls] as const, { timeout });

test('System Overview of a simulated pair in Chromium: log in, watch a failover live, survive a lost feed', async (t) => {
  const hp = await HbdPair.start(FAST);
  t.teardown(() => hp.stop());
  await hp.waitStates('active', 'passive');
  const sd: UnitStatusd[] = [];
  t.teardown(() => Promise.all(sd.map((s) => s.stop())).then(() => undefined));
  for (const u of hp.pair.units) sd.push(await startUnitStatusd(hp.pair, u, { systemd: UNITS, extra: ['heartbeat 1s'] }));
  const [s1, s2] = sd as [UnitStatusd, UnitStatusd];
  t.not(s1.password(), s2.password(), 'each unit has its own password');

  const chrome = await launchInNamespace(hp.pair.lanNs);
  t.teardown(() => chrome.close());
  const pages: Page[] = [];
  for (const s of sd) {
    const ctx = await chrome.browser.newContext({ ignoreHTTPSErrors: true, viewport: { width: 1280, height: 1000 } });
    const page = await ctx.newPage();
    page.on('pageerror', (e) => t.log(`page error (${s.unit.name}): ${e.message}`));
    await logIn(page, s);
    pages.push(page);
  }
  const [p1, p2] = pages as [Page, Page];
  await waitClass(p1, 'bar-link');
  await waitClass(p1, 'bar-active');
  await waitClass(p2, 'bar-passive');
  t.is(await lit(p1), 'master active link');
  t.is(await lit(p2), 'slave passive link');
  t.regex(await p1.textContent('#resources') ?? '', /198\.18\.0\.100.*held/);
  t.regex(await p1.textContent('#services') ?? '', /hbd\.service.*active/);

  // Sources that come while the page is open: the real nicd on both units, and on u2 a csyncd stand-in
  // (csyncd is not part of the kit's hbd pair) publishing a green sync state.
  const nicds = hp.pair.units.map((u) => startNicd(hp.pair, u));
  t.teardown(() => Promise.all(nicds.map((n) => n.stop())).then(() => undefined));
  await p1.waitForFunction(() => /eth0.*up.*198\.18\.0\.1\/24/.test(document.getElementById('nics')?.textContent ?? ''), undefined, { timeout: 30_000 });
  const csync = await connectSystemBus(hp.u2.busAddress);
  t.teardown(() => csync.disconnect());
  const names = busNamesOf('csyncd');
  exportObject(csync, names.path, {
    iface: names.iface,
    properties: {
      Status: { signature: 's', initial: 'green' }, Reason: { signature: 's', initial: 'all services in sync' },
      Services: { signature: 'a(sss)', initial: [['haproxy', 'in-sync', ''], ['heartbeat', 'in-sync', '']] },
      PeerReachable: { signature: 'b', initial: true }, LastCheck: { signature: 'x', initial: BigInt(Date.now()) }, AutoSync: { signature: 'b', initial: true },
    },
    methods: {},
  });
  await ownName(csync, names.name);
  await p2.waitForFunction(() => document.getElementById('sync-lamp')?.getAttribute('data-status') === 'green', undefined, { timeout: 5000 });
  // paneld's own D-Bus export, as a stand-in panel: the Front panel card shows its LCD rows.
  const panel = new StandIns(hp.u2.busAddress);
  t.teardown(() => panel.stop());
  await panel.startPaneld({
    Lcd: ['lb2 SLAVE  PASSIV', '198.18.0.2/24'], LcdSize: '16x2', LcdConnected: true, Mode: 'normal',
    Leds: [['ha', 'lbos:green:ha', 'off', '']], Alerts: [], Banner: '', BannerFile: '',
  });
  await p2.waitForFunction(() => document.getElementById('panel-lcd')?.textContent === 'lb2 SLAVE  PASSIV\n198.18.0.2/24', undefined, { timeout: 5000 });

  // Time stamps on both sides of the same D-Bus change, on one clock.
  await p2.evaluate(() => {
    const el = document.getElementById('bar-active');
    if (el === null) throw new Error('no status bar');
    new MutationObserver(() => {
      if (el.classList.contains('on') && window.activeAt === undefined) window.activeAt = Date.now();
    }).observe(el, { attributes: true, attributeFilter: ['class'] });
  });
  const bus2 = await connectSystemBus(hp.u2.busAddress);
  t.teardown(() => bus2.disconnect());
  let dbusAt = 0;
  (await getServiceProxy(bus2, 'hbd')).onChanged((c) => {
    if (c.State === 'active' && dbusAt === 0) dbusAt = Date.now();
  });
  await hp.hbd[0].kill9();
  s1.systemd?.set('hbd.service', { active: 'failed', sub: 'failed' });
  await p2.waitForFunction(() => window.activeAt !== undefined, undefined, { timeout: 10_000 });
  const domAt = (await p2.evaluate(() => window.activeAt)) ?? 0;
  const ms = domAt - dbusAt;
  // hbd's own log line of the change (logged before it publishes) bounds it from the other side:
  // the test's handler may run a few ms after the page already showed the change (negative ms).
  // pino writes the file asynchronously: the line may reach it after the page changed.
  let hbdAt = hbdStateChangeAt(hp, 'active');
  for (let i = 0; i < 30 && Number.isNaN(hbdAt); i++) {
    await new Promise((r) => setTimeout(r, 100));
    hbdAt = hbdStateChangeAt(hp, 'active');
  }
  t.log(`u2: hbd PropertiesChanged(State=active) seen by the test -> page shows Active: ${ms} ms (from hbd's log line of the change: ${domAt - hbdAt} ms)`);
  t.true(dbusAt > 0 && ms < 1000, `within 1 s of the D-Bus change (${ms} ms)`);
  t.true(domAt - hbdAt >= 0 && domAt - hbdAt < 1000, `within 1 s of hbd's state change (${domAt - hbdAt} ms)`);
  t.is(await lit(p2), 'slave active');
  await p1.waitForFunction(() => document.getElementById('bar-note')?.textContent === 'hbd not running', undefined, { timeout: 5000 });
  await waitClass(p2, 'bar-link', 'down', 5000);
  await p2.waitForFunction(() => /198\.18\.0\.100.*held/.test(document.getElementById('resources')?.textContent ?? ''), undefined, { timeout: 5000 });
  mkdirSync(ARTIFACTS, { recursive: true });
  await p2.screenshot({ path: `${ARTIFACTS}/statusd-overview.png`, fullPage: true });
  await p1.screenshot({ path: `${ARTIFACTS}/statusd-overview-u1.png`, fullPage: true });
  t.log(`screenshots: ${ARTIFACTS}/statusd-overview.png (u2 after the failover), ${ARTIFACTS}/statusd-overview-u1.png (u1, hbd killed)`);

  // A button: restart a unit from u1's page (confirm dialog, CSRF header, audit line), seen back through the feed.
  p1.once('dialog', (d) => void d.accept());
  await p1.click('tr[data-unit="nicd.service"] button.restart');
  await p1.waitForFunction(() => /Restart of nicd\.service requested/.test(document.getElementById('action-msg')?.textContent ?? ''), undefined, { timeout: 5000 });
  t.deepEqual(s1.systemd?.restartCalls, ['nicd.service']);
  t.regex(readFileSync(s1.proc.logFile, 'utf8'), /"audit":"restart-unit","user":"admin".*"target":"nicd.service","result":"ok"/);

  // Feed lost: freeze u2's statusd; the page notices by its heartbeat watchdog (2.5 x 1 s).
  process.kill(s2.proc.pid, 'SIGSTOP');
  try {
    await p2.waitForSelector('#lost-banner:not([hidden])', { timeout: 6000 });
    t.true(await p2.evaluate(() => document.body.classList.contains('stale')), 'values greyed');
    await p2.screenshot({ path: `${ARTIFACTS}/statusd-overview-feed-lost.png`, fullPage: true });
  } finally {
    process.kill(s2.proc.pid, 'SIGCONT');
  }
  hp.hbd[0].start(); // u1 back: the link comes up again, and the page must resume and show it
  await p2.waitForSelector('#lost-banner', { state: 'hidden', timeout: 20_000 });
  await waitClass(p2, 'bar-link', 'on', 15_000);
  t.false(await p2.evaluate(() => document.body.classList.contains('stale')));
  t.is(await lit(p2), 'slave active link', 'auto_failback off: u2 stays active');
  const stats = JSON.parse(String(await callMember((await getServiceProxy(bus2, 'statusd')).iface, 'Stats'))) as { resumed: number };
  t.true(stats.resumed >= 1, 'the page came back by resuming (same epoch), not by a new snapshot');
});
