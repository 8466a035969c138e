/**
 * The typed configuration csyncd runs on: csyncd.cfg (ALOHA's KEY=VALUE
 * lines plus service options) and the services registry (services.conf).
 */

/** Defaults, as in the ALOHA app note where it has one. */
export const DEFAULTS = {
  port: 24,
  configDir: '/etc/csyncd',
  stateDir: '/var/lib/lbos/csyncd',
  account: 'admin',
  autoSync: false,
  debounceMs: 2000,
  checkIntervalMs: 10_000,
  maxSizeBytes: 16 * 1024 * 1024,
  commandTimeoutMs: 60_000,
} as const;

/** csyncd.cfg, validated. */
export interface CsyncdSettings {
  /** The file these came from (for messages). */
  file: string;
  /** This unit's administration address: the SSH server listens here only. */
  localIp: string;
  /** The peer's administration address. */
  remoteIp: string;
  /** 1..255, unique in the pair; part of every version stamp. */
  localNode: number;
  remoteNode: number;
  /** TCP port of both units' csyncd (ALOHA: 24). */
  port: number;
  /** Keys, known hosts, authorized keys, accounts, services.conf. */
  configDir: string;
  /** Versions, staging, journals, saved store, audit log. */
  stateDir: string;
  /** The peer's management account: SSH user name and getkey password account. */
  account: string;
  /** Push local changes automatically (Loadbalancer.org style); off by default. */
  autoSync: boolean;
  debounceMs: number;
  checkIntervalMs: number;
}

/** One syncable service of the registry. */
export interface ServiceDef {
  name: string;
  /** Absolute, normalised paths; the only files a push may ever write. */
  files: string[];
  /** argv with `{file}` placeholders; null: no validation. */
  validate: string[] | null;
  /** argv run after the swap (e.g. a reload); null: nothing to run. */
  apply: string[] | null;
  /** Largest accepted size of one file, bytes. */
  maxSize: number;
  /** Deadline of validate and apply, ms. */
  timeoutMs: number;
  /** Where it was defined. */
  file: string;
  line: number;
}

/** services.conf, validated. */
export interface Registry {
  file: string;
  services: ServiceDef[];
}

/** Everything csyncd runs on. */
export interface CsyncdConfig {
  settings: CsyncdSettings;
  registry: Registry;
}

/** Find a service by name. */
export function findService(registry: Registry, name: string): ServiceDef | undefined {
  return registry.services.find((s) => s.name === name);
}

/** Service names: short, safe in paths, JSON and SSH command lines. */
export const SERVICE_NAME_RE = /^[a-z][a-z0-9_-]{0,31}$/;
