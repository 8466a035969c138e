/**
 * The parsed form of /etc/ha.d/ha.cf and its defaults.
 *
 * Defaults follow Heartbeat 3 (ha.cf(5), heartbeat/config.c): keepalive 2s,
 * deadtime 30s, warntime deadtime/2, initdead = deadtime when deadtime > 10s
 * else 12s (deadtime < 6s) or 2 x deadtime, deadping = deadtime, udpport 694,
 * baud 19200. The VRRP-style extras (priority, preempt_delay, garp_*,
 * track_*) follow keepalived's meaning where one exists.
 */
import type { ConfigProblem } from '../../runtime/config/problems';

/** Serial speeds hbd accepts for `baud`. */
export const BAUD_RATES = [9600, 19200, 38400, 57600, 115200] as const;
export type BaudRate = (typeof BAUD_RATES)[number];

export const DEFAULT_UDP_PORT = 694;
export const DEFAULT_BAUD: BaudRate = 19200;
export const DEFAULT_KEEPALIVE_MS = 2_000;
export const DEFAULT_DEADTIME_MS = 30_000;
export const DEFAULT_PRIORITY = 100;
export const DEFAULT_PREEMPT_DELAY_MS = 0;
export const DEFAULT_GARP_REPEAT = 3;
/** Gap between gratuitous ARP / unsolicited NA repeats after a takeover. */
export const DEFAULT_GARP_DELAY_MS = 1_000;
export const DEFAULT_TRACK_SCRIPT_INTERVAL_MS = 2_000;
/** Shortest timer we accept anywhere (keepalive 10ms is a lab setting). */
export const MIN_TIMER_MS = 10;
export const MAX_TIMER_MS = 3_600_000;
/** Heartbeat warns below this initdead: networks need time to come up. */
export const INITDEAD_WARN_BELOW_MS = 10_000;
/** Size we budget for one serial heartbeat frame, and line bits per byte (8N1). */
export const SERIAL_FRAME_BYTES = 80;
export const SERIAL_BITS_PER_BYTE = 10;
/** Keepalive must leave the serial line at most this busy. */
export const SERIAL_MAX_UTILISATION = 0.5;

/** One `ucast IFACE PEER_IP` line. */
export interface UcastLink {
  iface: string;
  /** The peer's address as written. */
  peerAddress: string;
  family: 4 | 6;
}

/** One `track_script PATH [INTERVAL]` line. */
export interface TrackScript {
  path: string;
  intervalMs: number;
}

/** ha.cf with defaults applied; every duration in milliseconds. */
export interface HaCf {
  /** This node's name, lower-cased (Heartbeat compares node names case-insensitively). */
  thisNode: string;
  /** The other node of the pair. */
  peerNode: string;
  /** Both nodes in file order. */
  nodes: [string, string];
  ucast: UcastLink[];
  udpPort: number;
  /** Serial devices, e.g. /dev/ttyS0. */
  serial: string[];
  baud: BaudRate;
  keepaliveMs: number;
  warntimeMs: number;
  deadtimeMs: number;
  initdeadMs: number;
  deadpingMs: number;
  /** `legacy` is read as on. */
  autoFailback: boolean;
  /** Ping node addresses. */
  ping: string[];
  /** 1..254, higher wins (VRRP sense). */
  priority: number;
  preemptDelayMs: number;
  garpRepeat: number;
  garpDelayMs: number;
  trackInterfaces: string[];
  trackScripts: TrackScript[];
}

/** Result of a successful parse: the config and the problems that did not stop it. */
export interface HaCfResult {
  config: HaCf;
  warnings: ConfigProblem[];
}

/** Heartbeat's initdead default for a given deadtime. */
export function defaultInitdeadMs(deadtimeMs: number): number {
  if (deadtimeMs > 10_000) return deadtimeMs;
  return deadtimeMs < 6_000 ? 12_000 : 2 * deadtimeMs;
}
