/**
 * statusd assembled: users and certificate on first start, the feed hub,
 * the sources, the HTTPS/HTTP servers and the WebSocket endpoint. main.ts
 * calls this with the buses from runService; the integration tests call it
 * in-process with their own buses.
 */
import { randomBytes, X509Certificate } from 'node:crypto';
import * as os from 'node:os';
import * as path from 'node:path';
import type { MessageBus } from '../runtime/dbus';
import { firmwareVersion } from '../runtime/cli';
import type { Logger } from '../runtime/log';
import { AppError } from '../runtime/errors';
import type { StatusdConfig } from './config/types';
import { FeedHub } from './feed-hub';
import { Auth } from './auth';
import type { StateSource } from './ports/state-source';
import type { FailoverControl, PairControl, SyncControl, UnitControl } from './ports/controls';
import { ensureInitialUser, INITIAL_USER, UsersFile, USERS_FILE } from './adapters/users-file';
import { configuredPair, selfSignedPair, type TlsPair } from './adapters/tls-cert';
import { StaticFiles } from './adapters/static-files';
import { ServiceSource } from './adapters/service-source';
import { SystemdSource } from './adapters/systemd-source';
import { SystemSource } from './adapters/system-source';
import { HbdFailover } from './adapters/hbd-control';
import { PairdControl } from './adapters/pair-control';
import { CsyncdSync } from './adapters/sync-control';
import { FeedServer } from './adapters/feed-ws';
import { createWebApp } from './adapters/web-app';
import { startServers, type Listening } from './adapters/servers';

export interface AppDeps {
  config: StatusdConfig;
  log: Logger;
  /** Bus of the com.lbos services; may be left out when sources and controls are all given. */
  bus?: MessageBus;
  /** Bus of org.freedesktop.systemd1 (usually the same as `bus`). */
  systemdBus?: MessageBus;
  now?: () => number;
  /** Replace the built-in sources (tests); systemd restarts then go to `unitControl`. */
  sources?: StateSource[];
  unitControl?: UnitControl;
  failover?: FailoverControl;
  pair?: PairControl;
  sync?: SyncControl;
  /** A user changed their password on the page. */
  passwordChanged?: (user: string) => void;
}

export interface RunningApp {
  hub: FeedHub;
  feed: FeedServer;
  auth: Auth;
  listening: Listening;
  tls: TlsPair;
  /** The password made on this start (first start only), else null. */
  initialPassword: string | null;
  users: UsersFile;
  /** A new initial password for admin (console reset); every admin session ends. */
  resetAdminPassword(): Promise<string>;
  reloadTls(): Promise<void>;
  stop(): Promise<void>;
  stats(): Record<string, unknown>;
}

export async function loadTls(c: StatusdConfig, log: Logger): Promise<TlsPair> {
  return c.tlsCert !== null && c.tlsKey !== null ? configuredPair(c.tlsCert, c.tlsKey) : selfSignedPair(c.stateDir, log);
}

export async function startApp(d: AppDeps): Promise<RunningApp> {
  const { config: c, log } = d;
  const now = d.now ?? Date.now;
  // Independent of each other: at the first start the password hash (scrypt,
  // on the thread pool) and the certificate (an openssl process) overlap.
  const [initialPassword, tls, files] = await Promise.all([
    ensureInitialUser(c.stateDir, log.child({ mod: 'users' })),
    loadTls(c, log.child({ mod: 'tls' })),
    StaticFiles.load(c.wwwDir),
  ]);
  const hub = new FeedHub({
    epoch: randomBytes(6).toString('base64url'),
    history: { maxDeltas: c.historyDeltas, maxBytes: c.historyBytes },
    flow: { highWaterBytes: c.slowHighBytes, lowWaterBytes: c.slowLowBytes, stallTimeoutMs: c.slowTimeoutMs },
    heartbeatMs: c.heartbeatMs,
    log: log.child({ mod: 'feed' }),
    now,
  }, { unit: { hostname: os.hostname(), version: firmwareVersion(), startedAt: now() } });
  const users = new UsersFile(path.join(c.stateDir, USERS_FILE), log.child({ mod: 'users' }));
  const auth = new Auth(users, {
    sessions: { idleMs: c.sessionIdleMs, lifetimeMs: c.sessionLifetimeMs, maxSessions: c.maxSessions },
    bucket: { burst: c.loginBurst, refillMs: c.loginRefillMs },
    globalBucket: { burst: c.loginGlobalBurst, refillMs: c.loginGlobalRefillMs },
    now,
  });
  const bus = (): MessageBus => {
    if (d.bus === undefined) throw new AppError('BUS_UNAVAILABLE', 'no D-Bus connection given');
    return d.bus;
  };
  const systemd = d.sources !== undefined && d.unitControl !== undefined ? null : new SystemdSource(d.systemdBus ?? bus(), c.units, log.child({ mod: 'systemd' }));
  const sources = d.sources ?? [
    ...c.sources.map((s) => new ServiceSource(bus(), s, log.child({ mod: `source-${s}` }))),
    ...(systemd === null ? [] : [systemd]),
    new SystemSource(c.sampleIntervalMs, log.child({ mod: 'system' })),
  ];
  const feed = new FeedServer({ hub, auth, allowOrigins: c.allowOrigins, maxClients: c.maxClients, maxPayloadBytes: c.maxPayloadBytes, heartbeatMs: c.heartbeatMs, log: log.child({ mod: 'ws' }) });
  let current = tls;
  const app = createWebApp({
    auth, files, units: c.units, allowOrigins: c.allowOrigins, sessionMaxAgeS: Math.floor(c.sessionLifetimeMs / 1000),
    unitControl: d.unitControl ?? systemd ?? new SystemdSource(bus(), c.units, log),
    failover: d.failover ?? new HbdFailover(bus()),
    pair: d.pair ?? new PairdControl(bus()),
    sync: d.sync ?? new CsyncdSync(bus()),
    fingerprint: () => `SHA256:${new X509Certificate(current.cert).fingerprint256}`,
    log: log.child({ mod: 'http' }),
    endSession: (t) => feed.endSession(t),
    passwordChanged: d.passwordChanged,
  });
  const publish = hub.publish.bind(hub);
  for (const s of sources) {
    await s.start(publish).catch((err: unknown) => log.error({ err, source: s.key }, 'source failed to start; shown as unknown'));
  }
  const listening = await startServers({ listen: c.listen, httpPort: c.httpPort, httpsPort: c.httpsPort, redirectTo: c.redirectTo, tls, app, upgrade: (req, socket, head) => feed.handleUpgrade(req, socket, head) }).catch(async (err: unknown) => {
    await Promise.all(sources.map((s) => s.stop()));
    throw err;
  });
  feed.start();
  log.info({ listening: listening.addresses, cert: tls.certFile, epoch: hub.epoch, sources: sources.map((s) => s.key) }, 'statusd listening');
  return {
    hub, feed, auth, listening, tls, initialPassword, users,
    resetAdminPassword: async () => {
      const password = await users.resetInitial();
      for (const t of auth.endAllOf(INITIAL_USER)) feed.endSession(t);
      log.warn({ audit: 'reset-password', user: INITIAL_USER, file: users.initialPasswordFile }, `password of web user ${INITIAL_USER} reset to a new initial password (from the console); it must be changed at the next login`);
      return password;
    },
    reloadTls: async () => {
      current = await loadTls(c, log);
      listening.setTls(current);
    },
    stop: async () => {
      feed.close();
      await Promise.all(sources.map((s) => s.stop()));
      await listening.close();
    },
    stats: () => ({ ...hub.stats(), sessions: auth.sessions.size, scrypt: auth.scryptLoad, drops: feed.drops, epoch: hub.epoch, rssBytes: process.memoryUsage().rss }),
  };
}
