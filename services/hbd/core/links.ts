/**
 * Link and peer liveness, Heartbeat style. Each link (UDP, serial) on which
 * the peer was heard is tracked with the time it was last heard.
 *
 *   link:  up  --(now >= lastSeen + deadtime)-->  dead  --(advert)--> up
 *
 *   peer (lastHeard = latest lastSeen over all links):
 *
 *     unknown --advert--> up --(lastHeard + warntime)--> warn --(lastHeard + deadtime)--> dead
 *                          ^                              |                                |
 *                          +------------ advert ----------+--------------------------------+
 *     unknown --declarePeerDead (initdead)--> dead
 *
 * So the peer is dead exactly when every link is dead. Boundaries are
 * inclusive (dead at lastSeen + deadtime) so that a deadline timer armed
 * for that instant finds the change.
 */
import type { Effect, Liveness, LinkInfo, PeerStatus } from './election-types';

/** The two thresholds that matter here. */
export interface LivenessTiming {
  warntimeMs: number;
  deadtimeMs: number;
}

/** A new liveness and what changed. */
export interface LivenessUpdate {
  liveness: Liveness;
  effects: Effect[];
}

export const INITIAL_LIVENESS: Liveness = { links: [], peer: 'unknown' };

/** Latest time anything was heard from the peer, or undefined. */
export function lastHeard(l: Liveness): number | undefined {
  return l.links.length === 0 ? undefined : Math.max(...l.links.map((k) => k.lastSeenMs));
}

/** An advert arrived on `linkId` at `now`. */
export function heard(l: Liveness, linkId: string, now: number): LivenessUpdate {
  const effects: Effect[] = [];
  const old = l.links.find((k) => k.id === linkId);
  if (old === undefined || !old.up) effects.push({ type: 'LinkChanged', link: linkId, up: true });
  const fresh: LinkInfo = { id: linkId, lastSeenMs: Math.max(now, old?.lastSeenMs ?? now), up: true };
  const links = old === undefined ? [...l.links, fresh] : l.links.map((k) => (k.id === linkId ? fresh : k));
  if (l.peer !== 'up') effects.push({ type: 'PeerChanged', status: 'up' });
  return { liveness: { links, peer: 'up' }, effects };
}

/** Applies the passage of time up to `now`: links die, the peer goes warn then dead. */
export function expire(l: Liveness, now: number, t: LivenessTiming): LivenessUpdate {
  const effects: Effect[] = [];
  const links = l.links.map((k) => {
    if (!k.up || now < k.lastSeenMs + t.deadtimeMs) return k;
    effects.push({ type: 'LinkChanged', link: k.id, up: false });
    return { ...k, up: false };
  });
  const peer = l.peer === 'up' || l.peer === 'warn' ? peerStatusAt({ links, peer: l.peer }, now, t) : l.peer;
  if (peer !== l.peer && peer !== 'unknown') effects.push({ type: 'PeerChanged', status: peer });
  return { liveness: { links, peer }, effects };
}

function peerStatusAt(l: Liveness, now: number, t: LivenessTiming): PeerStatus {
  const last = lastHeard(l);
  if (last === undefined || now >= last + t.deadtimeMs) return 'dead';
  return now >= last + t.warntimeMs ? 'warn' : 'up';
}

/** initdead passed without a word from the peer. */
export function declarePeerDead(l: Liveness): LivenessUpdate {
  if (l.peer === 'dead') return { liveness: l, effects: [] };
  return { liveness: { ...l, peer: 'dead' }, effects: [{ type: 'PeerChanged', status: 'dead' }] };
}

/** The next instant at which expire() would change something, or null. */
export function nextDeadline(l: Liveness, t: LivenessTiming): number | null {
  const times = l.links.filter((k) => k.up).map((k) => k.lastSeenMs + t.deadtimeMs);
  const last = lastHeard(l);
  if (last !== undefined && l.peer === 'up') times.push(last + t.warntimeMs);
  if (last !== undefined && l.peer === 'warn') times.push(last + t.deadtimeMs);
  return times.length === 0 ? null : Math.min(...times);
}

/** True while the peer counts as alive (up or warn). */
export function peerAlive(l: Liveness): boolean {
  return l.peer === 'up' || l.peer === 'warn';
}
