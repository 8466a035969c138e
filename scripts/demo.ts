/**
 * make demo: a simulated pair of appliances running what exists so far.
 * Each unit's services (nicd, hbd, csyncd, statusd, paneld) run under a
 * small supervisor published as systemd on D-Bus (scripts/sim/unit-systemd.ts),
 * so the System Overview's Services panel and Restart buttons work. Prints
 * where to look and what to try, then the status bar of both units as it is
 * on their buses now (a unit whose hbd is gone shows "hbd DOWN"), each
 * service exit and restart, sync colours and both front panels; Ctrl-C
 * stops and cleans.
 */
import { readdirSync } from 'node:fs';
import { SimPair, VIP, VIP6, PING_NODE, type SimUnit } from './sim/pair';
import { writeHbdConfigs, DEMO_SETTINGS } from './sim/hbd-config';
import { HbdUnit } from './sim/hbd-unit';
import { connectSystemBus, type MessageBus } from '../services/runtime/dbus';
import { repoRoot } from '../services/runtime/cli';
import { errorMessage } from '../services/runtime/errors';
import { run, waitFor } from './sim/exec';
import { startNicd } from './sim/nicd-unit';
import { CsyncPair } from '../services/csyncd/testing/csync-pair';
import { forwardFromLoopback, spawnStatusd, statusdPassword, writeStatusdConf, type StatusdFiles } from '../services/statusd/testing/unit-statusd';
import { DEFAULT_UNITS } from '../services/statusd/config/types';
import { startPanelDemo, type PanelDemo } from './sim/panel-demo';
import { startUnitSystemd, type UnitSystemd } from './sim/unit-systemd';
import { describeExit, type SupervisorEvent } from './sim/supervisor';
import { followService, type LiveProps, type Props } from './sim/live-props';
import { demoText } from './sim/demo-text';
import { spawnPaird } from './sim/paird-unit';

/** Where each unit's web UI is forwarded on this machine. */
const LOOPBACK = ['127.0.0.1', '127.0.0.2'];

/** RestartSec of every service: long enough to watch unit 2 take over before hbd is back. */
const RESTART_SEC = 3;

const stamp = (): string => new Date().toISOString().slice(11, 23);
const say = (text: string): boolean => process.stdout.write(`${stamp()} ${text}\n`);

/** One unit's part of the status line, from hbd's properties now; null: hbd is not on the unit's bus. */
function barText(p: Props | null | undefined): string {
  if (p === undefined) return '(starting)';
  if (p === null) return 'hbd DOWN';
  const links = (p.Links as [string, string, string][] | undefined) ?? [];
  return `${String(p.Role ?? '?').padEnd(6)} ${String(p.State ?? '?').padEnd(7)} ${links.some((l) => l[2] === 'up') ? 'Link' : 'NO LINK'}`;
}

async function main(): Promise<void> {
  process.stdout.write('Building a simulated pair (network namespaces, veth, serial cable, private D-Bus)...\n');
  // Ctrl-C while starting: remove what was built (the pair's teardown kills its namespaces and processes).
  let built: SimPair | null = null;
  const abortStart = (): void => {
    process.stdout.write('\nInterrupted while starting: removing the simulated pair...\n');
    built?.teardown();
    process.exit(130);
  };
  process.once('SIGINT', abortStart);
  process.once('SIGTERM', abortStart);
  const pair = await SimPair.create({ addresses: false });
  built = pair;
  let stopping = false;
  const dirs = writeHbdConfigs(pair, DEMO_SETTINGS);
  const hbds = pair.units.map((u, i) => new HbdUnit(pair, u, { configDir: dirs[i] ?? '', restartAfterMs: null }));
  const csync = CsyncPair.attach(pair);
  let statusd: StatusdFiles[] = [];
  let panel: PanelDemo | null = null;
  const report = (u: SimUnit) => (e: SupervisorEvent): void => {
    if (stopping) return;
    const svc = e.unit.replace(/\.service$/, '');
    if (e.kind === 'exited') {
      const after = e.restartInMs === null ? (e.expected ? '' : '; not restarted') : `; restarting in ${e.restartInMs / 1000}s (Restart=on-failure)`;
      say(`${u.name}: ${svc} ${e.expected ? `stopped (pid ${e.pid})` : `${describeExit(e.result)}, pid ${e.pid}`}${e.stopPost === null ? '' : `; ${e.stopPost}`}${after}`);
    } else if (e.kind === 'started' && e.cause !== 'start') {
      say(`${u.name}: ${svc} restarted (${e.cause === 'restart' ? 'RestartUnit' : 'Restart=on-failure'}), new pid ${e.pid}`);
    }
  };
  const systemds: UnitSystemd[] = [];
  for (const [i, u] of pair.units.entries()) {
    const k = i as 0 | 1;
    const hbd = hbds[k] ?? missing('hbd');
    systemds.push(await startUnitSystemd(u, [
      { name: 'nicd.service', start: (env) => startNicd(pair, u, env) },
      { name: 'hbd.service', start: (env) => hbd.start(env), stopPost: { run: () => hbd.afterExit(), done: 'VIPs released (ExecStopPost)' } },
      { name: 'csyncd.service', start: (env) => csync.start(k, undefined, undefined, [], env) },
      { name: 'statusd.service', start: (env) => spawnStatusd(pair, u, statusd[k] as StatusdFiles, env) },
      { name: 'paneld.service', start: (env) => (panel?.units[k] ?? missing('paneld')).spawnPaneld(env) },
      { name: 'paird.service', start: (env) => spawnPaird(pair, u, { haDir: dirs[k] ?? '', csyncdCfg: csync.paths[k].cfg, csyncdDir: csync.paths[k].configDir, csyncdStateDir: csync.paths[k].stateDir, systemdBus: systemds[k]?.busAddress ?? '' }, env) },
    ], { restartMs: RESTART_SEC * 1000, onEvent: report(u), onRestartFailed: (name, err) => say(`${u.name}: RestartUnit ${name} failed: ${errorMessage(err)}`) }));
  }
  // The page is reached through a loopback forward: plain HTTP there redirects to the forwarded HTTPS, not the unit's LAN address.
  statusd = pair.units.map((u, i) => writeStatusdConf(u, { systemdBus: systemds[i]?.busAddress ?? null, extra: [`redirect_to https://${LOOPBACK[i] ?? '127.0.0.1'}:9443`] }));
  const startAll = async (service: string): Promise<void> => void (await Promise.all(systemds.map((s) => s.supervisor.start(service))));
  // As at boot: nicd gives each unit its addresses, then hbd starts.
  await startAll('nicd.service');
  for (const u of pair.units) {
    await waitFor(`${u.name}: addresses from nicd`, async () => (await run('ip', ['-n', u.ns, '-o', 'addr', 'show'])).stdout.includes(` ${u.hbIp}/30`), 20_000, 100);
  }
  await startAll('hbd.service');
  const buses: MessageBus[] = [];
  const watches: LiveProps[] = [];
  const bars = new Map<string, Props | null>();
  let shown = '';
  const show = (): void => {
    const text = pair.units.map((u) => `${u.name}: ${barText(bars.get(u.name))}`).join('   |   ');
    if (text === shown || stopping) return;
    shown = text;
    say(text);
  };
  for (const u of pair.units) {
    const bus = await connectSystemBus(u.busAddress);
    buses.push(bus);
    watches.push(followService(bus, 'hbd', (p) => {
      bars.set(u.name, p);
      show();
    }));
  }
  // csyncd on both units, keys exchanged as in the ALOHA procedure (genkey, getkey).
  process.stdout.write('Exchanging csyncd keys between the units (genkey, getkey)...\n');
  await csync.exchangeKeys(() => startAll('csyncd.service'));
  // First sync from unit 1, as an operator would after pairing: both units green.
  for (const args of [['push', 'haproxy'], ['save'], ['save', '--remote']]) {
    const r = await csync.ctl(0, args);
    if (r.code !== 0) throw new Error(`csyncctl ${args.join(' ')}: ${r.stderr}`);
  }
  pair.units.forEach((u, i) => buses[i] && watches.push(watchSync(buses[i], u.name, () => stopping)));
  // statusd per unit (the web UI), reachable from this machine's loopback.
  await startAll('statusd.service');
  await startAll('paird.service');
  const forwards: (() => void)[] = [];
  for (const [i, u] of pair.units.entries()) forwards.push(await forwardFromLoopback(pair, u, LOOPBACK[i] ?? '127.0.0.1'));
  // paneld per unit with a real LCDd (text driver) as its LCD: both displays are printed as they change.
  panel = await startPanelDemo(pair, { supervised: true });
  await startAll('paneld.service');
  // "is up" when it is: unit 1 active, unit 2 passive (a loaded machine takes longer than initdead).
  await waitFor('unit 1 active and unit 2 passive', () => bars.get('u1')?.State === 'active' && bars.get('u2')?.State === 'passive', 60_000, 100)
    .catch(() => process.stdout.write('(the pair has not settled yet: see the status lines below)\n'));
  const unitInfo = (u: SimUnit, i: number) => ({
    ...u, url: `https://${LOOPBACK[i] ?? '?'}:9443`, password: statusdPassword(statusd[i]?.stateDir ?? ''), statusdState: statusd[i]?.stateDir ?? '',
    etcHaproxy: csync.paths[i as 0 | 1].etc, hbdPidFile: systemds[i]?.supervisor.pidFile('hbd.service') ?? '', systemdBus: systemds[i]?.busAddress ?? '',
  });
  process.stdout.write(demoText({
    repo: repoRoot(), pairId: pair.id, dir: pair.dir, units: [unitInfo(pair.units[0], 0), unitInfo(pair.units[1], 1)],
    lanNs: pair.lanNs, vip: VIP, vip6: VIP6, pingNode: PING_NODE, hbdConfigDir: dirs[0], logs: logGroups(pair, DEFAULT_UNITS, csync.paths.map((p) => p.applyLog)),
    deadtime: DEMO_SETTINGS.deadtime, restartSec: RESTART_SEC, services: DEFAULT_UNITS, panelHelp: panel.help(),
  }));
  process.off('SIGINT', abortStart);
  process.off('SIGTERM', abortStart);
  await new Promise<void>((resolve) => {
    process.once('SIGINT', resolve);
    process.once('SIGTERM', resolve);
  });
  process.stdout.write('\nStopping...\n');
  stopping = true;
  watches.forEach((w) => w.stop());
  await Promise.all(systemds.map((s) => s.stop()));
  await panel.stop();
  forwards.forEach((f) => f());
  await csync.stop();
  buses.forEach((b) => b.disconnect());
  pair.teardown();
  process.stdout.write('Cleaned up.\n');
  process.exit(0);
}

function missing(what: string): never {
  throw new Error(`${what} started before it was set up`);
}

/**
 * The logs the demo's processes write, one line per unit: the services' DIR/u1-{csyncd,hbd,...}.log
 * (with any other process's found there) and csyncd's apply script's log. LCDd writes none: its frames are printed.
 */
function logGroups(pair: SimPair, services: readonly string[], applyLogs: readonly string[]): string[] {
  const files = readdirSync(pair.dir).filter((f) => f.endsWith('.log'));
  return pair.units.map((u, i) => {
    const found = files.filter((f) => f.startsWith(`${u.name}-`)).map((f) => f.slice(u.name.length + 1, -'.log'.length));
    const names = [...new Set([...services.map((s) => s.replace(/\.service$/, '')), ...found])].sort();
    return `${pair.dir}/${u.name}-{${names.join(',')}}.log  ${applyLogs[i] ?? ''}`.trimEnd();
  });
}

/** Print each change of a unit's sync colour (csyncd's Status property), and when csyncd is not on the bus. */
function watchSync(bus: MessageBus, name: string, quiet: () => boolean): LiveProps {
  let last = '';
  return followService(bus, 'csyncd', (p) => {
    const line = p === null ? 'unknown (csyncd is not on the bus)' : `${String(p.Status ?? '?')}${p.Reason === undefined || p.Reason === '' ? '' : ` (${String(p.Reason)})`}`;
    if (line !== last && !quiet()) say(`${name}: sync ${line}`);
    last = line;
  });
}

main().catch((err: unknown) => {
  process.stderr.write(`demo: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
