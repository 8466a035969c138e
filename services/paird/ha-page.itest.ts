/**
 * The HA page in a real browser (headless Chromium in the kit's LAN
 * namespace) pairs two factory-fresh simulated units: log in to unit 1,
 * open HA, give the peer address, its password and the floating IP, check
 * the peer (the page shows its certificate fingerprint, the one the test
 * reads from unit 2's certificate file), confirm, and watch every step go
 * done through the feed; change the heartbeat deadtime on both units (and
 * have a value hbd refuses change nothing); the sync page then lists
 * csyncd's services and pushes haproxy.
 */
import test from 'ava';
import { mkdirSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import type { Page } from 'playwright-core';
import { PING_NODE, VIP } from '../../scripts/sim/pair';
import { ADMIN_PASSWORD, UnpairedPair } from '../../scripts/sim/unpaired-pair';
import { launchInNamespace } from '../../scripts/sim/browser';

const ARTIFACTS = process.env.LBOS_TEST_ARTIFACTS ?? '/tmp/lbos-test-artifacts';

// Page-side globals for this file only (the project compiles without the DOM library).
interface PageElement { textContent: string | null; getAttribute(a: string): string | null }
declare const document: { getElementById(id: string): PageElement | null; querySelectorAll(s: string): ArrayLike<PageElement> };

test('HA page: pair two units from the browser, with the fingerprint to confirm and every step shown', async (t) => {
  const kit = await UnpairedPair.start();
  t.teardown(() => kit.stop());
  const [a, b] = kit.units;
  const chrome = await launchInNamespace(kit.pair.lanNs);
  t.teardown(() => chrome.close());
  const ctx = await chrome.browser.newContext({ ignoreHTTPSErrors: true, viewport: { width: 1280, height: 1000 } });
  const page: Page = await ctx.newPage();
  page.on('pageerror', (e) => t.log(`page error: ${e.message}`));
  mkdirSync(ARTIFACTS, { recursive: true });
  try {
    await page.goto(`https://${a.unit.lanIp}:9443/`, { timeout: 60_000 });
    await page.fill('#login-password', ADMIN_PASSWORD);
    await page.click('#login-submit');
    await page.waitForSelector('#overview:not([hidden])', { timeout: 60_000 });
    await page.click('#tab-ha');
    await page.waitForSelector('#pair-status[data-paired=no]', { timeout: 20_000 });
    await page.fill('#pair-peer', b.unit.lanIp);
    await page.fill('#pair-password', ADMIN_PASSWORD);
    await page.fill('#pair-vips', VIP);
    await page.fill('#pair-ping', PING_NODE);
    // The simulated units' serial ports are two different ptys: an ha.cf pushed from one to the other
    // (the heartbeat settings below) must not name one of them, as a real pair's /dev/ttyS1 on both would.
    await page.uncheck('#pair-serial');
    await page.click('#pair-check');
    await page.waitForSelector('#pair-confirm:not([hidden])', { timeout: 20_000 });
    t.is(await page.textContent('#pair-fingerprint'), b.fingerprint, "the peer's certificate, as on its disk");
    await page.screenshot({ path: `${ARTIFACTS}/ha-page-confirm.png`, fullPage: true });
    const started = Date.now();
    await page.click('#pair-go');
    await page.waitForSelector('#pair-outcome[data-state=done]', { timeout: 120_000 });
    t.log(`paired from the page in ${((Date.now() - started) / 1000).toFixed(1)} s`);
    const steps = await page.evaluate(() => Array.from(document.querySelectorAll('#pair-steps li')).map((li) => li.getAttribute('data-status')));
    t.deepEqual(steps, ['done', 'done', 'done', 'done', 'done', 'done']);
    await page.waitForSelector('#pair-status[data-paired=yes]', { timeout: 10_000 });
    t.regex(await page.textContent('#pair-status') ?? '', /paired with u2/);
    await page.waitForFunction(() => /ucast:eth1:198\.19\.0\.2.*up/.test(document.getElementById('ha-links')?.textContent ?? ''), undefined, { timeout: 20_000 });
    await page.screenshot({ path: `${ARTIFACTS}/ha-page-paired.png`, fullPage: true });
    // Heartbeat settings: shown once paired, applied here, pushed by csyncd, checked and taken on the peer.
    await page.waitForSelector('#card-hb-settings:not([hidden])', { timeout: 20_000 });
    t.is(await page.inputValue('#hb-deadtime'), '10');
    await page.fill('#hb-deadtime', '8');
    page.once('dialog', (d) => void d.accept());
    await page.click('#hb-apply');
    await page.waitForFunction(() => /Heartbeat settings (applied|refused)/.test(document.getElementById('ha-msg')?.textContent ?? ''), undefined, { timeout: 60_000 });
    t.regex(await page.textContent('#ha-msg') ?? '', /Heartbeat settings applied: hbd accepted the new ha\.cf; installed here; pushed to the peer: .*; hbd restarted here; saved on both units\./);
    for (const u of kit.units) t.regex(readFileSync(path.join(u.haDir, 'ha.cf'), 'utf8'), /^deadtime 8$/m, `${u.unit.name}: the new deadtime`);
    // A value hbd refuses (deadtime below keepalive): refused, nothing changed on either unit.
    t.is(await page.inputValue('#hb-deadtime'), '8', 'the form shows what ha.cf says now');
    await page.fill('#hb-deadtime', '0.5');
    page.once('dialog', (d) => void d.accept());
    await page.click('#hb-apply');
    await page.waitForFunction(() => /Heartbeat settings refused/.test(document.getElementById('ha-msg')?.textContent ?? ''), undefined, { timeout: 60_000 });
    for (const u of kit.units) t.regex(readFileSync(path.join(u.haDir, 'ha.cf'), 'utf8'), /^deadtime 8$/m, `${u.unit.name}: unchanged`);
    // The sync page: csyncd's service, pushed to the peer.
    await page.click('#tab-sync');
    await page.waitForSelector('#sync-services tr[data-service=haproxy] button.push', { timeout: 30_000 });
    page.once('dialog', (d) => void d.accept());
    await page.click('#sync-services tr[data-service=haproxy] button.push');
    await page.waitForFunction(() => (document.getElementById('sync-msg')?.textContent ?? '') !== '', undefined, { timeout: 30_000 });
    t.notRegex(await page.textContent('#sync-msg') ?? '', /refused/, 'the push went through');
    await page.screenshot({ path: `${ARTIFACTS}/sync-page.png`, fullPage: true });
  } catch (err) {
    await page.screenshot({ path: `${ARTIFACTS}/ha-page-failed.png`, fullPage: true }).catch(() => undefined);
    t.log(kit.logs());
    throw err;
  }
});
