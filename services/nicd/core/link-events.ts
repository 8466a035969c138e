/**
 * What link monitoring publishes: a view of every interface, and the events
 * between two snapshots (carrier up/down, addresses that came or went,
 * whoever changed them). Pure: snapshots come from adapters/monitor.ts.
 */
import { cidrText } from '../../runtime/netconf/ip';
import { byName, type LiveAddress, type LiveLink } from './model';

/** The links and addresses part of a LiveState. */
export interface LinkSnapshot {
  links: LiveLink[];
  addresses: LiveAddress[];
}

/** One interface as published on D-Bus (`Interfaces`) and by `nicctl show`. */
export interface InterfaceView {
  name: string;
  kind: string;
  operstate: string;
  adminUp: boolean;
  carrier: boolean;
  mtu: number;
  mac: string;
  /** Mb/s; null when the driver does not say (or the link is down). */
  speedMbps: number | null;
  duplex: string | null;
  /** CIDR texts in kernel order, link-local included. */
  addresses: string[];
}

export type LinkEvent =
  | { type: 'CarrierChanged'; name: string; carrier: boolean }
  | { type: 'AddressAdded'; ifname: string; cidr: string }
  | { type: 'AddressRemoved'; ifname: string; cidr: string }
  | { type: 'LinkAdded'; name: string; carrier: boolean }
  | { type: 'LinkRemoved'; name: string };

/** Every interface but lo, by name. */
export function interfacesView(s: LinkSnapshot): InterfaceView[] {
  return s.links
    .filter((l) => l.linkType !== 'loopback')
    .map((l) => ({
      name: l.name,
      kind: l.kind === '' ? 'ethernet' : l.kind,
      operstate: l.operstate,
      adminUp: l.adminUp,
      carrier: l.carrier,
      mtu: l.mtu,
      mac: l.mac,
      speedMbps: l.speedMbps,
      duplex: l.duplex,
      addresses: s.addresses.filter((a) => a.ifname === l.name).map(cidrText),
    }))
    .sort((a, b) => byName(a.name, b.name));
}

export function diffSnapshots(prev: LinkSnapshot, next: LinkSnapshot): LinkEvent[] {
  const out: LinkEvent[] = [];
  const before = new Map(prev.links.map((l) => [l.name, l]));
  const after = new Map(next.links.map((l) => [l.name, l]));
  for (const l of next.links) {
    const p = before.get(l.name);
    if (p === undefined) out.push({ type: 'LinkAdded', name: l.name, carrier: l.carrier });
    else if (p.carrier !== l.carrier) out.push({ type: 'CarrierChanged', name: l.name, carrier: l.carrier });
  }
  for (const l of prev.links) if (!after.has(l.name)) out.push({ type: 'LinkRemoved', name: l.name });
  const key = (a: LiveAddress): string => `${a.ifname}|${cidrText(a)}`;
  const had = new Set(prev.addresses.map(key));
  const has = new Set(next.addresses.map(key));
  for (const a of next.addresses) if (!had.has(key(a))) out.push({ type: 'AddressAdded', ifname: a.ifname, cidr: cidrText(a) });
  for (const a of prev.addresses) if (!has.has(key(a))) out.push({ type: 'AddressRemoved', ifname: a.ifname, cidr: cidrText(a) });
  return out;
}
