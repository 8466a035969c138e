/**
 * make image-quickstart-test (issue 20): the reference Quick Start walked on
 * the shipped qcow2 by a scripted person, end to end, with nothing seeded
 * and no file edited:
 *
 *   1. two units powered on (lab.ts): the console banner of each shows the
 *      web UI's initial password; both start on the factory address
 *   2. on each console: log in as "setup", 1) Network setup: address,
 *      gateway, DNS, apply; log out (the banner now shows the new address)
 *   3. Chromium on the lab's PC: log in to each unit with the password the
 *      console showed; the page makes you choose your own first
 *   4. unit 1's HA page: the peer's address and password, the floating IP;
 *      the fingerprint shown is compared with the one unit 2's own HA page
 *      shows; pair; every step done
 *   5. the sync page: push haproxy, save on both units; the lamp goes green
 *   6. power off the active unit (QEMU killed): the floating IP answers from
 *      the other; power it on again: it rejoins (every link up again)
 *
 * Prints each step's time and writes them to OUT/image-quickstart-test.json
 * (the benchmark reads it). Exit 0 passed, 1 failed (with the step, and the
 * consoles' and pages' last state kept in the test directory).
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import type { Page } from 'playwright-core';
import { launchInNamespace, type NsBrowser } from '../sim/browser';
import { SerialConsole } from './serial-console';
import { Lab, LAB_GATEWAY } from './lab';

const VIP = '192.168.2.100';
const ADDR = { 1: '192.168.2.21', 2: '192.168.2.22' } as const;
const OWN_PASSWORD = { 1: 'quick start admin 1', 2: 'quick start admin 2' } as const;
const BOOT_S = Number(process.env.QS_BOOT_S ?? 600);
const PASSWORD_RE = /Web UI login:\s+admin \/ ([a-z2-9]{4}(?:-[a-z2-9]{4}){3})/;

// Page-side globals for this file (the project compiles without the DOM library).
interface PageElement { textContent: string | null; getAttribute(a: string): string | null }
declare const document: { getElementById(id: string): PageElement | null; querySelectorAll(s: string): ArrayLike<PageElement> };

interface Step { step: string; s: number }

async function main(): Promise<number> {
  const image = process.argv[2];
  const out = process.argv[3];
  if (image === undefined || out === undefined) throw new Error('usage: journey QCOW2 OUT_DIR');
  const accel = process.env.QS_ACCEL ?? 'tcg';
  const dir = mkdtempSync('/tmp/lbos-quickstart-');
  const t0 = Date.now();
  const steps: Step[] = [];
  let last = t0;
  const done = (step: string): void => {
    const now = Date.now();
    steps.push({ step, s: (now - last) / 1000 });
    process.stdout.write(`[quickstart] ${step}: ${((now - last) / 1000).toFixed(1)} s (at ${((now - t0) / 1000).toFixed(1)} s)\n`);
    last = now;
  };
  const lab = Lab.create(dir, image, accel);
  let passed = false;
  let chrome: NsBrowser | null = null;
  const consoles: SerialConsole[] = [];
  let typedWeb = 0;
  let stepTimes = '';
  const openPages: Partial<Record<1 | 2, Page>> = {};
  try {
    // 1. Power on; each console's banner gives the initial password.
    for (const n of [1, 2] as const) lab.powerOn(n);
    for (const u of lab.units) consoles.push(await SerialConsole.open(u.consoleSock, u.name, u.consoleLog));
    const [c1, c2] = consoles as [SerialConsole, SerialConsole];
    const initial: Record<1 | 2, string> = { 1: '', 2: '' };
    await Promise.all([c1, c2].map((c) => c.expect(/LBOS: all services ready after/, BOOT_S * 1000, 'ready line')));
    done('both units booted (console: services ready)');
    // The banner, printed again by agetty whenever paneld changes it: with the initial password once statusd made it.
    await Promise.all(([[1, c1], [2, c2]] as const).map(async ([n, c]) => {
      for (let end = Date.now() + 120_000; initial[n] === ''; await new Promise((r) => setTimeout(r, 1000))) {
        initial[n] = c.lastMatch(PASSWORD_RE)?.[1] ?? '';
        if (initial[n] === '' && Date.now() > end) throw new Error(`${c.name}: no initial password on the console banner within 120 s of the ready line:\n${c.since(Math.max(0, c.length - 1500))}`);
      }
      c.type('');
      await c.expect(/login: $/m, 60_000, 'login prompt');
    }));
    done('the initial web password read from each console banner');

    // 2. Console network setup on each unit.
    for (const [n, c] of [[1, c1], [2, c2]] as const) {
      c.type('setup');
      await c.expect(/Choice: $/m, 120_000, 'setup menu');
      c.type('1');
      await c.expect(/Static IP address \(eg\. 192\.168\.2\.21\/24\) : $/m, 120_000, 'address prompt');
      c.type(`${ADDR[n]}/24`);
      await c.expect(/Default gateway .*: $/m, 30_000, 'gateway prompt');
      c.type(LAB_GATEWAY);
      await c.expect(/Primary DNS server : $/m, 30_000, 'DNS prompt');
      c.type(LAB_GATEWAY);
      await c.expect(/Secondary DNS server \(optional\) : $/m, 30_000, 'second DNS prompt');
      c.type('');
      await c.expect(/Apply these settings\? .*: $/m, 30_000, 'apply question');
      c.type('y');
      await c.expect(/Press Enter to finish\.\.\.$/m, 180_000, 'the end of the wizard');
      c.type('');
      await c.expect(/Choice: $/m, 60_000, 'the menu again');
      c.type('q');
      // The banner, printed again at the next login prompt, with the new address.
      await c.expect(new RegExp(`Web UI: +https://${ADDR[n].replace(/\./g, '\\.')}:9443/`), 120_000, 'the new address on the banner');
    }
    done('console network setup on both units (setup menu, wizard)');

    // 3. First web login on each unit: the page asks for an own password.
    chrome = await launchInNamespace(lab.ns);
    const pages: Record<1 | 2, Page> = {} as Record<1 | 2, Page>;
    for (const n of [1, 2] as const) {
      const ctx = await chrome.browser.newContext({ ignoreHTTPSErrors: true, viewport: { width: 1280, height: 1000 } });
      const page = await ctx.newPage();
      pages[n] = page;
      openPages[n] = page;
      await page.goto(`http://${ADDR[n]}:9080/`, { timeout: 120_000 });
      await page.fill('#login-password', initial[n]);
      await page.click('#login-submit');
      typedWeb += 2;
      await page.waitForSelector('#password-view:not([hidden])', { timeout: 120_000 });
      await page.fill('#password-new', OWN_PASSWORD[n]);
      await page.fill('#password-again', OWN_PASSWORD[n]);
      await page.click('#password-submit');
      typedWeb += 3;
      await page.waitForSelector('#overview:not([hidden])', { timeout: 120_000 });
    }
    await pages[1].screenshot({ path: path.join(out, 'quickstart-1-overview.png'), fullPage: true });
    done('first web login on both units (initial password changed)');

    // 4. Pair from unit 1's HA page; the fingerprint checked against unit 2's own page.
    const tPair = Date.now();
    await pages[2].click('#tab-ha');
    const own2 = (await pages[2].textContent('#own-fingerprint')) ?? '';
    const p1 = pages[1];
    await p1.click('#tab-ha');
    await p1.waitForSelector('#pair-status[data-paired=no]', { timeout: 60_000 });
    await p1.fill('#pair-peer', ADDR[2]);
    await p1.fill('#pair-password', OWN_PASSWORD[2]);
    await p1.fill('#pair-vips', VIP);
    await p1.click('#pair-check');
    typedWeb += 4;
    await p1.waitForSelector('#pair-confirm:not([hidden])', { timeout: 60_000 });
    const shown = (await p1.textContent('#pair-fingerprint')) ?? '';
    if (shown === '' || shown !== own2) throw new Error(`the fingerprint shown (${shown}) is not the one unit 2 shows (${own2})`);
    await p1.click('#pair-go');
    typedWeb += 1;
    await p1.waitForSelector('#pair-outcome[data-state=done], #pair-outcome[data-state=failed]', { timeout: 300_000 });
    await p1.screenshot({ path: path.join(out, 'quickstart-2-paired.png'), fullPage: true });
    if ((await p1.getAttribute('#pair-outcome', 'data-state')) !== 'done') throw new Error(`pairing failed: ${await p1.textContent('#pair-outcome')}`);
    const pairS = (Date.now() - tPair) / 1000;
    // paird's own time of each step, as the page shows it ("(2.1 s)" after each).
    stepTimes = await p1.evaluate(() => Array.from(document.querySelectorAll('#pair-steps li')).map((li) => `${li.getAttribute('data-step') ?? ''} ${/\(([0-9.]+) s\)$/.exec(li.textContent ?? '')?.[1] ?? '?'} s`).join(', '));
    done(`paired from the HA page (${stepTimes})`);

    // 5. The sync page: push haproxy; green.
    await p1.click('#tab-sync');
    await p1.waitForSelector('#sync-services tr[data-service=haproxy] button.push', { timeout: 120_000 });
    await p1.click('#sync-services tr[data-service=haproxy] button.push');
    await p1.waitForFunction(() => /haproxy/.test(document.getElementById('sync-msg')?.textContent ?? ''), undefined, { timeout: 120_000 });
    // Saved on both units: the lamp is green only then (ALOHA's running vs saved configuration).
    for (const [id, said] of [['#sync-save-local', 'saved on this unit'], ['#sync-save-remote', 'saved on the peer']] as const) {
      await p1.click(id);
      await p1.waitForFunction((w) => (document.getElementById('sync-msg')?.textContent ?? '').includes(w), said, { timeout: 120_000 });
    }
    const pushed = (await p1.textContent('#sync-msg')) ?? '';
    typedWeb += 3;
    await p1.waitForFunction(() => document.querySelectorAll('#sync-services .lamp')[0]?.getAttribute('data-status') === 'green', undefined, { timeout: 180_000 });
    await p1.screenshot({ path: path.join(out, 'quickstart-3-sync.png'), fullPage: true });
    const pairedAt = (Date.now() - t0) / 1000;
    done(`haproxy pushed and saved from the sync page; sync green (${pushed})`);

    // 6. The floating IP on the active unit; its power pulled; the other answers; back on, it rejoins.
    const macs = { 1: lab.units[0]?.mac ?? '', 2: lab.units[1]?.mac ?? '' };
    let holder: 1 | 2 | null = null;
    for (let end = Date.now() + 180_000; holder === null && Date.now() < end;) {
      const mac = lab.answeredBy(VIP);
      holder = mac === macs[1] ? 1 : mac === macs[2] ? 2 : null;
      if (holder === null) await new Promise((r) => setTimeout(r, 1000));
    }
    if (holder === null) throw new Error(`the floating IP ${VIP} did not answer within 180 s of pairing`);
    done(`floating IP ${VIP} answers from unit ${holder}`);
    const other = holder === 1 ? 2 : 1;
    const tOff = Date.now();
    lab.powerOff(holder);
    let failoverMs = -1;
    for (let end = Date.now() + 120_000; Date.now() < end;) {
      if (lab.answeredBy(VIP) === macs[other]) {
        failoverMs = Date.now() - tOff;
        break;
      }
      await new Promise((r) => setTimeout(r, 200));
    }
    if (failoverMs < 0) throw new Error(`unit ${other} did not take over ${VIP} within 120 s`);
    done(`unit ${holder} powered off: ${VIP} answers from unit ${other} after ${(failoverMs / 1000).toFixed(1)} s`);
    lab.powerOn(holder);
    const back = await SerialConsole.open(lab.units[holder - 1]?.consoleSock ?? '', `${lab.units[holder - 1]?.name ?? ''} (again)`, path.join(dir, `u${holder}`, 'console-2.log'));
    consoles.push(back);
    await back.expect(/LBOS: all services ready after/, BOOT_S * 1000, 'ready line after power on');
    const po = pages[other];
    await po.click('#tab-ha');
    // Every link up again on the survivor (they went down when the unit lost power).
    await po.waitForFunction(() => {
      const rows = Array.from(document.querySelectorAll('#ha-links tr[data-link]'));
      return rows.length >= 2 && rows.every((r) => r.getAttribute('data-status') === 'up');
    }, undefined, { timeout: 300_000 });
    await po.screenshot({ path: path.join(out, 'quickstart-4-rejoined.png'), fullPage: true });
    done(`unit ${holder} powered on again: rejoined (every link up on unit ${other})`);

    const typedConsole = consoles.reduce((a, c) => a + c.typed, 0);
    const result = {
      accel, steps, paired_s: pairedAt, pairing_s: pairS, pairing_steps: stepTimes, failover_ms: failoverMs, total_s: (Date.now() - t0) / 1000,
      typed: { console_lines: typedConsole, web_fields_and_clicks: typedWeb, files_edited: 0 },
    };
    writeFileSync(path.join(out, 'image-quickstart-test.json'), `${JSON.stringify(result, null, 2)}\n`);
    passed = true;
    process.stdout.write(`ok   quickstart: paired with sync green ${pairedAt.toFixed(1)} s after QEMU start (pairing ${pairS.toFixed(1)} s), failover ${(failoverMs / 1000).toFixed(1)} s, typed ${typedConsole} console lines and ${typedWeb} web fields/clicks, no file edited (${accel})\n`);
    return 0;
  } catch (err) {
    // What each page showed when it failed: a screenshot and the text of the HA and sync cards.
    for (const [n, page] of Object.entries(openPages)) {
      await page.screenshot({ path: path.join(out, `quickstart-failed-u${n}.png`), fullPage: true }).catch(() => undefined);
      const said = await page.evaluate(() => ['ha-msg', 'pair-state', 'pair-steps', 'sync-msg', 'sync-services', 'ha-links'].map((id) => `${id}: ${document.getElementById(id)?.textContent ?? ''}`).join('\n')).catch(() => '');
      process.stdout.write(`--- unit ${n}'s page:\n${said}\n`);
    }
    process.stdout.write(`FAIL quickstart: ${err instanceof Error ? err.message : String(err)}\n  consoles and screenshots: ${dir}, ${out}\n`);
    return 1;
  } finally {
    for (const c of consoles) c.close();
    await chrome?.close();
    lab.destroy();
    // The disks (qcow2 overlays) and consoles: kept when it failed, for a look; gone when it passed.
    if (passed) rmSync(dir, { recursive: true, force: true });
  }
}

mkdirSync(process.argv[3] ?? '/tmp', { recursive: true });
main().then((code) => process.exit(code), (err: unknown) => {
  process.stdout.write(`FAIL quickstart: ${String(err)}\n`);
  process.exit(1);
});
