/** Turns the driver's state into the D-Bus properties and the hactl status view. */
import type { HbdDriver } from './runtime';
import type { ResourceStatus } from './adapters/resources';
import type { HbdProperties, LinkTuple } from './adapters/dbus-api';
import type { StatusView, LinkView } from './status-view';
import { formatProblem, type ConfigProblem } from '../runtime/config/problems';

/** The code a warning is published with when its loader gave none. */
export const GENERIC_WARNING_CODE = 'CONFIG_WARNING';

export interface PublishInput {
  driver: HbdDriver;
  resources: readonly ResourceStatus[];
  role: 'master' | 'slave';
  generation: number;
  pingConfigured: number;
  nowWallMs: number;
  /** The configuration's warnings, as loaded. */
  warnings: readonly ConfigProblem[];
}

const stateWord = (phase: string): string => (phase === 'standby' ? 'passive' : phase);

export function statusView(p: PublishInput): StatusView {
  const e = p.driver.election;
  const live = new Map(e.liveness.links.map((l) => [l.id, l.up]));
  const links: LinkView[] = [...p.driver.counters.entries()].map(([id, c]) => ({
    id,
    kind: id.split(':')[0] ?? id,
    status: (live.get(id) ?? false) && c.mediumUp ? 'up' : 'down',
    lastSeenMsAgo: c.lastSeenWallMs === null ? null : p.nowWallMs - c.lastSeenWallMs,
    received: c.received,
    dropped: c.dropped,
  }));
  const alive = e.liveness.peer === 'up' || e.liveness.peer === 'warn';
  return {
    node: e.settings.self,
    peer: e.settings.peer,
    role: p.role,
    state: stateWord(e.phase),
    peerStatus: e.liveness.peer,
    peerState: alive && e.peerAdvert !== null ? e.peerAdvert.state : 'unknown',
    links,
    drops: Object.fromEntries(p.driver.drops),
    resources: p.resources.map((r) => ({ ...r })),
    pingReachable: e.pingReachable,
    pingConfigured: p.pingConfigured,
    healthy: e.healthy,
    generation: p.generation,
    manual: { ...e.manual },
    warnings: p.warnings.map((w) => ({ code: w.code ?? GENERIC_WARNING_CODE, message: formatProblem(w) })),
  };
}

export function dbusProperties(v: StatusView, nowWallMs: number): HbdProperties {
  return {
    Node: v.node,
    Peer: v.peer,
    Role: v.role,
    State: v.state,
    PeerStatus: v.peerStatus,
    PeerState: v.peerState,
    Links: v.links.map((l): LinkTuple => [l.id, l.kind, l.status, BigInt(l.lastSeenMsAgo === null ? 0 : nowWallMs - l.lastSeenMsAgo), BigInt(l.received), BigInt(l.dropped)]),
    Drops: Object.fromEntries(Object.entries(v.drops).map(([k, n]) => [k, BigInt(n)])),
    Resources: v.resources.map((r) => [r.name, r.status, r.detail]),
    PingReachable: v.pingReachable,
    Healthy: v.healthy,
    Generation: v.generation,
    Warnings: (v.warnings ?? []).map((w) => [w.code, w.message]),
  };
}
