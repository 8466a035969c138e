/**
 * One handler per network.conf directive: each checks its own arguments and
 * records them with their line. Rules that involve several directives
 * (overlaps, gateways, bond slaves...) are in validate.ts, so a file with many
 * mistakes gets all of them reported at once.
 */
import type { DirectiveLine } from '../config/lines';
import type { ConfigProblem } from '../config/problems';
import { parseCidr, parseIfName, parseIntInRange, parseIpAddress } from '../config/values';
import { canonicalIp, fromBigint, networkOf, type Cidr } from './ip';
import { BOND_MODES, MTU_MAX, MTU_MIN, type BondMode, type LinkDecl, type LinkKind, type NetConfig } from './types';

/** Where a handler puts its result and its complaints. */
export interface ParseSink {
  config: NetConfig;
  /** The block the directive belongs to, or null at top level. */
  block: LinkDecl | null;
  problems: ConfigProblem[];
}

export interface DirectiveSpec {
  /** Opens a block, belongs inside one, or stands at the top level. */
  scope: 'opens-block' | 'in-block' | 'top';
  minArgs: number;
  maxArgs: number;
  usage: string;
  apply(d: DirectiveLine, sink: ParseSink, block: LinkDecl | null): LinkDecl | void;
}

const MANY = Number.POSITIVE_INFINITY;
const HOST_LABEL = /^(?!-)[a-z0-9-]{1,63}(?<!-)$/i;

const report = (sink: ParseSink, d: DirectiveLine, message: string): void => {
  sink.problems.push({ file: d.file, line: d.line, key: d.key, message });
};

function newLink(name: string, kind: LinkKind, line: number): LinkDecl {
  return { name, kind, line, addresses: [], mtu: null, admin: { value: 'up', line: 0 }, gateways: [], routes: [] };
}

function ifName(sink: ParseSink, d: DirectiveLine, text: string): string | null {
  const v = parseIfName(text);
  if (!v.ok) {
    report(sink, d, v.message);
    return null;
  }
  if (v.value === 'lo') {
    report(sink, d, 'lo is the loopback interface: the kernel configures it');
    return null;
  }
  return v.value;
}

/** "A.B.C.D/N" as a host address on an interface. */
export function parseHostCidr(text: string): { ok: true; value: Cidr } | { ok: false; message: string } {
  const v = parseCidr(text);
  if (!v.ok) return v;
  return { ok: true, value: { ...v.value, address: canonicalIp(v.value.address) } };
}

function hostnameProblem(name: string): string | null {
  if (name.length > 64) return `"${name}" is too long for a hostname (at most 64 characters)`;
  if (!name.split('.').every((l) => HOST_LABEL.test(l))) {
    return `"${name}" is not a hostname (letters, digits and '-', dot-separated labels of 1..63 characters)`;
  }
  return null;
}

const interfaceSpec: DirectiveSpec = {
  scope: 'opens-block',
  minArgs: 1,
  maxArgs: 1,
  usage: 'interface NAME',
  apply: (d, sink) => {
    const name = ifName(sink, d, d.args[0] ?? '');
    return newLink(name ?? d.args[0] ?? '?', 'ethernet', d.line);
  },
};

const vlanSpec: DirectiveSpec = {
  scope: 'opens-block',
  minArgs: 3,
  maxArgs: 3,
  usage: 'vlan NAME PARENT ID (e.g. vlan eth0.100 eth0 100)',
  apply: (d, sink) => {
    const [nameText = '', parentText = '', idText = ''] = d.args;
    const name = ifName(sink, d, nameText);
    const parent = ifName(sink, d, parentText);
    const id = parseIntInRange(idText, 1, 4094);
    if (!id.ok) report(sink, d, `VLAN id: ${id.message}`);
    const link = newLink(name ?? nameText, 'vlan', d.line);
    link.vlan = { parent: parent ?? parentText, id: id.ok ? id.value : 0 };
    return link;
  },
};

const bondSpec: DirectiveSpec = {
  scope: 'opens-block',
  minArgs: 3,
  maxArgs: MANY,
  usage: `bond NAME MODE SLAVE... (MODE: ${BOND_MODES.join(' | ')})`,
  apply: (d, sink) => {
    const [nameText = '', modeText = '', ...slaveTexts] = d.args;
    const name = ifName(sink, d, nameText);
    if (!(BOND_MODES as readonly string[]).includes(modeText)) {
      report(sink, d, `mode "${modeText}" is not one of ${BOND_MODES.join(', ')}`);
    }
    const slaves: string[] = [];
    for (const s of slaveTexts) {
      const slave = ifName(sink, d, s);
      if (slave === null) continue;
      if (slaves.includes(slave)) report(sink, d, `slave ${slave} is listed twice`);
      else if (slave === name) report(sink, d, `${slave} cannot be a slave of itself`);
      else slaves.push(slave);
    }
    const link = newLink(name ?? nameText, 'bond', d.line);
    link.bond = { mode: modeText as BondMode, slaves };
    return link;
  },
};

const addressSpec: DirectiveSpec = {
  scope: 'in-block',
  minArgs: 1,
  maxArgs: 1,
  usage: 'address CIDR (e.g. address 192.168.2.21/24 or address 2001:db8::21/64)',
  apply: (d, sink, block) => {
    const v = parseHostCidr(d.args[0] ?? '');
    if (!v.ok) return report(sink, d, v.message);
    block?.addresses.push({ ...v.value, line: d.line });
  },
};

const mtuSpec: DirectiveSpec = {
  scope: 'in-block',
  minArgs: 1,
  maxArgs: 1,
  usage: `mtu N (${MTU_MIN}..${MTU_MAX})`,
  apply: (d, sink, block) => {
    if (block?.mtu) return report(sink, d, `given twice in ${block.name} (lines ${block.mtu.line} and ${d.line}); keep one`);
    const v = parseIntInRange(d.args[0] ?? '', MTU_MIN, MTU_MAX);
    if (!v.ok) return report(sink, d, v.message);
    if (block) block.mtu = { value: v.value, line: d.line };
  },
};

const adminSpec = (state: 'up' | 'down'): DirectiveSpec => ({
  scope: 'in-block',
  minArgs: 0,
  maxArgs: 0,
  usage: state,
  apply: (d, sink, block) => {
    if (block === null) return;
    if (block.admin.line !== 0 && block.admin.value !== state) {
      return report(sink, d, `contradicts \`${block.admin.value}\` on line ${block.admin.line}`);
    }
    block.admin = { value: state, line: d.line };
  },
});

const gatewaySpec: DirectiveSpec = {
  scope: 'in-block',
  minArgs: 1,
  maxArgs: 1,
  usage: 'gateway IP (the default gateway, IPv4 or IPv6, reached over this interface)',
  apply: (d, sink, block) => {
    const v = parseIpAddress(d.args[0] ?? '');
    if (!v.ok) return report(sink, d, v.message);
    block?.gateways.push({ via: canonicalIp(v.value.address), family: v.value.family, line: d.line });
  },
};

const routeSpec: DirectiveSpec = {
  scope: 'in-block',
  minArgs: 3,
  maxArgs: 3,
  usage: 'route CIDR via IP (e.g. route 10.50.0.0/16 via 192.168.2.254)',
  apply: (d, sink, block) => {
    const [dstText = '', viaWord = '', viaText = ''] = d.args;
    if (viaWord !== 'via') return report(sink, d, `expected "via" after the destination, found "${viaWord}"`);
    if (dstText === 'default') return report(sink, d, 'write the default route as `gateway IP`');
    const dst = parseHostCidr(dstText);
    const via = parseIpAddress(viaText);
    if (!dst.ok) report(sink, d, dst.message);
    if (!via.ok) report(sink, d, `next hop: ${via.message}`);
    if (!dst.ok || !via.ok) return;
    const net = fromBigint(networkOf(dst.value), dst.value.family);
    if (net !== dst.value.address) {
      return report(sink, d, `${dstText} has host bits set: did you mean ${net}/${dst.value.prefix}?`);
    }
    if (dst.value.family !== via.value.family) return report(sink, d, `an IPv${dst.value.family} route needs an IPv${dst.value.family} next hop`);
    block?.routes.push({ dst: dst.value, via: canonicalIp(via.value.address), line: d.line });
  },
};

const generationSpec: DirectiveSpec = {
  scope: 'top',
  minArgs: 1,
  maxArgs: 1,
  usage: 'generation N (written by nicd)',
  apply: (d, sink) => {
    if (sink.config.generation !== null) return report(sink, d, 'given twice; keep one');
    const v = parseIntInRange(d.args[0] ?? '', 0, 0xffffffff);
    if (!v.ok) return report(sink, d, v.message);
    sink.config.generation = v.value;
  },
};

const hostnameSpec: DirectiveSpec = {
  scope: 'top',
  minArgs: 1,
  maxArgs: 1,
  usage: 'hostname NAME',
  apply: (d, sink) => {
    const first = sink.config.hostname;
    if (first !== null) return report(sink, d, `given twice (lines ${first.line} and ${d.line}); keep one`);
    const name = d.args[0] ?? '';
    const why = hostnameProblem(name);
    if (why !== null) return report(sink, d, why);
    sink.config.hostname = { value: name, line: d.line };
  },
};

const dnsSpec: DirectiveSpec = {
  scope: 'top',
  minArgs: 1,
  maxArgs: MANY,
  usage: 'dns IP... (at most 3 servers in all)',
  apply: (d, sink) => {
    for (const a of d.args) {
      const v = parseIpAddress(a);
      if (!v.ok) {
        report(sink, d, v.message);
        continue;
      }
      const address = canonicalIp(v.value.address);
      const dup = sink.config.dns.find((x) => x.address === address);
      if (dup !== undefined) report(sink, d, `${a} is already listed on line ${dup.line}`);
      else sink.config.dns.push({ address, line: d.line });
    }
  },
};

const searchSpec: DirectiveSpec = {
  scope: 'top',
  minArgs: 1,
  maxArgs: MANY,
  usage: 'search DOMAIN... (at most 6 in all)',
  apply: (d, sink) => {
    for (const domain of d.args) {
      const why = domain.length > 253 ? 'is too long for a domain' : hostnameProblem(domain) === null ? null : 'is not a domain name';
      if (why !== null) report(sink, d, `"${domain}" ${why}`);
      else sink.config.search.push({ domain: domain.toLowerCase(), line: d.line });
    }
  },
};

/** Every directive of network.conf. */
export const DIRECTIVES: Record<string, DirectiveSpec> = {
  generation: generationSpec,
  hostname: hostnameSpec,
  dns: dnsSpec,
  search: searchSpec,
  interface: interfaceSpec,
  vlan: vlanSpec,
  bond: bondSpec,
  address: addressSpec,
  mtu: mtuSpec,
  up: adminSpec('up'),
  down: adminSpec('down'),
  gateway: gatewaySpec,
  route: routeSpec,
};
