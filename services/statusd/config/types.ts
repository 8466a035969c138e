/** statusd's configuration after parsing and validation (README "Configuration"). */
import * as path from 'node:path';
import { repoRoot } from '../../runtime/cli';

export interface StatusdConfig {
  /** The file it came from; null when none exists (all defaults). */
  file: string | null;
  /** Addresses to listen on; empty = every address (IPv6 and IPv4). */
  listen: string[];
  /** Plain HTTP: redirects to HTTPS; 0 = off. */
  httpPort: number;
  httpsPort: number;
  /** Both null: a self-signed certificate in stateDir/tls, made on first start. */
  tlsCert: string | null;
  tlsKey: string | null;
  stateDir: string;
  wwwDir: string;
  /** systemd units shown with their state and a restart button. */
  units: string[];
  /** com.lbos.<Name> services shown (hbd, nicd, csyncd, paneld). */
  sources: string[];
  /** Bus of org.freedesktop.systemd1; null = the system bus (tests use their own). */
  systemdBus: string | null;
  sampleIntervalMs: number;
  sessionIdleMs: number;
  sessionLifetimeMs: number;
  maxSessions: number;
  /** Login token bucket per source address. */
  loginBurst: number;
  loginRefillMs: number;
  /** Login token bucket over all source addresses together. */
  loginGlobalBurst: number;
  loginGlobalRefillMs: number;
  maxClients: number;
  maxPayloadBytes: number;
  historyDeltas: number;
  historyBytes: number;
  slowHighBytes: number;
  slowLowBytes: number;
  slowTimeoutMs: number;
  heartbeatMs: number;
  /** Extra origins allowed besides the page's own (a reverse proxy's name). */
  allowOrigins: string[];
  /**
   * Where plain HTTP redirects to (an https origin), for a unit reached
   * through NAT or a port forward; null: the address the connection came in
   * on. Never the request's Host header.
   */
  redirectTo: string | null;
}

export const DEFAULT_CONFIG_FILE = '/etc/lbos/statusd.conf';
export const DEFAULT_STATE_DIR = '/var/lib/lbos/statusd';

export const DEFAULT_UNITS = ['hbd.service', 'nicd.service', 'csyncd.service', 'statusd.service', 'paneld.service', 'paird.service'];
export const DEFAULT_SOURCES = ['hbd', 'nicd', 'csyncd', 'paneld', 'paird'];

export function defaultConfig(): StatusdConfig {
  return {
    file: null,
    listen: [],
    httpPort: 9080,
    httpsPort: 9443,
    tlsCert: null,
    tlsKey: null,
    stateDir: process.env.STATUSD_STATE_DIR ?? DEFAULT_STATE_DIR,
    wwwDir: path.join(repoRoot(), 'services', 'statusd', 'www'),
    units: [...DEFAULT_UNITS],
    sources: [...DEFAULT_SOURCES],
    systemdBus: null,
    sampleIntervalMs: 5000,
    sessionIdleMs: 3_600_000,
    sessionLifetimeMs: 12 * 3_600_000,
    maxSessions: 256,
    loginBurst: 5,
    loginRefillMs: 12_000,
    loginGlobalBurst: 20,
    loginGlobalRefillMs: 1000,
    maxClients: 2000,
    maxPayloadBytes: 4096,
    historyDeltas: 1024,
    historyBytes: 1 << 20,
    slowHighBytes: 64 * 1024,
    slowLowBytes: 8 * 1024,
    slowTimeoutMs: 30_000,
    heartbeatMs: 15_000,
    allowOrigins: [],
    redirectTo: null,
  };
}
