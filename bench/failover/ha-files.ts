/**
 * The Heartbeat v1 configuration (ha.cf, haresources, authkeys) that both
 * Heartbeat and hbd are given, byte for byte: two nodes, unicast heartbeats on
 * the dedicated eth1 link (each daemon ignores the line naming its own
 * address), the VIP owned by u1 with auto_failback on.
 */
import { chmodSync, mkdirSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { LAN_PREFIX, VIP, type SimPair } from '../../scripts/sim/pair';
import { haDuration, type Timing } from './daemon';

/** Heartbeat's advice is initdead >= 2 x deadtime; below 2 s both start racing each other. */
const MIN_INITDEAD_MS = 2_000;
const SHARED_KEY = 'lbos-bench-failover';

export function initdeadMs(t: Timing): number {
  return Math.max(2 * t.deadtimeMs, MIN_INITDEAD_MS);
}

export function haCf(pair: SimPair, t: Timing): string {
  const [u1, u2] = pair.units;
  return [
    '# bench/failover: the same file for Heartbeat and hbd, on both units',
    '# Heartbeat logs into its per-unit /var/lib/heartbeat (a bind mount), not syslog; hbd ignores both',
    'logfacility none',
    'logfile /var/lib/heartbeat/ha.log',
    `ucast eth1 ${u1.hbIp}`,
    `ucast eth1 ${u2.hbIp}`,
    `keepalive ${haDuration(t.keepaliveMs)}`,
    `warntime ${haDuration(t.deadtimeMs / 2)}`,
    `deadtime ${haDuration(t.deadtimeMs)}`,
    `initdead ${haDuration(initdeadMs(t))}`,
    'auto_failback on',
    `node ${u1.name}`,
    `node ${u2.name}`,
    'crm off',
    '',
  ].join('\n');
}

export function haresources(pair: SimPair): string {
  return `${pair.units[0].name} IPaddr::${VIP}/${LAN_PREFIX}/eth0\n`;
}

export const authkeys = (): string => `auth 1\n1 sha1 ${SHARED_KEY}\n`;

/** Writes the three files into `dir` (authkeys mode 600: both daemons refuse anything else). */
export function writeHaFiles(dir: string, pair: SimPair, t: Timing): void {
  mkdirSync(dir, { recursive: true });
  writeFileSync(path.join(dir, 'ha.cf'), haCf(pair, t));
  writeFileSync(path.join(dir, 'haresources'), haresources(pair));
  writeFileSync(path.join(dir, 'authkeys'), authkeys(), { mode: 0o600 });
  chmodSync(path.join(dir, 'authkeys'), 0o600);
}
