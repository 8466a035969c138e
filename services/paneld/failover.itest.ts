/**
 * With the real services: a simulated pair (scripts/sim) with nicd and hbd
 * on each unit and paneld + LCDd per unit as the demo runs them. A manual
 * failover (hactl standby) shows on both LCDs and LEDs.
 */
import test from 'ava';
import { PassThrough } from 'node:stream';
import { SimPair } from '../../scripts/sim/pair';
import { startNicd } from '../../scripts/sim/nicd-unit';
import { writeHbdConfigs, DEMO_SETTINGS } from '../../scripts/sim/hbd-config';
import { HbdUnit } from '../../scripts/sim/hbd-unit';
import { run, waitFor } from '../../scripts/sim/exec';
import { startPanelDemo } from '../../scripts/sim/panel-demo';
import { LedClass } from './adapters/led-class';

test('failover: both units\' LCDs and HA LEDs change (real hbd, nicd, LCDd)', async (t) => {
  const pair = await SimPair.create({ addresses: false });
  t.teardown(() => pair.teardown());
  const nicds = pair.units.map((u) => startNicd(pair, u));
  t.teardown(() => Promise.all(nicds.map((n) => n.stop())).then(() => undefined));
  for (const u of pair.units) {
    await waitFor(`${u.name}: addresses from nicd`, async () => (await run('ip', ['-n', u.ns, '-o', 'addr', 'show'])).stdout.includes(` ${u.hbIp}/30`), 20_000, 100);
  }
  const dirs = writeHbdConfigs(pair, DEMO_SETTINGS);
  const hbds = pair.units.map((u, i) => new HbdUnit(pair, u, { configDir: dirs[i] ?? '' }));
  hbds.forEach((h) => h.start());
  t.teardown(() => Promise.all(hbds.map((h) => h.stop())).then(() => undefined));
  const out = new PassThrough();
  let printed = '';
  out.on('data', (d: Buffer) => (printed += d.toString()));
  const panel = await startPanelDemo(pair, { expect: ['hbd', 'nicd'], out });
  t.teardown(() => panel.stop());
  const [p1, p2] = panel.units;
  if (p1 === undefined || p2 === undefined) throw new Error('two panels expected');
  const ha = (u: typeof p1): Promise<string> => new LedClass(u.ledRoot).state('sim:amber:ha').then((s) => s.mode);

  await p1.lcd.waitForFrame((r) => r[0] === 'u1            ACTIVE' && r[1]?.trimEnd() === 'IP 198.18.0.1/24', 60_000);
  await p2.lcd.waitForFrame((r) => r[0] === 'u2           STANDBY' && r[2]?.trimEnd() === 'HA Slave Passive Lnk', 60_000);
  await waitFor('HA LEDs before', async () => (await ha(p1)) === 'on' && (await ha(p2)) === 'off', 10_000, 100);

  await hbds[0]?.hactl('standby');
  await p1.lcd.waitForFrame((r) => r[0] === 'u1           STANDBY' && r[2]?.trimEnd() === 'Master Passive Link', 60_000);
  await p2.lcd.waitForFrame((r) => r[0] === 'u2            ACTIVE' && r[2]?.trimEnd() === 'HA Slave Active Link', 60_000);
  await waitFor('HA LEDs after', async () => (await ha(p1)) === 'off' && (await ha(p2)) === 'on', 10_000, 100);
  await waitFor('the demo printed the new panels', () => /\|u1 +STANDBY\| +\|u2 +ACTIVE\|/.test(printed), 10_000, 100);
  t.regex(printed, /LEDs G:on A:off R:off +LEDs G:on A:on R:off/);
});
