/**
 * The data the reconciler works on: what the kernel has (LiveState), what
 * the config wants (DesiredState), what nicd made and may therefore remove
 * (Owned), and the changes between them (Step). Plain data, no I/O.
 */
import type { Cidr, Family } from '../../runtime/netconf/ip';
import type { BondMode } from '../../runtime/netconf/types';

/** One network interface as the kernel reports it. */
export interface LiveLink {
  name: string;
  index: number;
  /** rtnetlink kind: veth, bond, vlan, bridge...; '' for a physical NIC. */
  kind: string;
  /** ether, loopback, none... */
  linkType: string;
  mtu: number;
  /** Largest MTU the driver accepts, when it says. */
  maxMtu: number | null;
  /** Administratively up (IFF_UP). */
  adminUp: boolean;
  /** Carrier present (IFF_LOWER_UP). */
  carrier: boolean;
  /** RFC 2863 operstate in lower case: up, down, lowerlayerdown, unknown... */
  operstate: string;
  mac: string;
  /** Bond (or bridge) this link is enslaved to. */
  master: string | null;
  vlan?: { parent: string; id: number };
  bond?: { mode: string };
  /** From /sys/class/net/IF/speed and duplex; null where the driver does not say. */
  speedMbps: number | null;
  duplex: string | null;
}

export interface LiveAddress extends Cidr {
  ifname: string;
  scope: string;
  tentative: boolean;
}

/** A route in the main table. */
export interface RouteSpec {
  family: Family;
  /** 'default' or a canonical CIDR text (network/prefix). */
  dst: string;
  via: string;
  dev: string;
}

export interface LiveRoute extends RouteSpec {
  protocol: string;
}

export interface LiveState {
  links: LiveLink[];
  addresses: LiveAddress[];
  routes: LiveRoute[];
  /** Content of resolv.conf; null when missing. */
  resolvConf: string | null;
  hostname: { kernel: string; file: string | null };
}

/** One interface nicd manages. */
export interface DesiredLink {
  name: string;
  kind: 'ethernet' | 'vlan' | 'bond';
  mtu: number | null;
  up: boolean;
  addresses: Cidr[];
  vlan?: { parent: string; id: number };
  bond?: { mode: BondMode; slaves: string[] };
}

export interface DesiredState {
  links: DesiredLink[];
  routes: RouteSpec[];
  /** Full text to write, or null: leave resolv.conf alone. */
  resolvConf: string | null;
  /** null: leave the hostname alone. */
  hostname: string | null;
}

/**
 * What nicd added (or found already there when the config asked for it):
 * only these are ever removed. Keys from addressKey/routeKey; links by name.
 */
export interface Owned {
  addresses: string[];
  routes: string[];
  links: string[];
}

/** Interface names in natural order: eth2 before eth10. */
export const byName = (a: string, b: string): number => a.localeCompare(b, 'en', { numeric: true });

export const EMPTY_OWNED: Owned = { addresses: [], routes: [], links: [] };

export const addressKey = (ifname: string, c: Cidr): string => `${ifname}|${c.address}/${c.prefix}`;
export const routeKey = (r: RouteSpec): string => `${r.family}|${r.dst}|${r.via}|${r.dev}`;

/** One change, as data; adapters/iproute2.ts maps it to commands. */
export type Step =
  | { kind: 'RemoveRoute'; route: RouteSpec }
  | { kind: 'RemoveAddress'; ifname: string; cidr: Cidr }
  | { kind: 'ReleaseSlave'; name: string }
  | { kind: 'DeleteLink'; name: string }
  | { kind: 'CreateBond'; name: string; mode: BondMode }
  | { kind: 'EnslaveLink'; name: string; master: string }
  | { kind: 'CreateVlan'; name: string; parent: string; id: number }
  | { kind: 'SetMtu'; name: string; mtu: number }
  | { kind: 'SetLinkUp'; name: string }
  | { kind: 'SetLinkDown'; name: string }
  | { kind: 'AddAddress'; ifname: string; cidr: Cidr }
  | { kind: 'AddRoute'; route: RouteSpec }
  | { kind: 'WriteResolvConf'; text: string }
  | { kind: 'SetHostname'; name: string };

const routeText = (r: RouteSpec): string => `${r.family === 6 ? '-6 ' : ''}route ${r.dst} via ${r.via} dev ${r.dev}`;

/** One line per step, for logs, nicctl and D-Bus replies. */
export function describeStep(s: Step): string {
  switch (s.kind) {
    case 'RemoveRoute':
      return `remove ${routeText(s.route)}`;
    case 'RemoveAddress':
      return `remove address ${s.cidr.address}/${s.cidr.prefix} from ${s.ifname}`;
    case 'ReleaseSlave':
      return `release ${s.name} from its bond`;
    case 'DeleteLink':
      return `delete interface ${s.name}`;
    case 'CreateBond':
      return `create bond ${s.name} (${s.mode})`;
    case 'EnslaveLink':
      return `enslave ${s.name} to ${s.master}`;
    case 'CreateVlan':
      return `create VLAN ${s.name} (id ${s.id} on ${s.parent})`;
    case 'SetMtu':
      return `set mtu of ${s.name} to ${s.mtu}`;
    case 'SetLinkUp':
      return `set ${s.name} up`;
    case 'SetLinkDown':
      return `set ${s.name} down`;
    case 'AddAddress':
      return `add address ${s.cidr.address}/${s.cidr.prefix} to ${s.ifname}`;
    case 'AddRoute':
      return `add ${routeText(s.route)}`;
    case 'WriteResolvConf':
      return 'write resolv.conf';
    case 'SetHostname':
      return `set hostname to ${s.name}`;
  }
}
