/**
 * The files pairing writes, from the plan (core/plan.ts): ha.cf,
 * haresources and authkeys for hbd (Heartbeat v1 formats, ha.cf(5)), and
 * csyncd.cfg (ALOHA's KEY=VALUE lines). Unit 0 is the one that pairs, unit
 * 1 the peer. ha.cf carries both units' ucast lines, as a Heartbeat pair's
 * identical ha.cf does (hbd skips the one naming its own address); only the
 * serial device may differ.
 */
import type { PairPlan } from './plan';

export interface UnitFiles {
  node: string;
  rename: string | null;
  haCf: string;
  haresources: string;
  authkeys: string;
  csyncdCfg: string;
}

const HEAD = (what: string, stamp: string): string => `# ${what}, written by pairing (hactl pair / the HA page) on ${stamp}.`;

export function renderHaCf(plan: PairPlan, unit: 0 | 1, stamp: string): string {
  const ucast = [...new Set(plan.links.flatMap((l) => [`ucast ${l.localIface} ${l.peerIp}`, `ucast ${l.peerIface} ${l.localIp}`]))];
  const t = plan.timing;
  return [
    HEAD('HA settings of this pair', stamp),
    '# The same on both units (but the serial device); change it on the HA page or here on both units.',
    `keepalive ${t.keepalive}`,
    `warntime ${t.warntime}`,
    `deadtime ${t.deadtime}`,
    `initdead ${t.initdead}`,
    'udpport 694',
    ...ucast,
    // baud before serial: Heartbeat reads them in that order.
    ...(plan.serial === null ? [] : ['baud 19200', `serial ${plan.serial[unit]}`]),
    ...(plan.pingNode === null ? [] : [`ping ${plan.pingNode}`]),
    `auto_failback ${plan.autoFailback ? 'on' : 'off'}`,
    `node ${plan.nodes[0]}`,
    `node ${plan.nodes[1]}`,
    '',
  ].join('\n');
}

export function renderHaresources(plan: PairPlan, stamp: string): string {
  const res = plan.vips.map((v) => `IPaddr2::${v.cidr.address}/${v.cidr.prefix}/${v.iface}`);
  return `${HEAD('Floating IPs', stamp)}\n${plan.nodes[0]} ${res.join(' ')}\n`;
}

/** `secret`: random, made by the caller (hex, 256 bits); the same on both units. */
export function renderAuthkeys(secret: string): string {
  return `auth 1\n1 sha256 ${secret}\n`;
}

export function renderCsyncdCfg(plan: PairPlan, unit: 0 | 1, stamp: string): string {
  const [me, them] = unit === 0 ? [plan.sync.localIp, plan.sync.peerIp] : [plan.sync.peerIp, plan.sync.localIp];
  return [
    HEAD('Configuration sync with the peer', stamp),
    `LOCAL_IP=${me}`,
    `REMOTE_IP=${them}`,
    `LOCAL_NODE=${unit + 1}`,
    `REMOTE_NODE=${2 - unit}`,
    '',
  ].join('\n');
}

export function renderUnitFiles(plan: PairPlan, unit: 0 | 1, secret: string, stamp: string): UnitFiles {
  return {
    node: plan.nodes[unit],
    rename: plan.renames[unit],
    haCf: renderHaCf(plan, unit, stamp),
    haresources: renderHaresources(plan, stamp),
    authkeys: renderAuthkeys(secret),
    csyncdCfg: renderCsyncdCfg(plan, unit, stamp),
  };
}
