/**
 * The front-panel part of the demo: paneld on each simulated unit with a
 * real LCDd (text driver, 20x4) as its LCD, and the two displays printed
 * side by side whenever either changes, as LCDd last drew them.
 *
 *   make demo calls startPanelDemo(pair) (scripts/demo.ts);
 *   node dist/scripts/sim/panel-demo.js runs it alone: a pair with nicd, hbd and paneld.
 */
import { boxed } from '../../services/paneld/panelctl-format';
import { LedClass } from '../../services/paneld/adapters/led-class';
import { PaneldUnit, SIM_LEDS } from './paneld-unit';
import type { SimPair } from './pair';

const POLL_MS = 250;

export interface PanelDemo {
  units: PaneldUnit[];
  /** Lines for the demo's "try" text: commands to run from the repository root, as root. */
  help(): string;
  stop(): Promise<void>;
}

/** Two boxed displays next to each other, with the unit names above. */
export function sideBySide(names: readonly string[], frames: readonly (readonly string[] | null)[], width: number, height: number, below: readonly string[] = []): string {
  const boxes = frames.map((f) => boxed(f ?? Array<string>(height).fill(' '.repeat(width))));
  const col = (text: string): string => text.padEnd(width + 2);
  const rows: string[] = [names.map((n) => col(`${n} LCD`)).join('   ')];
  for (let r = 0; r < height + 2; r++) rows.push(boxes.map((b) => b[r] ?? '').join('   '));
  if (below.length > 0) rows.push(below.map(col).join('   '));
  return rows.map((r) => r.trimEnd()).join('\n');
}

/** "LEDs G:on A:off R:off" from the unit's LED tree (status green, HA amber, fault red). */
async function ledLine(u: PaneldUnit): Promise<string> {
  const leds = new LedClass(u.ledRoot);
  const parts = await Promise.all(SIM_LEDS.map(async (name, k) => {
    const s = await leds.state(name).catch(() => null);
    return `${'GAR'[k] ?? '?'}:${s === null ? '?' : s.mode}`;
  }));
  return `LEDs ${parts.join(' ')}`;
}

export interface PanelDemoOptions {
  /** Services whose absence is an alert (paneld's `expect`; default all). */
  expect?: string[];
  out?: NodeJS.WritableStream;
  /** Only LCDd, LEDs and paneld.conf: paneld itself is started by the caller's supervisor (PaneldUnit.spawnPaneld). */
  supervised?: boolean;
}

export async function startPanelDemo(pair: SimPair, opts: PanelDemoOptions = {}): Promise<PanelDemo> {
  const out = opts.out ?? process.stdout;
  const conf = opts.expect === undefined ? [] : [`expect ${opts.expect.join(' ')}`];
  const units: PaneldUnit[] = [];
  for (const u of pair.units) {
    const host = { name: u.name, dir: u.dir, busAddress: u.busAddress, ns: u.ns };
    units.push(await (opts.supervised === true ? PaneldUnit.prepare : PaneldUnit.start)(pair, host, { width: 20, height: 4, conf }));
  }
  let last = '';
  let seen = '';
  let busy = false;
  const timer = setInterval(() => {
    if (busy) return;
    busy = true;
    void Promise.all([Promise.all(units.map((u) => u.lcd.frame())), Promise.all(units.map(ledLine))])
      .then(([frames, leds]) => {
        const text = sideBySide(pair.units.map((u) => u.name), frames, 20, 4, leds);
        // Print a frame once it held for two polls: LCDd draws between two widget updates.
        const stable = text === seen;
        seen = text;
        if (stable && text !== last) {
          last = text;
          out.write(`${new Date().toISOString().slice(11, 23)} front panels:\n${text}\n`);
        }
      })
      .finally(() => {
        busy = false;
      });
  }, POLL_MS);
  return {
    units,
    help: () => {
      const u1 = pair.units[0];
      const env = `DBUS_SYSTEM_BUS_ADDRESS=${u1.busAddress}`;
      return [
        'Front panel (paneld, LCDd text driver per unit; LEDs under <unit>/leds, banner in <unit>/issue):',
        `  ${env} bin/panelctl show        # unit 1's LCD, LEDs, alerts as paneld publishes them`,
        `  ${env} bin/panelctl key Enter   # press a key (Up Down Enter Escape): the keypad menu`,
        `  cat ${units[0]?.bannerFile ?? ''}          # unit 1's console banner`,
      ].join('\n');
    },
    stop: async () => {
      clearInterval(timer);
      await Promise.all(units.map((u) => u.stop()));
    },
  };
}

/** Alone: nicd, hbd and paneld on a fresh pair; the panels print as they change. */
async function main(): Promise<void> {
  const { SimPair } = await import('./pair');
  const { startNicd } = await import('./nicd-unit');
  const { writeHbdConfigs, DEMO_SETTINGS } = await import('./hbd-config');
  const { HbdUnit } = await import('./hbd-unit');
  const { repoRoot } = await import('../../services/runtime/cli');
  const { run, waitFor } = await import('./exec');
  const pair = await SimPair.create({ addresses: false });
  const nicds = pair.units.map((u) => startNicd(pair, u));
  for (const u of pair.units) {
    await waitFor(`${u.name}: addresses from nicd`, async () => (await run('ip', ['-n', u.ns, '-o', 'addr', 'show'])).stdout.includes(` ${u.hbIp}/30`), 20_000, 100);
  }
  const dirs = writeHbdConfigs(pair, DEMO_SETTINGS);
  const hbds = pair.units.map((u, i) => new HbdUnit(pair, u, { configDir: dirs[i] ?? '', restartAfterMs: 3000 }));
  hbds.forEach((h) => h.start());
  // csyncd is not part of this smaller demo: its absence is no alert here.
  const panel = await startPanelDemo(pair, { expect: ['hbd', 'nicd'] });
  process.stdout.write(`\nPanel demo on pair ${pair.id}. In another terminal, as root:\n  cd ${repoRoot()}\n${panel.help()}\n  DBUS_SYSTEM_BUS_ADDRESS=${pair.units[0].busAddress} bin/hactl standby   # fail over: both LCDs change\n  kill -9 ${hbds[0]?.proc?.pid ?? '<pid>'}   # crash unit 1's hbd\nCtrl-C stops and cleans up.\n\n`);
  await new Promise<void>((resolve) => {
    process.once('SIGINT', resolve);
    process.once('SIGTERM', resolve);
  });
  await panel.stop();
  await Promise.all(hbds.map((h) => h.stop()));
  await Promise.all(nicds.map((n) => n.stop()));
  pair.teardown();
  process.stdout.write('Cleaned up.\n');
  process.exit(0);
}

if (require.main === module) {
  main().catch((err: unknown) => {
    process.stderr.write(`panel demo: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exit(1);
  });
}
