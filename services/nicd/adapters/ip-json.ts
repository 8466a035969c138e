/**
 * Decoders for iproute2's JSON (`ip -j -d addr`: links and addresses, `ip -j route`)
 * into the core's LiveState parts. Pure and tolerant: fields iproute2 leaves
 * out become defaults, entries we cannot read are skipped, never thrown on.
 */
import { canonicalIp, familyOf } from '../../runtime/netconf/ip';
import type { LiveAddress, LiveLink, LiveRoute } from '../core/model';

interface IpLinkJson {
  ifindex?: number;
  ifname?: string;
  flags?: string[];
  mtu?: number;
  max_mtu?: number;
  operstate?: string;
  link_type?: string;
  address?: string;
  master?: string;
  link?: string | null;
  linkinfo?: { info_kind?: string; info_data?: { id?: number; protocol?: string; mode?: string } };
}

interface IpAddrJson {
  ifname?: string;
  addr_info?: { family?: string; local?: string; prefixlen?: number; scope?: string; tentative?: boolean }[];
}

interface IpRouteJson {
  dst?: string;
  gateway?: string;
  dev?: string;
  protocol?: string;
  type?: string;
  table?: string;
}

const asArray = <T>(json: unknown): T[] => (Array.isArray(json) ? (json as T[]) : []);

/** `ip -j -d link show` or `ip -j -d addr show`; speed/duplex are filled in later from sysfs. */
export function decodeLinks(json: unknown): LiveLink[] {
  return asArray<IpLinkJson>(json).flatMap((l) => {
    if (typeof l.ifname !== 'string') return [];
    const flags = l.flags ?? [];
    const kind = l.linkinfo?.info_kind ?? '';
    const data = l.linkinfo?.info_data;
    const link: LiveLink = {
      name: l.ifname,
      index: l.ifindex ?? 0,
      kind,
      linkType: l.link_type ?? '',
      mtu: l.mtu ?? 0,
      maxMtu: typeof l.max_mtu === 'number' && l.max_mtu > 0 ? l.max_mtu : null,
      adminUp: flags.includes('UP'),
      carrier: flags.includes('LOWER_UP'),
      operstate: (l.operstate ?? 'unknown').toLowerCase(),
      mac: l.address ?? '',
      master: l.master ?? null,
      speedMbps: null,
      duplex: null,
    };
    if (kind === 'vlan' && typeof l.link === 'string' && typeof data?.id === 'number') link.vlan = { parent: l.link, id: data.id };
    if (kind === 'bond') link.bond = { mode: data?.mode ?? '' };
    return [link];
  });
}

/** `ip -j addr show`: every address with its interface. */
export function decodeAddresses(json: unknown): LiveAddress[] {
  return asArray<IpAddrJson>(json).flatMap((i) =>
    (i.addr_info ?? []).flatMap((a) => {
      const family = a.local === undefined ? null : familyOf(a.local);
      if (typeof i.ifname !== 'string' || family === null || a.local === undefined || typeof a.prefixlen !== 'number') return [];
      return [{ ifname: i.ifname, address: canonicalIp(a.local), prefix: a.prefixlen, family, scope: a.scope ?? 'global', tentative: a.tentative === true }];
    }),
  );
}

/** `ip -j route show table all`: unicast routes of the main table with a gateway (the only kind nicd makes); the family is the gateway's. */
export function decodeRoutes(json: unknown): LiveRoute[] {
  return asArray<IpRouteJson>(json).flatMap((r) => {
    if (r.dst === undefined || r.gateway === undefined || r.dev === undefined) return [];
    if ((r.type ?? 'unicast') !== 'unicast' || (r.table ?? 'main') !== 'main') return [];
    const family = familyOf(r.gateway);
    if (family === null) return [];
    const dst = r.dst === 'default' ? 'default' : r.dst.includes('/') ? canonicalCidr(r.dst) : `${canonicalIp(r.dst)}/${family === 4 ? 32 : 128}`;
    return [{ family, dst, via: canonicalIp(r.gateway), dev: r.dev, protocol: r.protocol ?? 'boot' }];
  });
}

function canonicalCidr(text: string): string {
  const [addr = '', prefix = ''] = text.split('/');
  return `${canonicalIp(addr)}/${prefix}`;
}
