/**
 * make demo: a simulated pair of appliances running what exists so far.
 * Prints where to look and how to fail over, shows each unit's status bar
 * (Master|Slave Active|Passive Link) as it changes; Ctrl-C stops and cleans.
 */
import { SimPair, VIP, VIP6 } from './sim/pair';
import { writeHbdConfigs, DEMO_SETTINGS } from './sim/hbd-config';
import { HbdUnit, HACTL_MAIN } from './sim/hbd-unit';
import { connectSystemBus, getServiceProxy, type MessageBus } from '../services/runtime/dbus';
import { run, waitFor } from './sim/exec';
import { startNicd, NICCTL_MAIN } from './sim/nicd-unit';
import { CsyncPair, CSYNCCTL_MAIN } from '../services/csyncd/testing/csync-pair';
import { startUnitStatusd, forwardFromLoopback } from '../services/statusd/testing/unit-statusd';
import { startPanelDemo } from './sim/panel-demo';

/** Where each unit's web UI is forwarded on this machine. */
const LOOPBACK = ['127.0.0.1', '127.0.0.2'];

const RESTART_AFTER_MS = 3000;

interface Bar {
  role: string;
  state: string;
  link: string;
}

function barOf(p: Record<string, unknown>): Bar {
  const links = (p.Links as [string, string, string][] | undefined) ?? [];
  return { role: String(p.Role ?? '?'), state: String(p.State ?? '?'), link: links.some((l) => l[2] === 'up') ? 'Link' : 'NO LINK' };
}

const stamp = (): string => new Date().toISOString().slice(11, 23);

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
  // As at boot: nicd gives each unit its addresses, then hbd starts.
  const nicds = pair.units.map((u) => startNicd(pair, u));
  for (const u of pair.units) {
    await waitFor(`${u.name}: addresses from nicd`, async () => (await run('ip', ['-n', u.ns, '-o', 'addr', 'show'])).stdout.includes(` ${u.hbIp}/30`), 20_000, 100);
  }
  const dirs = writeHbdConfigs(pair, DEMO_SETTINGS);
  let stopping = false;
  const units = pair.units.map((u, i) => new HbdUnit(pair, u, { configDir: dirs[i] ?? '', restartAfterMs: RESTART_AFTER_MS, onExit: (code) => stopping || process.stdout.write(`${stamp()} ${u.name}: hbd exited (${code}); VIPs released; restarting in ${RESTART_AFTER_MS / 1000}s\n`) }));
  units.forEach((u) => u.start());
  // csyncd on both units, keys exchanged as in the ALOHA procedure (genkey, getkey).
  process.stdout.write('Exchanging csyncd keys between the units (genkey, getkey)...\n');
  const csync = CsyncPair.attach(pair);
  await csync.exchangeKeys();
  // First sync from unit 1, as an operator would after pairing: both units green.
  for (const args of [['push', 'haproxy'], ['save'], ['save', '--remote']]) {
    const r = await csync.ctl(0, args);
    if (r.code !== 0) throw new Error(`csyncctl ${args.join(' ')}: ${r.stderr}`);
  }
  // statusd per unit (the web UI), reachable from this machine's loopback.
  const webs = [];
  const forwards: (() => void)[] = [];
  for (const [i, u] of pair.units.entries()) {
    webs.push(await startUnitStatusd(pair, u));
    forwards.push(await forwardFromLoopback(pair, u, LOOPBACK[i] ?? '127.0.0.1'));
  }
  // paneld per unit with a real LCDd (text driver) as its LCD: both displays are printed as they change.
  const panel = await startPanelDemo(pair);
  const buses: MessageBus[] = [];
  const bars = new Map<string, Bar>();
  const show = (): void => {
    process.stdout.write(`${stamp()} ${pair.units.map((u) => {
      const b = bars.get(u.name);
      return b === undefined ? `${u.name}: (starting)` : `${u.name}: ${b.role.padEnd(6)} ${b.state.padEnd(7)} ${b.link}`;
    }).join('   |   ')}\n`);
  };
  for (const u of pair.units) {
    process.env.DBUS_SYSTEM_BUS_ADDRESS = u.busAddress;
    const bus = await connectSystemBus();
    buses.push(bus);
    void watchUnit(bus, u.name, bars, show);
    void watchSync(bus, u.name);
  }
  const [u1, u2] = pair.units;
  const env = (u: typeof u1): string => `DBUS_SYSTEM_BUS_ADDRESS=${u.busAddress}`;
  process.stdout.write(`
Simulated pair ${pair.id} is up.
  unit 1: namespace ${u1.ns}, LAN ${u1.lanIp}, heartbeat ${u1.hbIp}, serial ${u1.tty}
  unit 2: namespace ${u2.ns}, LAN ${u2.lanIp}, heartbeat ${u2.hbIp}, serial ${u2.tty}
  floating IPs: ${VIP}/24 and ${VIP6}/64 on eth0 of the active unit; ping node ${pair.units.length && '198.18.0.254'}
  config: ${dirs[0]} (ha.cf, haresources, authkeys; the same on both units)
          ${u1.dir}/network.conf (nicd: the unit's addresses)
  logs:   ${pair.dir}/u1-hbd.log  ${pair.dir}/u2-hbd.log  ${pair.dir}/u1-nicd.log  ${pair.dir}/u2-nicd.log

System Overview (web UI; self-signed certificate, user admin):
  unit 1: https://${LOOPBACK[0]}:9443/   password ${webs[0]?.password() ?? '?'}
  unit 2: https://${LOOPBACK[1]}:9443/   password ${webs[1]?.password() ?? '?'}
  (each unit's own initial password, from <unit>/statusd/state/initial-password)

Try, in another terminal (as root):
  ${env(u1)} node ${HACTL_MAIN()} status          # the unit's status bar, links, resources
  ${env(u1)} node ${NICCTL_MAIN()} show           # the unit's interfaces as nicd sees them
  ${env(u1)} node ${HACTL_MAIN()} standby         # manual failover to unit 2
  ${env(u1)} node ${HACTL_MAIN()} takeover        # and back
  kill -9 ${units[0]?.proc?.pid ?? '<pid>'}   # crash unit 1's hbd: unit 2 takes over within the deadtime (${DEMO_SETTINGS.deadtime});
                       # the demo restarts it after ${RESTART_AFTER_MS / 1000}s like systemd, and auto_failback moves the VIP back
  ip netns exec ${pair.lanNs} ping ${VIP}          # the VIP answers throughout
  ip netns exec ${u1.ns} ip addr show eth0

Configuration sync (csyncd, keys already exchanged):
  echo '# my change' >> ${csync.paths[0].etc}/haproxy.cfg   # edit unit 1's haproxy.cfg: unit 1 turns orange
  ip netns exec ${u1.ns} env ${env(u1)} node ${CSYNCCTL_MAIN()} push haproxy        # validated with haproxy -c on unit 2, swapped in, applied
  ip netns exec ${u1.ns} env ${env(u1)} node ${CSYNCCTL_MAIN()} save                # persist here (running -> saved)
  ip netns exec ${u1.ns} env ${env(u1)} node ${CSYNCCTL_MAIN()} save --remote       # and on unit 2: status turns green
  ip netns exec ${u1.ns} env ${env(u1)} node ${CSYNCCTL_MAIN()} status

${panel.help()}

Status changes appear below. Ctrl-C stops everything and removes the namespaces.
`);
  process.off('SIGINT', abortStart);
  process.off('SIGTERM', abortStart);
  await new Promise<void>((resolve) => {
    process.once('SIGINT', resolve);
    process.once('SIGTERM', resolve);
  });
  process.stdout.write('\nStopping...\n');
  stopping = true;
  await panel.stop();
  await Promise.all(units.map((u) => u.stop()));
  forwards.forEach((f) => f());
  await Promise.all(webs.map((w) => w.stop()));
  await csync.stop();
  await Promise.all(nicds.map((n) => n.stop()));
  buses.forEach((b) => b.disconnect());
  pair.teardown();
  process.stdout.write('Cleaned up.\n');
  process.exit(0);
}

/** Print each change of a unit's sync colour (csyncd's Status property). */
async function watchSync(bus: MessageBus, name: string): Promise<void> {
  const proxy = await waitFor(`csyncd on ${name}`, () => getServiceProxy(bus, 'csyncd').catch(() => undefined), 60_000, 200);
  let last = '';
  const report = (p: Record<string, unknown>): void => {
    const line = `${String(p.Status ?? last)}${p.Reason === undefined || p.Reason === '' ? '' : ` (${String(p.Reason)})`}`;
    if (p.Status !== undefined && line !== last) process.stdout.write(`${stamp()} ${name}: sync ${line}\n`);
    if (p.Status !== undefined) last = line;
  };
  report(await proxy.getAll());
  proxy.onChanged(report);
}

async function watchUnit(bus: MessageBus, name: string, bars: Map<string, Bar>, show: () => void): Promise<void> {
  for (;;) {
    try {
      const proxy = await waitFor(`hbd on ${name}`, () => getServiceProxy(bus, 'hbd').catch(() => undefined), 60_000, 200);
      let props = await proxy.getAll();
      bars.set(name, barOf(props));
      show();
      proxy.onChanged((changed) => {
        props = { ...props, ...changed };
        const before = JSON.stringify(bars.get(name));
        bars.set(name, barOf(props));
        if (JSON.stringify(bars.get(name)) !== before) show();
      });
      return;
    } catch {
      await new Promise((r) => setTimeout(r, 500));
    }
  }
}

main().catch((err: unknown) => {
  process.stderr.write(`demo: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
