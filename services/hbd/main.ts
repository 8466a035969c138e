/**
 * hbd: HA heartbeat daemon. Wiring only: config -> adapters -> driver.
 *   hbd [-c DIR] [--node NAME] [--state-dir DIR]   run in the foreground
 *   hbd --check-config -c DIR                       validate and exit
 *   hbd --release-vips -c DIR                       remove this unit's VIPs (ExecStopPost)
 */
import { performance } from 'node:perf_hooks';
import { runService, type RunningService, type ServiceContext } from '../runtime/service';
import { stringOpt, type ParsedCli } from '../runtime/cli';
import { AppError } from '../runtime/errors';
import { EXIT } from '../runtime/exit-codes';
import { loadHbdConfig, DEFAULT_CONFIG_DIR, type HbdConfig } from './load';
import { takeNextGeneration } from './generation';
import { HbdDriver } from './runtime';
import { ResourceManager } from './adapters/resources';
import { presentVips, removeVip, vipLabel } from './adapters/vip';
import { electionSettings, localAddresses, resolveScripts, resolveVips, ucastToPeer } from './wiring';
import { openUcastLinks } from './adapters/udp';
import { openSerialLink } from './adapters/serial';
import { pingSettingsFor, startPingMonitor, startTrackMonitor } from './adapters/health';
import { exportHbd } from './adapters/dbus-api';
import { dbusProperties, statusView } from './publish';
import { runReleaseVips } from './release-vips';

const DEFAULT_STATE_DIR = '/var/lib/lbos/hbd';
const PUBLISH_EVERY_MS = 1000;

const loadFromCli = (cli: ParsedCli, strict = true): ReturnType<typeof loadHbdConfig> =>
  loadHbdConfig({ dir: stringOpt(cli, 'config', DEFAULT_CONFIG_DIR), node: stringOpt(cli, 'node'), strict, haCfFile: stringOpt(cli, 'ha-cf') });

async function start(ctx: ServiceContext<HbdConfig>): Promise<RunningService<HbdConfig>> {
  const { config, log, bus, notify } = ctx;
  const h = config.haCf;
  const generation = await takeNextGeneration(stringOpt(ctx.cli, 'state-dir', process.env.HBD_STATE_DIR ?? DEFAULT_STATE_DIR));
  const vips = await resolveVips(config);
  const scripts = await resolveScripts(config);
  for (const v of await presentVips(vips)) {
    log.warn({ vip: vipLabel(v) }, 'removing a stale floating IP left by an earlier run before joining');
    await removeVip(v);
  }
  let publishTimer: NodeJS.Timeout | null = null;
  const role = config.haresources.owner === h.thisNode ? 'master' : 'slave';
  const view = () => statusView({ driver, resources: resources.snapshot(), role, generation, pingConfigured: h.ping.length, nowWallMs: Date.now(), warnings: ctx.warnings });
  const publishNow = (): void => {
    const v = view();
    exported.update(dbusProperties(v, Date.now()) as unknown as Record<string, unknown>);
    notify.status(`${v.role} ${v.state}, peer ${v.peerStatus}`);
  };
  let wired = false; // resources and driver report before the D-Bus object exists
  const changed = (urgent: boolean): void => {
    if (!wired) return;
    if (urgent) return publishNow();
    publishTimer ??= setTimeout(() => {
      publishTimer = null;
      publishNow();
    }, PUBLISH_EVERY_MS);
  };
  const resources = new ResourceManager(vips, scripts, { repeat: h.garpRepeat, delayMs: h.garpDelayMs }, log.child({ mod: 'resources' }), () => changed(true));
  const clock = (): number => performance.now();
  let monitors: { stop(): void }[] = [];
  const stopAll = async (): Promise<void> => {
    monitors.forEach((m) => m.stop());
    if (publishTimer !== null) clearTimeout(publishTimer);
    await driver.stop();
  };
  const restartSelf = (reason: string): void => {
    log.warn({ reason }, 'restarting hbd (exit 75: the supervisor starts it again)');
    notify.stopping(reason);
    void stopAll().finally(() => process.exit(EXIT.RESTART));
  };
  const driver = new HbdDriver({ settings: electionSettings(config), auth: config.auth, generation, resources, log: log.child({ mod: 'election' }), clock, changed, restartSelf });
  const exported = exportHbd(bus, dbusProperties(view(), Date.now()), {
    standby: () => driver.dispatch({ type: 'StandbyRequested', now: clock() }),
    takeover: () => driver.dispatch({ type: 'TakeoverRequested', now: clock() }),
    restartPair: () => driver.requestPairRestart(),
    statusJson: () => JSON.stringify(view()),
  });
  wired = true;
  const ucast = ucastToPeer(h.ucast, localAddresses());
  for (const u of h.ucast.filter((x) => !ucast.includes(x))) log.info({ ucast: `${u.iface} ${u.peerAddress}` }, 'ucast line names this unit: skipped, as Heartbeat does');
  const links = [
    ...(await openUcastLinks(ucast.map((u) => ({ iface: u.iface, peer: u.peerAddress })), h.udpPort, driver)),
    ...h.serial.map((dev) => openSerialLink(dev, h.baud, driver)),
  ];
  driver.attach(links);
  monitors = [
    ...(h.ping.length > 0 ? [startPingMonitor(pingSettingsFor(h.ping, h.deadtimeMs, h.deadpingMs), clock, (n) => driver.dispatch({ type: 'PingChanged', now: clock(), reachable: n }))] : []),
    startTrackMonitor({ interfaces: h.trackInterfaces, scripts: h.trackScripts }, (ok, why) => {
      log.info({ ok, why }, 'track status');
      driver.dispatch({ type: 'TrackChanged', now: clock(), ok });
    }),
  ];
  driver.start();
  log.info({ node: h.thisNode, peer: h.peerNode, role, generation, links: links.map((l) => l.id), vips: vips.map(vipLabel) }, 'hbd started');
  return {
    reload: async (next) => {
      if (JSON.stringify(next) === JSON.stringify(config)) return;
      throw new AppError('RELOAD_NEEDS_RESTART', 'the configuration changed: restart hbd to apply it (the new files are valid)');
    },
    stop: stopAll,
    dump: () => ({ election: driver.election, view: view() }),
  };
}

if (process.argv.includes('--release-vips')) {
  // Releasing VIPs needs only haresources: a lax file mode must not keep them on the NIC.
  void runReleaseVips((cli) => loadFromCli(cli, false));
} else {
  void runService<HbdConfig>({
    name: 'hbd',
    summary: 'HA heartbeat: master election over UDP unicast and serial, floating IPs, split-brain protection.\nReads ha.cf, haresources and authkeys (Heartbeat v1 format) from DIR.',
    options: {
      config: { type: 'string', short: 'c' },
      node: { type: 'string' },
      'state-dir': { type: 'string' },
      'release-vips': { type: 'boolean' },
      'ha-cf': { type: 'string' },
    },
    optionsHelp: [
      `  -c, --config DIR    directory with ha.cf, haresources, authkeys (default ${DEFAULT_CONFIG_DIR})`,
      '      --node NAME     this node\'s name (default: the hostname, as uname -n)',
      `      --state-dir DIR where the boot generation is kept (default $HBD_STATE_DIR or ${DEFAULT_STATE_DIR})`,
      '      --release-vips  remove this unit\'s floating IPs and exit (systemd ExecStopPost)',
      '      --ha-cf FILE    check (or run with) FILE instead of DIR/ha.cf (csyncd validates a pushed ha.cf with it)',
    ],
    loadConfig: (cli) => loadFromCli(cli),
    start,
    stopDeadlineMs: 10_000,
  });
}
