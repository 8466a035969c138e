/**
 * nicd: network interfaces of the appliance. Wiring only: config -> adapters
 * -> controller, link watcher -> D-Bus.
 *   nicd [-c FILE] [--state-dir DIR] [--resolv-conf FILE] [--hostname-file FILE]
 *   nicd --check-config [-c FILE]
 */
import { runService, type RunningService, type ServiceContext } from '../runtime/service';
import { stringOpt } from '../runtime/cli';
import { AppError } from '../runtime/errors';
import { ConfigError } from '../runtime/config/problems';
import { loadNicdConfig, type NicdBoot } from './load';
import { initialConfig } from './boot-config';
import { Controller, systemClock } from './controller';
import { Reconciler } from './reconciler';
import { LinkWatcher } from './link-watcher';
import { firstNic } from './config/factory';
import { DEFAULT_CONFIG_FILE } from '../runtime/netconf/types';
import { linuxNet } from './adapters/linux-net';
import { readLinksAndAddresses } from './adapters/iproute2';
import { configFileStore, openStateDir } from './adapters/state-dir';
import { startIpMonitor } from './adapters/monitor';
import { exportNicd, type NicdProperties } from './adapters/dbus-api';
import { dbusProperties, statusView } from './publish';
import type { ExportedObject } from '../runtime/dbus';

const DEFAULT_STATE_DIR = '/var/lib/lbos/nicd';

async function start(ctx: ServiceContext<NicdBoot>): Promise<RunningService<NicdBoot>> {
  const { cli, log, bus, notify } = ctx;
  const store = await openStateDir(stringOpt(cli, 'state-dir', process.env.NICD_STATE_DIR ?? DEFAULT_STATE_DIR));
  const configFile = configFileStore(ctx.config.file);
  const net = linuxNet({ resolvConf: stringOpt(cli, 'resolv-conf', '/etc/resolv.conf'), hostnameFile: stringOpt(cli, 'hostname-file', '/etc/hostname') });
  let exported: ExportedObject | null = null;
  let mgmt = '';
  const props = (): NicdProperties => dbusProperties(controller.status(), watcher.snapshot, mgmt);
  const publish = (): void => {
    if (exported === null) return; // not before the controller and the object exist
    exported.update(props() as unknown as Record<string, unknown>);
    const s = controller.status();
    notify.status(`generation ${s.generation} ${s.state}${s.pendingGeneration > 0 ? ` (generation ${s.pendingGeneration} unconfirmed)` : ''}`);
  };
  const watcher = new LinkWatcher(readLinksAndAddresses, (snapshot, events) => {
    mgmt = firstNic(snapshot.links) ?? '';
    if (exported === null) return;
    publish();
    for (const e of events) {
      if (e.type === 'CarrierChanged' || e.type === 'LinkAdded') exported.emit('LinkChanged', e.name, e.carrier);
      if (e.type === 'LinkAdded') controller.linkAppeared(e.name);
      if (e.type === 'AddressAdded' || e.type === 'AddressRemoved') exported.emit('AddressChanged', e.ifname, e.cidr, e.type === 'AddressAdded');
    }
    if (events.length > 0) log.info({ events }, 'link change');
  }, log.child({ mod: 'links' }));
  const monitor = startIpMonitor(() => watcher.trigger(), log.child({ mod: 'monitor' }));
  await watcher.refresh();
  const initial = initialConfig(ctx.config, firstNic(watcher.snapshot.links));
  const reconciler = new Reconciler(net, store, log.child({ mod: 'reconcile' }));
  const controller = await watcher.quiet(
    () => Controller.start({ reconciler, configFile, store, clock: systemClock, log: log.child({ mod: 'apply' }), onChange: () => publish() }, initial.active, initial.note),
    true,
  );
  const statusJson = async (): Promise<string> => JSON.stringify(statusView(controller.status(), watcher.snapshot, mgmt, await store.loadOwned()));
  exported = exportNicd(bus, props(), {
    apply: (text, timeoutSec) => watcher.quiet(() => controller.apply(text, timeoutSec, '(submitted)')),
    plan: (text) => controller.plan(text, '(submitted)'),
    confirm: () => controller.confirm(),
    rollback: () => watcher.quiet(() => controller.rollback()),
    getConfig: () => ({ generation: controller.activeConfig().generation, text: controller.activeConfig().text }),
    statusJson,
  });
  publish();
  log.info({ generation: controller.status().generation, source: controller.status().source, management: mgmt }, 'nicd started');
  return {
    reload: async (boot) => {
      const text = boot.text;
      if (text === null) throw new AppError('NO_CONFIG_FILE', `${boot.file} is gone: keeping the running configuration`);
      if (boot.config === null) throw new ConfigError(boot.problems);
      await watcher.quiet(() => controller.apply(text, 0, boot.file, true));
    },
    stop: () => {
      monitor.stop();
      controller.stop();
      return Promise.resolve();
    },
    dump: () => ({ ...controller.status(), management: mgmt, interfaces: watcher.snapshot.links.length }),
  };
}

void runService<NicdBoot>({
  name: 'nicd',
  summary: 'Network interfaces: addresses, MTU, routes, DNS, hostname, VLANs and bonds from one file,\napplied by difference, with commit-confirmed safe apply and link monitoring over D-Bus.',
  options: {
    config: { type: 'string', short: 'c' },
    'state-dir': { type: 'string' },
    'resolv-conf': { type: 'string' },
    'hostname-file': { type: 'string' },
  },
  optionsHelp: [
    `  -c, --config FILE       network configuration (default ${DEFAULT_CONFIG_FILE}; missing: factory default)`,
    `      --state-dir DIR     owned-objects record, generation counter (default $NICD_STATE_DIR or ${DEFAULT_STATE_DIR})`,
    '      --resolv-conf FILE  resolv.conf to write (default /etc/resolv.conf; symlinks are followed)',
    '      --hostname-file F   hostname file to write (default /etc/hostname)',
  ],
  loadConfig: loadNicdConfig,
  start,
  stopDeadlineMs: 5000,
});
