/**
 * D-Bus properties of the appliance services -> the feed's subtrees
 * (README "State tree"). Input is whatever the bus delivered, so every
 * accessor tolerates a wrong type (a service of another version) and falls
 * back to an empty value instead of throwing.
 */
import { toJson, type Json, type JsonObject } from './json';

type Props = Readonly<Record<string, unknown>>;

const str = (v: unknown): string => (typeof v === 'string' ? v : '');
const bool = (v: unknown): boolean => v === true;
const num = (v: unknown): number => (typeof v === 'number' && Number.isFinite(v) ? v : typeof v === 'bigint' ? Number(v) : 0);
const tuples = (v: unknown): unknown[][] => (Array.isArray(v) ? v.filter((x): x is unknown[] => Array.isArray(x)) : []);
const strings = (v: unknown): string[] => (Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : []);

/** What a source that is not on the bus shows. */
export const NOT_RUNNING: JsonObject = { running: false };

/** com.lbos.Hbd1 (services/hbd/README.md "D-Bus API"). */
export function hbdView(p: Props): JsonObject {
  return {
    running: true,
    node: str(p.Node),
    peer: str(p.Peer),
    role: str(p.Role),
    state: str(p.State),
    peerStatus: str(p.PeerStatus),
    peerState: str(p.PeerState),
    links: tuples(p.Links).map(([id, kind, status, lastSeen, received, dropped]) => ({
      id: str(id), kind: str(kind), status: str(status), lastSeen: num(lastSeen), received: num(received), dropped: num(dropped),
    })),
    resources: tuples(p.Resources).map(([name, status, detail]) => ({ name: str(name), status: str(status), detail: str(detail) })),
    healthy: p.Healthy === undefined ? true : bool(p.Healthy),
    pingReachable: num(p.PingReachable),
    // Absent from an hbd without the property: no warnings.
    warnings: tuples(p.Warnings).map(([code, message]) => ({ code: str(code), message: str(message) })),
  };
}

/** com.lbos.Csyncd1: the sync colour red|orange|green and why. */
export function csyncdView(p: Props): JsonObject {
  const status = str(p.Status);
  return {
    running: true,
    status: ['red', 'orange', 'green'].includes(status) ? status : 'unknown',
    reason: str(p.Reason),
    peerReachable: bool(p.PeerReachable),
    lastCheck: num(p.LastCheck),
    autoSync: bool(p.AutoSync),
    services: tuples(p.Services).map(([name, state, detail]) => ({ name: str(name), state: str(state), detail: str(detail) })),
  };
}

/** com.lbos.Nicd1: interfaces keyed by name, so a link change is a small delta. */
export function nicdView(p: Props): JsonObject {
  const interfaces: JsonObject = {};
  for (const [name, kind, operstate, up, carrier, mtu, mac, speed, duplex, addresses] of tuples(p.Interfaces)) {
    const n = str(name);
    if (n === '') continue;
    const s = num(speed);
    interfaces[n] = {
      kind: str(kind), operstate: str(operstate), up: bool(up), carrier: bool(carrier), mtu: num(mtu), mac: str(mac),
      speed: s < 0 ? null : s, duplex: str(duplex) === '' ? null : str(duplex), addresses: strings(addresses),
    };
  }
  return { running: true, state: str(p.State), management: str(p.ManagementInterface), generation: num(p.Generation), interfaces };
}

/** com.lbos.Paneld1: what the front panel shows (services/paneld/README.md "D-Bus API"). */
export function paneldView(p: Props): JsonObject {
  const mode = str(p.Mode);
  return {
    running: true,
    lcd: strings(p.Lcd),
    lcdSize: str(p.LcdSize),
    lcdConnected: bool(p.LcdConnected),
    mode: ['normal', 'alert', 'menu'].includes(mode) ? mode : 'unknown',
    leds: tuples(p.Leds).map(([role, name, state, detail]) => ({ role: str(role), name: str(name), state: str(state), detail: str(detail) })),
    alerts: tuples(p.Alerts).map(([severity, title, detail]) => ({ severity: str(severity), title: str(title), detail: str(detail) })),
    banner: str(p.Banner),
  };
}

/** com.lbos.Paird1 (services/paird/README.md): paired or not, and the last pairing's progress. */
export function pairdView(p: Props): JsonObject {
  let pairing: Json = null;
  try {
    pairing = toJson(JSON.parse(str(p.Pairing)) as unknown);
  } catch {
    pairing = null;
  }
  return { running: true, paired: bool(p.Paired), peer: str(p.Peer), pairing };
}

/** A service whose API statusd does not know: its properties as they are. */
export function genericView(p: Props): JsonObject {
  const properties: JsonObject = {};
  for (const [k, v] of Object.entries(p)) properties[k] = toJson(v);
  return { running: true, properties };
}

/** The view function of each known source name. */
export const SERVICE_VIEWS: Readonly<Record<string, (p: Props) => JsonObject>> = {
  hbd: hbdView,
  csyncd: csyncdView,
  nicd: nicdView,
  paneld: paneldView,
  paird: pairdView,
};

export function viewFor(service: string): (p: Props) => JsonObject {
  return SERVICE_VIEWS[service] ?? genericView;
}

/** What the status bar says (README "Status bar"), from the hbd subtree. */
export interface StatusBar {
  master: boolean;
  slave: boolean;
  active: boolean;
  passive: boolean;
  /** up: heartbeat to the peer; down: a peer is configured but no link is up; none: no hbd/peer. */
  link: 'up' | 'down' | 'none';
}

export function statusBar(hbd: Json | undefined): StatusBar {
  const h = (typeof hbd === 'object' && hbd !== null && !Array.isArray(hbd) ? hbd : {}) as Record<string, Json>;
  const running = h.running === true;
  const links = Array.isArray(h.links) ? h.links : [];
  const up = links.some((l) => typeof l === 'object' && l !== null && !Array.isArray(l) && l.status === 'up');
  return {
    master: running && h.role === 'master',
    slave: running && h.role === 'slave',
    active: running && h.state === 'active',
    passive: running && h.state === 'passive',
    link: !running || (h.peer ?? '') === '' ? 'none' : up ? 'up' : 'down',
  };
}
