/** A validated NetConfig -> the DesiredState the planner works to. */
import { cidrText, type Cidr } from '../../runtime/netconf/ip';
import type { NetConfig } from '../../runtime/netconf/types';
import { renderResolvConf } from '../../runtime/netconf/render';
import type { DesiredState, RouteSpec } from './model';

const strip = ({ address, prefix, family }: Cidr): Cidr => ({ address, prefix, family });

export function desiredFromConfig(c: NetConfig): DesiredState {
  const routes: RouteSpec[] = [];
  for (const l of c.links) {
    for (const g of l.gateways) routes.push({ family: g.family, dst: 'default', via: g.via, dev: l.name });
    for (const r of l.routes) routes.push({ family: r.dst.family, dst: cidrText(r.dst), via: r.via, dev: l.name });
  }
  return {
    links: c.links.map((l) => ({
      name: l.name,
      kind: l.kind,
      mtu: l.mtu?.value ?? null,
      up: l.admin.value === 'up',
      addresses: l.addresses.map(strip),
      ...(l.vlan === undefined ? {} : { vlan: { ...l.vlan } }),
      ...(l.bond === undefined ? {} : { bond: { mode: l.bond.mode, slaves: [...l.bond.slaves] } }),
    })),
    routes,
    resolvConf: renderResolvConf(c),
    hostname: c.hostname?.value ?? null,
  };
}
