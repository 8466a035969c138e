/**
 * What the panel shows is computed from this: the state of hbd, nicd,
 * csyncd and statusd (the web admin password) as read from D-Bus (their README "D-Bus API" sections), plus a few
 * facts about this unit. The readers below take whatever the bus delivered
 * and never throw: a wrong type (a service of another version) reads as
 * empty, like statusd's core/service-views.ts.
 */
import { isIP } from 'node:net';

export interface HaView {
  running: boolean;
  node: string;
  peer: string;
  /** master | slave */
  role: string;
  /** init | active | passive | stopped */
  state: string;
  /** unknown | up | warn | dead */
  peerStatus: string;
  linksUp: number;
  linksTotal: number;
  healthy: boolean;
  /** Names of resources in state failed. */
  failedResources: string[];
  /** Floating addresses among the resources (IPaddr::198.18.0.100/24/eth0 -> 198.18.0.100). */
  vips: string[];
}

export interface NetView {
  running: boolean;
  /** The management interface (nicd's ManagementInterface). */
  iface: string;
  /** Its addresses as CIDR, as nicd publishes them (IPv4 first after sorting). */
  addresses: string[];
  carrier: boolean;
  /** Other Ethernet-like interfaces that are up but have no carrier. */
  linksDown: string[];
  /** idle | applying | pending | rolling-back */
  state: string;
  /** Unix ms of nicd's automatic rollback, 0 when nothing is pending. */
  pendingUntil: number;
  /** The IPv4 default gateway of the configuration in force, if any. */
  gateway: string | null;
}

export interface SyncView {
  running: boolean;
  /** red | orange | green | unknown */
  status: string;
  reason: string;
}

/** The web UI admin password's state (statusd's AdminPassword; core/web-password.ts). */
export type WebPassword =
  /** statusd is not on the bus (or tells nothing about the password). */
  | { kind: 'unknown' }
  /** The initial password, as statusd's InitialPassword() returned it. */
  | { kind: 'initial'; password: string }
  /** Initial, but its text is not known (not read yet, or refused). */
  | { kind: 'initial-unread' }
  /** Initial, known, and left out of this copy (D-Bus, log). */
  | { kind: 'initial-hidden' }
  | { kind: 'changed' };

export interface PanelInput {
  product: string;
  version: string;
  hostname: string;
  /** Seconds since boot. */
  uptimeS: number;
  /** statusd's HTTPS port, for the web UI URL. */
  webPort: number;
  /** Services whose absence is an alert (from the config). */
  expected: readonly ('hbd' | 'nicd' | 'csyncd')[];
  ha: HaView;
  net: NetView;
  sync: SyncView;
  /** The web admin password: shown on the console and the LCD only (core/web-password.ts). */
  web: WebPassword;
  /**
   * paird's Paired: false on a unit never paired, whose hbd and csyncd do
   * not run by design (not an alert); undefined/null when paird is not on
   * the bus (then a missing hbd or csyncd is an alert, as before paird).
   */
  paired?: boolean | null;
}

type Props = Readonly<Record<string, unknown>>;

const str = (v: unknown): string => (typeof v === 'string' ? v : '');
const num = (v: unknown): number => (typeof v === 'number' && Number.isFinite(v) ? v : typeof v === 'bigint' ? Number(v) : 0);
const tuples = (v: unknown): unknown[][] => (Array.isArray(v) ? v.filter((x): x is unknown[] => Array.isArray(x)) : []);
const strings = (v: unknown): string[] => (Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : []);

export const HA_NOT_RUNNING: HaView = { running: false, node: '', peer: '', role: '', state: '', peerStatus: 'unknown', linksUp: 0, linksTotal: 0, healthy: true, failedResources: [], vips: [] };
export const NET_NOT_RUNNING: NetView = { running: false, iface: '', addresses: [], carrier: false, linksDown: [], state: '', pendingUntil: 0, gateway: null };
export const SYNC_NOT_RUNNING: SyncView = { running: false, status: 'unknown', reason: '' };

/** com.lbos.Hbd1 properties. */
export function haFromProps(p: Props): HaView {
  const links = tuples(p.Links);
  return {
    running: true,
    node: str(p.Node),
    peer: str(p.Peer),
    role: str(p.Role),
    state: str(p.State),
    peerStatus: str(p.PeerStatus) || 'unknown',
    linksUp: links.filter((l) => l[2] === 'up').length,
    linksTotal: links.length,
    healthy: p.Healthy === undefined ? true : p.Healthy === true,
    failedResources: tuples(p.Resources).filter((r) => r[1] === 'failed').map((r) => str(r[0])),
    vips: tuples(p.Resources).map((r) => vipOf(str(r[0]))).filter((v): v is string => v !== null),
  };
}

/** The address of an IPaddr/IPaddr2 resource (haresources(5)), or null for other resources. */
export function vipOf(resource: string): string | null {
  const spec = resource.replace(/^IPaddr2?::/, '');
  const host = spec.split('/')[0] ?? '';
  return isIP(host) !== 0 ? host : null;
}

// veth: the simulation kit's units are wired with veth pairs.
const WIRED = new Set(['ethernet', 'bond', 'vlan', 'veth', '']);

/** com.lbos.Nicd1 properties (+ the gateway read from GetConfig). */
export function netFromProps(p: Props, gateway: string | null): NetView {
  const iface = str(p.ManagementInterface);
  let addresses: string[] = [];
  let carrier = false;
  const linksDown: string[] = [];
  for (const [name, kind, , adminUp, hasCarrier, , , , , addrs] of tuples(p.Interfaces)) {
    const n = str(name);
    if (n === iface) {
      addresses = strings(addrs);
      carrier = hasCarrier === true;
    } else if (adminUp === true && hasCarrier !== true && WIRED.has(str(kind)) && n !== 'lo') {
      linksDown.push(n);
    }
  }
  return { running: true, iface, addresses: sortAddresses(addresses), carrier, linksDown: linksDown.sort(), state: str(p.State), pendingUntil: num(p.PendingUntil), gateway };
}

/** com.lbos.Csyncd1 properties. */
export function syncFromProps(p: Props): SyncView {
  const s = str(p.Status);
  return { running: true, status: ['red', 'orange', 'green'].includes(s) ? s : 'unknown', reason: str(p.Reason) };
}

/** IPv4 first, then global IPv6, link-local IPv6 last; order kept within each. */
export function sortAddresses(addrs: readonly string[]): string[] {
  const rank = (a: string): number => (!a.includes(':') ? 0 : /^fe[89ab]/i.test(a) ? 2 : 1);
  return [...addrs].sort((a, b) => rank(a) - rank(b));
}

/** The address part of a CIDR. */
export const hostOf = (cidr: string): string => cidr.split('/')[0] ?? cidr;

/** The unit's own management addresses: without the floating ones hbd holds there. */
export function unitAddresses(i: Pick<PanelInput, 'net' | 'ha'>): string[] {
  return i.net.addresses.filter((a) => !i.ha.vips.includes(hostOf(a)));
}

/** The unit's addresses a browser can use: no IPv6 link-local, no floating IPs. */
export function reachableAddresses(i: Pick<PanelInput, 'net' | 'ha'>): string[] {
  return unitAddresses(i).filter((a) => !/^fe[89ab]/i.test(a));
}

/** Floating addresses this unit holds now. */
export function heldVips(i: Pick<PanelInput, 'net' | 'ha'>): string[] {
  return i.net.addresses.filter((a) => i.ha.vips.includes(hostOf(a)));
}

export function webUrl(address: string, port: number): string {
  const host = hostOf(address);
  return `https://${host.includes(':') ? `[${host}]` : host}:${port}/`;
}
