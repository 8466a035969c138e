/**
 * csyncd: configuration sync between the two units. Wiring only:
 * config -> stores -> crash recovery -> SSH server + peer link -> checker -> D-Bus.
 *   csyncd [-c FILE]                  run in the foreground (Type=notify)
 *   csyncd --check-config [-c FILE]   validate csyncd.cfg, services.conf and the keys; exit 0 / 78
 *   csyncd --genkey-if-none ...       first start of a unit: make its keys when it has none
 */
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { runService, type RunningService, type ServiceContext } from '../runtime/service';
import { stringOpt } from '../runtime/cli';
import { AppError } from '../runtime/errors';
import { findService, type CsyncdConfig } from './config/types';
import { DEFAULT_CFG, loadCsyncdConfig, loadSettings } from './load';
import { genkeyIfNone } from './ctl/key-commands';
import { AuditLog } from './adapters/audit-log';
import { runCommand } from './adapters/command-runner';
import { exportCsyncd, propertiesOf } from './adapters/dbus-api';
import { KeyFiles } from './adapters/key-files';
import { MetaStore } from './adapters/meta-store';
import { Mutex } from './adapters/mutex';
import { recoverTransactions } from './adapters/recovery';
import { SavedStore } from './adapters/saved-store';
import { ServiceFiles } from './adapters/service-files';
import { SshPeer } from './adapters/ssh-peer';
import { startSshServer } from './adapters/ssh-server';
import { Transactions } from './adapters/transaction';
import { watchFiles } from './adapters/watcher';
import { Checker } from './checker';
import { incomingHandlers } from './incoming';
import { LocalState } from './local-state';
import { Pusher } from './pusher';

const CHANGE_SETTLE_MS = 150;
const RELOADABLE = ['autoSync', 'debounceMs', 'checkIntervalMs'];

async function start(ctx: ServiceContext<CsyncdConfig>): Promise<RunningService<CsyncdConfig>> {
  const { log, bus, notify } = ctx;
  let { settings, registry } = ctx.config;
  const S = (): typeof settings => settings;
  const R = (): typeof registry => registry;
  const dir = (name: string): string => path.join(settings.stateDir, name);
  await fs.mkdir(settings.stateDir, { recursive: true, mode: 0o700 });
  const audit = new AuditLog(dir('audit.log'));
  const keys = new KeyFiles(settings.configDir);
  const txns = new Transactions(dir('staging'));
  await txns.init();
  const meta = new MetaStore(dir('meta'), log.child({ mod: 'meta' }));
  await meta.init();
  const files = new ServiceFiles();
  const lock = new Mutex();
  const stuck = await recoverTransactions({
    txns,
    registry,
    audit,
    log: log.child({ mod: 'recovery' }),
    recordVersion: (j) => meta.put(j.service, { version: j.version, synced: j.version }),
    apply: async (service) => {
      const def = findService(registry, service);
      return def === undefined || def.apply === null ? null : runCommand(def.apply, { timeoutMs: def.timeoutMs, env: { CSYNCD_SERVICE: service, CSYNCD_PHASE: 'recover' } });
    },
  });
  let settle: NodeJS.Timeout | null = null;
  const changed = (): void => {
    settle ??= setTimeout(() => {
      settle = null;
      void checker.check().catch(() => undefined);
    }, CHANGE_SETTLE_MS);
  };
  const local = new LocalState({ settings: S, registry: R, files, meta, saved: new SavedStore(dir('saved')), audit, lock, log, stuck: () => stuck });
  const peer = new SshPeer({
    host: settings.remoteIp,
    port: settings.port,
    localAddress: settings.localIp,
    username: settings.account,
    privateKey: () => keys.readPrivate('user'),
    knownHostKeys: () => keys.knownHost(S().remoteIp, S().port),
    log: log.child({ mod: 'peer' }),
    maxBackoffMs: settings.checkIntervalMs,
  });
  const pusher = new Pusher({ settings: S, registry: R, files, meta, local, lock, peer, audit, log: log.child({ mod: 'push' }), changed });
  let publish = (): void => undefined;
  const checker: Checker = new Checker({ settings: S, local, peer, pusher, log: log.child({ mod: 'check' }), stuck: () => stuck, publish: () => publish() });
  const exported = exportCsyncd(bus, checker.current, {
    push: async (service, force) => JSON.stringify(await pusher.push(service, force, 'dbus')),
    pushAll: async (force) => JSON.stringify(await pusher.pushAll(force, 'dbus')),
    save: async (remote) => {
      const saved = remote ? await pusher.saveRemote('dbus') : await local.save('dbus');
      changed();
      return JSON.stringify(saved);
    },
    check: async () => JSON.stringify(await checker.check()),
    status: () => JSON.stringify(checker.current),
  });
  publish = (): void => {
    const v = checker.current;
    exported.update(propertiesOf(v));
    notify.status(`${v.status}: ${v.reason}`.slice(0, 200));
  };
  const receiver = { settings: S, registry: R, files, meta, txns, audit, lock, log: log.child({ mod: 'receive' }), changed };
  const server = await startSshServer({
    host: settings.localIp,
    port: settings.port,
    hostKey: await keys.readPrivate('host'),
    authorizedKeys: async () => (await keys.authorized()).keys,
    handlers: incomingHandlers({ settings: S, registry: R, local, receiver, keys, audit, log: log.child({ mod: 'server' }), view: () => checker.current }),
    log: log.child({ mod: 'server' }),
  });
  let unwatch = settings.autoSync ? watchFiles(registry.services.flatMap((s) => s.files), settings.debounceMs, changed, log) : () => undefined;
  checker.start();
  log.info({ node: settings.localNode, listen: `${settings.localIp}:${settings.port}`, peer: `${settings.remoteIp}:${settings.port}`, services: registry.services.map((s) => s.name), autoSync: settings.autoSync, stuck }, 'csyncd started');
  return {
    reload: async (next) => {
      const fixed = (s: typeof settings): string => JSON.stringify(Object.entries(s).filter(([k]) => !RELOADABLE.includes(k)));
      if (fixed(next.settings) !== fixed(settings)) throw new AppError('RELOAD_NEEDS_RESTART', 'addresses, nodes, port, account or directories changed: restart csyncd to apply them (the new files are valid)');
      settings = next.settings;
      registry = next.registry;
      unwatch();
      unwatch = settings.autoSync ? watchFiles(registry.services.flatMap((s) => s.files), settings.debounceMs, changed, log) : () => undefined;
      changed();
    },
    stop: async () => {
      checker.stop();
      unwatch();
      if (settle !== null) clearTimeout(settle);
      peer.close();
      await server.close();
    },
    dump: () => ({ view: checker.current, connected: peer.connected, stuck }),
  };
}

let firstLoad = true;

void runService<CsyncdConfig>({
  name: 'csyncd',
  summary: 'Configuration sync between the two units over SSH: per-service push with validate, atomic swap,\napply and rollback; running vs saved; red/orange/green status. Reads csyncd.cfg (ALOHA format).',
  options: { config: { type: 'string', short: 'c' }, 'genkey-if-none': { type: 'boolean' } },
  optionsHelp: [
    `  -c, --config FILE   csyncd.cfg (default ${DEFAULT_CFG}); services.conf and keys live in its config_dir`,
    '  --genkey-if-none    at start, when this unit has no keys yet, make them (as csyncctl genkey does)',
  ],
  loadConfig: async (cli) => {
    const file = stringOpt(cli, 'config', DEFAULT_CFG);
    // Only when starting: never on a reload, never for --check-config (it changes nothing).
    if (firstLoad && cli.values['genkey-if-none'] === true && cli.values['check-config'] !== true) await genkeyIfNone((await loadSettings(file)).settings, process.stdout);
    firstLoad = false;
    return loadCsyncdConfig(file, { checkKeys: true });
  },
  start,
  stopDeadlineMs: 10_000,
});
