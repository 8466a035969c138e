/**
 * Heartbeat v1 config files for a simulated pair (tests, demo, benchmarks):
 * the same ha.cf/haresources/authkeys on both units, as a real pair has.
 */
import { chmodSync, mkdirSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { PING_NODE, VIP, VIP6, type SimPair } from './pair';

export interface HbdPairSettings {
  keepalive: string;
  deadtime: string;
  warntime: string;
  initdead: string;
  autoFailback: boolean;
  /** ucast over eth1 (default true). */
  ucast?: boolean;
  /** serial over the socat cable (default true). */
  serial?: boolean;
  baud?: number;
  ping?: boolean;
  extra?: string[];
  /** Also float the IPv6 VIP. */
  vip6?: boolean;
  authMethod?: 'sha256' | 'sha1' | 'md5';
  /** Write Heartbeat's `logfacility local0` (default true: tests see how a directive hbd ignores is reported). */
  logfacility?: boolean;
}

export const DEMO_SETTINGS: HbdPairSettings = {
  keepalive: '200ms', deadtime: '1s', warntime: '500ms', initdead: '2s', autoFailback: true, ping: true, vip6: true,
  // No directive hbd ignores: the demo's System Overview shows no configuration warning.
  logfacility: false,
};

/** Writes DIR/<unit>/ha.d/{ha.cf,haresources,authkeys} and returns the per-unit dirs. */
export function writeHbdConfigs(pair: SimPair, s: HbdPairSettings): [string, string] {
  const [u1, u2] = pair.units;
  return pair.units.map((u) => {
    const dir = path.join(u.dir, 'ha.d');
    mkdirSync(dir, { recursive: true });
    const lines = [
      `# simulated pair ${pair.id}`,
      `keepalive ${s.keepalive}`,
      `warntime ${s.warntime}`,
      `deadtime ${s.deadtime}`,
      `initdead ${s.initdead}`,
      'udpport 694',
      // Both addresses on both units, as a real pair's identical ha.cf has: each skips its own.
      ...(s.ucast ?? true ? [`ucast eth1 ${u1.hbIp}`, `ucast eth1 ${u2.hbIp}`] : []),
      // baud before serial: Heartbeat reads them in that order.
      ...(s.serial ?? true ? [`baud ${s.baud ?? 19200}`, `serial ${u.tty}`] : []),
      ...(s.ping === true ? [`ping ${PING_NODE}`] : []),
      `auto_failback ${s.autoFailback ? 'on' : 'off'}`,
      ...(s.logfacility ?? true ? ['logfacility local0'] : []),
      `node ${u1.name}`,
      `node ${u2.name}`,
      ...(s.extra ?? []),
      '',
    ];
    writeFileSync(path.join(dir, 'ha.cf'), lines.join('\n'));
    const res = [`IPaddr::${VIP}/24/eth0`, ...(s.vip6 === true ? [`IPaddr2::${VIP6}/64/eth0`] : [])];
    writeFileSync(path.join(dir, 'haresources'), `${u1.name} ${res.join(' ')}\n`);
    const keys = path.join(dir, 'authkeys');
    writeFileSync(keys, `auth 1\n1 ${s.authMethod ?? 'sha256'} simulated-pair-secret-${pair.id}\n`, { mode: 0o600 });
    chmodSync(keys, 0o600);
    return dir;
  }) as [string, string];
}
