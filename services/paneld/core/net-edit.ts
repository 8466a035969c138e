/**
 * What a keypad change does to nicd's configuration in force (pure, on the
 * NetConfig model nicd uses, services/runtime/netconf/): a new IPv4 address
 * replaces the IPv4 address(es) of the management interface, and the IPv4
 * default gateway is dropped when it is off the new subnet; a new gateway
 * replaces the IPv4 default gateway(s). IPv6, other interfaces, DNS and
 * routes stay.
 */
import { subnetContains, type Cidr } from '../../runtime/netconf/ip';
import type { LinkDecl, NetConfig } from '../../runtime/netconf/types';

export interface NetEdit {
  config: NetConfig;
  notes: string[];
}

function mgmtLink(config: NetConfig, iface: string): LinkDecl {
  let link = config.links.find((l) => l.name === iface);
  if (link === undefined) {
    link = { name: iface, kind: 'ethernet', line: 0, addresses: [], mtu: null, admin: { value: 'up', line: 0 }, gateways: [], routes: [] };
    config.links.unshift(link);
  }
  return link;
}

export function setManagementAddress(base: NetConfig, iface: string, address: Cidr): NetEdit {
  const config = structuredClone(base);
  const link = mgmtLink(config, iface);
  link.addresses = [{ ...address, line: 0 }, ...link.addresses.filter((a) => a.family === 6)];
  link.admin = { value: 'up', line: 0 };
  const notes: string[] = [];
  for (const l of config.links) {
    l.gateways = l.gateways.filter((g) => {
      const keep = g.family === 6 || l !== link || subnetContains(address, g.via);
      if (!keep) notes.push(`gateway ${g.via} is off the new subnet and was removed`);
      return keep;
    });
  }
  link.routes = link.routes.filter((r) => {
    const keep = r.dst.family === 6 || subnetContains(address, r.via);
    if (!keep) notes.push(`route via ${r.via} is off the new subnet and was removed`);
    return keep;
  });
  return { config, notes };
}

export function setDefaultGateway(base: NetConfig, iface: string, gateway: string): NetEdit {
  const config = structuredClone(base);
  const link = mgmtLink(config, iface);
  for (const l of config.links) l.gateways = l.gateways.filter((g) => g.family === 6);
  link.gateways.unshift({ via: gateway, family: 4, line: 0 });
  return { config, notes: [] };
}

/** The IPv4 default gateway of a configuration, if any. */
export function defaultGateway4(c: NetConfig): string | null {
  for (const l of c.links) for (const g of l.gateways) if (g.family === 4) return g.via;
  return null;
}
