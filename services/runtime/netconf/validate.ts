/**
 * Rules across directives of network.conf: overlapping subnets, duplicate
 * addresses, gateways and next hops off every configured subnet, VLAN
 * parents, bond slaves configured elsewhere, limits of the resolver.
 * Everything found is reported, each at the line to fix.
 */
import type { ConfigProblem } from '../config/problems';
import { cidrText, isLinkLocal6, isV4NetworkOrBroadcast, networkText, subnetContains, subnetsOverlap, unusableReason, type Family } from './ip';
import { MAX_DNS, MAX_SEARCH, MTU_MIN_IPV6, type AddressDecl, type LinkDecl, type NetConfig } from './types';

interface Checker {
  config: NetConfig;
  problems: ConfigProblem[];
  warnings: ConfigProblem[];
  add(line: number, key: string, message: string): void;
}

/** Cross-directive checks of a parsed file. */
export function validateNetworkConfig(config: NetConfig): { problems: ConfigProblem[]; warnings: ConfigProblem[] } {
  const c: Checker = {
    config,
    problems: [],
    warnings: [],
    add(line, key, message) {
      this.problems.push({ file: config.file, line, key, message });
    },
  };
  checkNames(c);
  checkAddresses(c);
  for (const link of config.links) {
    checkMtu(c, link);
    checkAdmin(c, link);
    checkNextHops(c, link);
  }
  checkDefaultGateways(c);
  checkRoutesUnique(c);
  checkVlans(c);
  checkBonds(c);
  config.dns.slice(MAX_DNS).forEach((d) => c.add(d.line, 'dns', `${d.address}: at most ${MAX_DNS} DNS servers in all (the resolver ignores the rest)`));
  config.search.slice(MAX_SEARCH).forEach((s) => c.add(s.line, 'search', `${s.domain}: at most ${MAX_SEARCH} search domains in all`));
  return { problems: c.problems, warnings: c.warnings };
}

const keyOf = (l: LinkDecl): string => (l.kind === 'ethernet' ? 'interface' : l.kind);

function checkNames(c: Checker): void {
  const seen = new Map<string, LinkDecl>();
  for (const l of c.config.links) {
    const first = seen.get(l.name);
    if (first !== undefined) c.add(l.line, keyOf(l), `${l.name} is already configured on line ${first.line}; merge the two blocks`);
    else seen.set(l.name, l);
  }
}

function checkAddresses(c: Checker): void {
  const all: { a: AddressDecl; link: LinkDecl }[] = [];
  for (const link of c.config.links) {
    for (const a of link.addresses) {
      const why = unusableReason(a.address);
      if (why !== null) c.add(a.line, 'address', `${a.address} ${why}`);
      else if (isV4NetworkOrBroadcast(a)) c.add(a.line, 'address', `${cidrText(a)} is the network or broadcast address of ${networkText(a)}`);
      const dup = all.find((x) => x.a.address === a.address);
      if (dup !== undefined) {
        c.add(a.line, 'address', `duplicate address ${a.address}: already on ${dup.link.name} (line ${dup.a.line})`);
      } else {
        const clash = all.find((x) => x.link.name !== link.name && subnetsOverlap(x.a, a));
        if (clash !== undefined) {
          c.add(a.line, 'address', `subnet ${networkText(a)} of ${link.name} overlaps ${networkText(clash.a)} of ${clash.link.name} (line ${clash.a.line}): a subnet belongs to one interface`);
        }
      }
      all.push({ a, link });
    }
  }
}

function checkMtu(c: Checker, link: LinkDecl): void {
  const v6 = link.addresses.find((a) => a.family === 6);
  if (link.mtu !== null && v6 !== undefined && link.mtu.value < MTU_MIN_IPV6) {
    c.add(link.mtu.line, 'mtu', `${link.mtu.value} is too small for IPv6 (${cidrText(v6)} on line ${v6.line}): IPv6 needs at least ${MTU_MIN_IPV6}`);
  }
}

function checkAdmin(c: Checker, link: LinkDecl): void {
  if (link.admin.value !== 'down') return;
  const why = (what: string): string => `${link.name} is \`down\` (line ${link.admin.line}): ${what}`;
  for (const g of link.gateways) c.add(g.line, 'gateway', why('a gateway needs the link up'));
  for (const r of link.routes) c.add(r.line, 'route', why('a route needs the link up'));
  for (const a of link.addresses.filter((x) => x.family === 6)) c.add(a.line, 'address', why('the kernel drops IPv6 addresses of a link that is down'));
}

/** The interface whose configured subnet contains `ip`, if any. */
function linkWithSubnet(c: Checker, ip: string): { link: LinkDecl; a: AddressDecl } | undefined {
  for (const link of c.config.links) {
    const a = link.addresses.find((x) => subnetContains(x, ip));
    if (a !== undefined) return { link, a };
  }
  return undefined;
}

function nextHopProblem(c: Checker, link: LinkDecl, via: string, family: Family): string | null {
  if (family === 6 && isLinkLocal6(via)) return null; // on-link by definition
  const own = link.addresses.find((a) => a.address === via);
  if (own !== undefined) return `${via} is this unit's own address (line ${own.line})`;
  if (link.addresses.some((a) => subnetContains(a, via))) return null;
  const other = linkWithSubnet(c, via);
  if (other !== undefined) return `${via} is not on a subnet of ${link.name} but of ${other.link.name} (${networkText(other.a)}): move it to that block`;
  const nets = link.addresses.filter((a) => a.family === family).map(networkText);
  return nets.length === 0
    ? `${via} is not on any configured subnet: ${link.name} has no IPv${family} address`
    : `${via} is not on any configured subnet of ${link.name} (${nets.join(', ')})`;
}

function checkNextHops(c: Checker, link: LinkDecl): void {
  const perFamily = new Map<Family, number>();
  for (const g of link.gateways) {
    const first = perFamily.get(g.family);
    if (first !== undefined) c.add(g.line, 'gateway', `a second IPv${g.family} gateway on ${link.name}; the first is on line ${first}`);
    perFamily.set(g.family, g.line);
    const why = nextHopProblem(c, link, g.via, g.family);
    if (why !== null) c.add(g.line, 'gateway', `gateway ${why}`);
  }
  for (const r of link.routes) {
    const why = nextHopProblem(c, link, r.via, r.dst.family);
    if (why !== null) c.add(r.line, 'route', `next hop ${why}`);
  }
}

function checkDefaultGateways(c: Checker): void {
  const first = new Map<Family, { link: LinkDecl; line: number }>();
  for (const link of c.config.links) {
    for (const g of link.gateways) {
      const f = first.get(g.family);
      if (f === undefined) first.set(g.family, { link, line: g.line });
      else if (f.link !== link) c.add(g.line, 'gateway', `a second IPv${g.family} default gateway; the first is on line ${f.line} (${f.link.name}); keep one`);
    }
  }
}

function checkRoutesUnique(c: Checker): void {
  const seen = new Map<string, number>();
  for (const link of c.config.links) {
    for (const r of link.routes) {
      const k = cidrText(r.dst);
      const line = seen.get(k);
      if (line !== undefined) c.add(r.line, 'route', `a route to ${k} is already given on line ${line}`);
      else seen.set(k, r.line);
    }
  }
}

function checkVlans(c: Checker): void {
  const byName = new Map(c.config.links.map((l) => [l.name, l]));
  const ids = new Map<string, number>();
  for (const v of c.config.links) {
    if (v.vlan === undefined) continue;
    const parent = byName.get(v.vlan.parent);
    if (parent === undefined) {
      c.add(v.line, 'vlan', `parent ${v.vlan.parent} is not configured: add an \`interface ${v.vlan.parent}\` (or bond) block`);
      continue;
    }
    if (parent.kind === 'vlan') c.add(v.line, 'vlan', `parent ${parent.name} is itself a VLAN; stacked VLANs are not supported`);
    const key = `${parent.name}.${v.vlan.id}`;
    const dup = ids.get(key);
    if (dup !== undefined) c.add(v.line, 'vlan', `VLAN ${v.vlan.id} on ${parent.name} is already defined on line ${dup}`);
    else ids.set(key, v.line);
    const parentMtu = parent.mtu?.value ?? 1500;
    if (v.mtu !== null && v.mtu.value > parentMtu) {
      c.add(v.mtu.line, 'mtu', `${v.mtu.value} is larger than the MTU of parent ${parent.name} (${parentMtu})`);
    }
  }
}

function checkBonds(c: Checker): void {
  const byName = new Map(c.config.links.map((l) => [l.name, l]));
  const slaveOf = new Map<string, LinkDecl>();
  for (const b of c.config.links) {
    if (b.bond === undefined) continue;
    if (b.bond.slaves.length === 1) c.warnings.push({ file: c.config.file, line: b.line, key: 'bond', message: `${b.name} has one slave: no redundancy` });
    for (const s of b.bond.slaves) {
      const other = slaveOf.get(s);
      if (other !== undefined) c.add(b.line, 'bond', `slave ${s} is already a slave of ${other.name} (line ${other.line})`);
      slaveOf.set(s, b);
      const decl = byName.get(s);
      if (decl !== undefined) c.add(b.line, 'bond', `slave ${s} is also configured on line ${decl.line}: a bond slave carries no configuration of its own; remove that block`);
    }
  }
  for (const v of c.config.links) {
    const bond = v.vlan === undefined ? undefined : slaveOf.get(v.vlan.parent);
    if (v.vlan !== undefined && bond !== undefined) c.add(v.line, 'vlan', `parent ${v.vlan.parent} is a slave of ${bond.name}: put the VLAN on ${bond.name}`);
  }
}
