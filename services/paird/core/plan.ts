/**
 * The pairing plan: from both units' offers, the peer address the user
 * gave and the floating IPs, the files each unit gets (core/render.ts), or
 * the specific reason pairing is refused. Pure: the secret comes in.
 *
 *   links:   ucast on every interface where both units have an address in
 *            one subnet (the subnet of the peer address must be one of them)
 *            + the serial cable when both units have the same port
 *   ping:    the gateway both units share, unless the user names one (or none)
 *   names:   each unit's own; two units with one name (factory-fresh:
 *            "lbos") become lbmaster (this unit) and lbslave (the peer),
 *            as the reference guide names them
 *   VIPs:    on the interface whose subnet holds them, the same name on both
 *            units; never an address of either unit or the gateway
 */
import { parseIpAddress } from '../../runtime/config/values';
import { parseHostCidr } from '../../runtime/netconf/directives';
import { canonicalIp, subnetContains, type Cidr } from '../../runtime/netconf/ip';
import type { UnitOffer } from './offer';

/** Heartbeat timing written to ha.cf (its defaults are those of the reference ha.cf). */
export interface PairTiming {
  keepalive: string;
  warntime: string;
  deadtime: string;
  initdead: string;
}

export const DEFAULT_TIMING: PairTiming = { keepalive: '1', warntime: '5', deadtime: '10', initdead: '30' };

export interface PairOptions {
  /** Floating IPs: "ADDR" (the prefix of its subnet) or "ADDR/PREFIX". */
  vips: string[];
  /** undefined: the shared gateway; null: no ping node; else this address. */
  pingNode?: string | null;
  /** false: no serial link even where both units have the port. */
  serial?: boolean;
  timing?: PairTiming;
  autoFailback?: boolean;
}

/** One heartbeat ucast link: an interface and address of each unit in one subnet. */
export interface PlanLink {
  localIface: string;
  localIp: string;
  peerIface: string;
  peerIp: string;
}

export interface PairPlan {
  /** Node names after pairing: [this unit, the peer]; this unit holds the resources first. */
  nodes: [string, string];
  /** A unit whose name changes (nicd's hostname) before hbd starts. */
  renames: [string | null, string | null];
  links: PlanLink[];
  serial: [string, string] | null;
  pingNode: string | null;
  vips: { cidr: Cidr; iface: string }[];
  timing: PairTiming;
  autoFailback: boolean;
  /** csyncd's link: the first ucast link (the peer address's subnet). */
  sync: PlanLink;
  warnings: string[];
}

export type PlanRefusal = { ok: false; code: PlanRefusalCode; reason: string };
export type PlanRefusalCode = 'VERSION_MISMATCH' | 'ALREADY_PAIRED' | 'PEER_PAIRED' | 'NO_ROUTE' | 'SELF' | 'NO_VIP' | 'BAD_VIP' | 'VIP_CONFLICT' | 'BAD_PING_NODE';

const refuse = (code: PlanRefusalCode, reason: string): PlanRefusal => ({ ok: false, code, reason });

function cidrsOf(o: UnitOffer): { iface: string; cidr: Cidr }[] {
  return o.interfaces.flatMap((i) => i.addresses.map((a) => parseHostCidr(a)).filter((c) => c.ok).map((c) => ({ iface: i.name, cidr: (c as { value: Cidr }).value })));
}

/** ucast links: same subnet (same prefix) on both units. */
function commonLinks(local: UnitOffer, peer: UnitOffer): PlanLink[] {
  const mine = cidrsOf(local);
  const theirs = cidrsOf(peer);
  const links: PlanLink[] = [];
  for (const m of mine) {
    for (const p of theirs) {
      if (m.cidr.family !== p.cidr.family || m.cidr.prefix !== p.cidr.prefix || !subnetContains(m.cidr, p.cidr.address)) continue;
      if (m.cidr.family === 6 && m.cidr.address.startsWith('fe80')) continue;
      links.push({ localIface: m.iface, localIp: m.cidr.address, peerIface: p.iface, peerIp: p.cidr.address });
    }
  }
  return links;
}

function planVips(local: UnitOffer, peer: UnitOffer, given: string[], gateway: string | null): PlanRefusal | PairPlan['vips'] {
  if (given.length === 0) return refuse('NO_VIP', 'give at least one floating IP (the address clients use; it moves to the unit that is active)');
  const mine = cidrsOf(local);
  const theirs = cidrsOf(peer);
  const taken = new Map([...mine.map((c) => [c.cidr.address, `${local.node}'s ${c.iface}`] as const), ...theirs.map((c) => [c.cidr.address, `${peer.node}'s ${c.iface}`] as const)]);
  const out: PairPlan['vips'] = [];
  for (const text of given) {
    const withPrefix = text.includes('/') ? parseHostCidr(text) : null;
    const address = withPrefix === null ? parseIpAddress(text) : null;
    if ((withPrefix !== null && !withPrefix.ok) || (address !== null && !address.ok)) return refuse('BAD_VIP', `floating IP ${text.slice(0, 64)}: not an address (e.g. 192.168.2.100 or 192.168.2.100/24)`);
    const ip = withPrefix?.ok === true ? withPrefix.value.address : canonicalIp(text);
    const owner = taken.get(ip);
    if (owner !== undefined) return refuse('VIP_CONFLICT', `floating IP ${ip} is ${owner} address: a floating IP must be an address of neither unit`);
    if (gateway !== null && ip === canonicalIp(gateway)) return refuse('VIP_CONFLICT', `floating IP ${ip} is the gateway's address`);
    if (out.some((v) => v.cidr.address === ip)) return refuse('BAD_VIP', `floating IP ${ip} is given twice`);
    const home = mine.find((c) => subnetContains(c.cidr, ip) && (withPrefix?.ok !== true || withPrefix.value.prefix === c.cidr.prefix));
    if (home === undefined) return refuse('BAD_VIP', `floating IP ${ip} is on no subnet of ${local.node}'s interfaces: it must be reachable where clients are`);
    const peerHome = theirs.find((c) => c.iface === home.iface && subnetContains(c.cidr, ip));
    if (peerHome === undefined) return refuse('BAD_VIP', `floating IP ${ip}: ${peer.node} has no address on that subnet on ${home.iface}; both units must have the interface it floats on`);
    out.push({ cidr: { address: ip, prefix: home.cidr.prefix, family: home.cidr.family }, iface: home.iface });
  }
  return out;
}

/** The same port at both ends (an appliance's /dev/ttyS1), else each unit's only one (the simulated pair's ptys). */
function serialPair(mine: string[], theirs: string[]): [string, string] | null {
  const shared = mine.find((p) => theirs.includes(p));
  if (shared !== undefined) return [shared, shared];
  const [a] = mine;
  const [b] = theirs;
  return mine.length === 1 && theirs.length === 1 && a !== undefined && b !== undefined ? [a, b] : null;
}

/** The plan, or why not. `peerAddress` is what the user typed (already resolved to an IP). */
export function makePlan(local: UnitOffer, peer: UnitOffer, peerAddress: string, o: PairOptions): { ok: true; plan: PairPlan } | PlanRefusal {
  if (local.version !== peer.version) return refuse('VERSION_MISMATCH', `the units run different firmware (${local.version} here, ${peer.version} on ${peer.node}): update one first`);
  if (local.pairedWith !== null) return refuse('ALREADY_PAIRED', `this unit is already paired (with ${local.pairedWith}): unpair it first (hactl unpair)`);
  if (peer.pairedWith !== null) return refuse('PEER_PAIRED', `${peer.node} is already paired (with ${peer.pairedWith}): unpair it first`);
  const peerIp = canonicalIp(peerAddress);
  const links = commonLinks(local, peer);
  if (cidrsOf(local).some((c) => c.cidr.address === peerIp)) return refuse('SELF', `${peerIp} is an address of this unit: give the other unit's address`);
  const first = links.find((l) => l.peerIp === peerIp);
  if (first === undefined) return refuse('NO_ROUTE', `${peerIp} is on no subnet of this unit's interfaces, or ${peer.node} does not have it: pair over a directly connected network (the heartbeat LAN)`);
  const ordered = [first, ...links.filter((l) => l !== first)];
  const gateway = local.gateway !== null && local.gateway === peer.gateway ? local.gateway : null;
  let pingNode: string | null = gateway;
  if (o.pingNode !== undefined) {
    if (o.pingNode !== null && !parseIpAddress(o.pingNode).ok) return refuse('BAD_PING_NODE', `ping node ${o.pingNode.slice(0, 64)}: not an IP address`);
    pingNode = o.pingNode === null ? null : canonicalIp(o.pingNode);
  }
  const vips = planVips(local, peer, o.vips, gateway);
  if (!Array.isArray(vips)) return vips;
  const serial = o.serial === false ? null : serialPair(local.serialPorts, peer.serialPorts);
  const same = local.node === peer.node;
  const nodes: [string, string] = same ? ['lbmaster', 'lbslave'] : [local.node, peer.node];
  const warnings: string[] = [];
  const media = new Set(ordered.map((l) => l.localIface)).size + (serial === null ? 0 : 1);
  if (media < 2 && pingNode === null) warnings.push('one heartbeat medium and no ping node: if it fails both units become active; add a serial cable or a second network, or a ping node');
  else if (media < 2) warnings.push('one heartbeat medium (with a ping node): a second medium (serial cable, or a second network) is safer');
  return {
    ok: true,
    plan: {
      nodes, renames: same ? ['lbmaster', 'lbslave'] : [null, null], links: ordered, serial, pingNode, vips,
      timing: o.timing ?? DEFAULT_TIMING, autoFailback: o.autoFailback ?? false, sync: first, warnings,
    },
  };
}
