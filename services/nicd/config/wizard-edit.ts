/**
 * What the setup wizard changes in the configuration in force: the IPv4
 * address(es) of the management interface are replaced by the one entered,
 * the IPv4 default gateway moves to it, the DNS servers are replaced; its
 * IPv6 addresses, the other interfaces, the hostname and search domains stay.
 * IPv4 static routes of that interface whose next hop is no longer on its
 * subnet are dropped (and listed, so the wizard can say so).
 */
import { cidrText, subnetContains } from '../../runtime/netconf/ip';
import type { WizardSettings } from '../core/wizard';
import type { LinkDecl, NetConfig } from '../../runtime/netconf/types';

export interface WizardEdit {
  config: NetConfig;
  droppedRoutes: string[];
}

export function applyWizardSettings(base: NetConfig, w: WizardSettings): WizardEdit {
  const config: NetConfig = structuredClone(base);
  let link = config.links.find((l) => l.name === w.iface);
  if (link === undefined) {
    link = { name: w.iface, kind: 'ethernet', line: 0, addresses: [], mtu: null, admin: { value: 'up', line: 0 }, gateways: [], routes: [] };
    config.links.unshift(link);
  }
  const mgmt: LinkDecl = link;
  mgmt.addresses = [{ ...w.address, line: 0 }, ...mgmt.addresses.filter((a) => a.family === 6)];
  mgmt.admin = { value: 'up', line: 0 };
  for (const l of config.links) l.gateways = l.gateways.filter((g) => g.family === 6);
  mgmt.gateways.unshift({ via: w.gateway, family: 4, line: 0 });
  const droppedRoutes: string[] = [];
  mgmt.routes = mgmt.routes.filter((r) => {
    const keep = r.dst.family === 6 || subnetContains(w.address, r.via);
    if (!keep) droppedRoutes.push(`${cidrText(r.dst)} via ${r.via}`);
    return keep;
  });
  config.dns = w.dns.map((address) => ({ address, line: 0 }));
  return { config, droppedRoutes };
}
