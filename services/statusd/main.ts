/**
 * statusd: live status feed and System Overview page. Wiring only:
 * config -> buses -> app (app.ts) -> D-Bus object -> run.
 *   statusd [-c FILE] [--state-dir DIR]   run in the foreground (Type=notify)
 *   statusd --check-config [-c FILE]      validate and exit
 */
import * as os from 'node:os';
import { runService, type RunningService, type ServiceContext } from '../runtime/service';
import { connectSystemBus } from '../runtime/dbus';
import { AppError } from '../runtime/errors';
import { loadStatusdConfig } from './config/load';
import { DEFAULT_CONFIG_FILE, DEFAULT_STATE_DIR, type StatusdConfig } from './config/types';
import { startApp } from './app';
import { exportStatusd, type AdminPasswordState } from './adapters/dbus-api';
import { INITIAL_USER } from './adapters/users-file';
import type { ExportedObject } from '../runtime/dbus';

const PUBLISH_EVERY_MS = 1000;

async function start(ctx: ServiceContext<StatusdConfig>): Promise<RunningService<StatusdConfig>> {
  const { config, log, bus, notify } = ctx;
  const systemdBus = config.systemdBus === null ? bus : await connectSystemBus(config.systemdBus);
  let adminPassword: AdminPasswordState = 'changed';
  let exported: ExportedObject | null = null;
  const props = () => {
    const s = app.hub.stats();
    return { Clients: s.clients, StalledClients: s.stalled, Epoch: app.hub.epoch, Seq: BigInt(s.seq), AdminPassword: adminPassword };
  };
  // statusctl passwd changes the files without telling statusd: checked every tick too.
  const checkPassword = async (): Promise<void> => {
    const next = (await app.users.isInitial(INITIAL_USER)) ? 'initial' : 'changed';
    if (next !== adminPassword) log.info({ adminPassword: next }, 'web admin password state');
    adminPassword = next;
    exported?.update({ AdminPassword: adminPassword });
  };
  const app = await startApp({ config, log, bus, systemdBus, passwordChanged: () => void checkPassword().catch((err: unknown) => log.warn({ err }, 'cannot check the admin password state')) });
  await checkPassword();
  exported = exportStatusd(bus, props(), () => app.stats(), {
    initialPassword: () => app.users.initialPassword(),
    resetAdminPassword: async () => {
      const p = await app.resetAdminPassword();
      await checkPassword();
      return p;
    },
  });
  let lastStatus = '';
  let hostname = os.hostname();
  const timer = setInterval(() => {
    // Pairing may rename the unit (nicd's hostname): the page's unit name follows.
    if (os.hostname() !== hostname) {
      hostname = os.hostname();
      app.hub.publish(['unit', 'hostname'], hostname);
    }
    void checkPassword().catch((err: unknown) => log.warn({ err }, 'cannot check the admin password state'));
    exported?.update(props());
    const status = `${app.hub.size} feed clients, seq ${app.hub.seq}`;
    if (status !== lastStatus) notify.status(status); // each one is a message for systemd to handle
    lastStatus = status;
  }, PUBLISH_EVERY_MS);
  return {
    reload: async (next) => {
      await app.reloadTls();
      if (JSON.stringify(next) !== JSON.stringify(config)) {
        throw new AppError('RELOAD_NEEDS_RESTART', 'certificate reloaded; other configuration changes need a restart of statusd');
      }
    },
    stop: async () => {
      clearInterval(timer);
      await app.stop();
      if (systemdBus !== bus) systemdBus.disconnect();
    },
    dump: () => app.stats(),
  };
}

void runService<StatusdConfig>({
  name: 'statusd',
  summary: 'Live status feed (WebSocket) and System Overview page over HTTPS, with login.\nShows hbd, nicd, csyncd, paneld and systemd units as they change.',
  options: {
    config: { type: 'string', short: 'c' },
    'state-dir': { type: 'string' },
  },
  optionsHelp: [
    `  -c, --config FILE   statusd.conf (default ${DEFAULT_CONFIG_FILE}; defaults when it does not exist)`,
    `      --state-dir DIR users, initial password, certificate (default $STATUSD_STATE_DIR or ${DEFAULT_STATE_DIR})`,
  ],
  loadConfig: loadStatusdConfig,
  start,
  stopDeadlineMs: 5000,
});
