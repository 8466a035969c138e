/**
 * Who should hold the resources. Both nodes run this same pure function on
 * the same inputs (their own state and the peer's last advert), so they
 * agree without a further round of messages.
 *
 * Rules, in order:
 *  1. Peer dead (or advertising `stopped`): self wins iff it is healthy,
 *     past init, and (no ping nodes configured or it reaches >= 1). A unit
 *     that reaches no ping node stays standby: when both links are cut, only
 *     the side that sees the ping nodes serves (split-brain protection).
 *  2. Peer alive but in init: nobody takes over; an active self that passes
 *     rule 1's test stays active. The peer leaves init on our next advert.
 *  3. Eligibility (peer alive): a node is a candidate when healthy and past
 *     init. With ping nodes configured, only the candidates reaching the
 *     most ping nodes remain. When every candidate reaches none, ping does
 *     not discriminate: the fault is upstream of both, and dropping the VIPs
 *     while the pair is connected cannot prevent a split brain, only cause
 *     an outage. No candidate: nobody. One candidate: it wins.
 *  4. Manual override: if the effective record (maxManual) names a
 *     candidate, it wins.
 *  5. Score = (priority, haresources owner, smaller node name).
 *     Both advertise active (healed split brain): best score ('split-brain').
 *     One active, auto_failback off: it keeps the resources ('sticky').
 *     One active, auto_failback on: best score; if that moves the resources
 *     it is a 'failback', which the active side delays by preempt_delay.
 *     None active: best score.
 */
import type { ManualOverride, Phase } from './election-types';

/** One node as the decision sees it. */
export interface NodeView {
  node: string;
  state: Phase;
  priority: number;
  pingReachable: number;
  healthy: boolean;
  isOwner: boolean;
}

/** Which rule decided; 'failback' is the only one the active side may delay. */
export type DecisionReason =
  | 'peer-dead'
  | 'peer-starting'
  | 'none-eligible'
  | 'eligibility'
  | 'manual'
  | 'split-brain'
  | 'sticky'
  | 'failback'
  | 'score';

/** The node that should be active (null: none) and why. */
export interface Decision {
  winner: string | null;
  reason: DecisionReason;
}

/** Cluster-wide settings the decision depends on (identical on both nodes). */
export interface DecideOptions {
  pingConfigured: number;
  autoFailback: boolean;
}

const serving = (n: NodeView): boolean => n.healthy && (n.state === 'standby' || n.state === 'active');

/** Rule 1: may this node serve with no live peer? */
export function eligibleAlone(n: NodeView, opts: DecideOptions): boolean {
  return serving(n) && (opts.pingConfigured === 0 || n.pingReachable >= 1);
}

/** Rule 5's order: negative when `a` is better. */
export function compareScore(a: NodeView, b: NodeView): number {
  if (a.priority !== b.priority) return b.priority - a.priority;
  if (a.isOwner !== b.isOwner) return a.isOwner ? -1 : 1;
  return a.node < b.node ? -1 : a.node > b.node ? 1 : 0;
}

/** The decision; `peer` is null when the peer is dead. */
export function decide(self: NodeView, peer: NodeView | null, manual: ManualOverride, opts: DecideOptions): Decision {
  if (peer === null || peer.state === 'stopped') {
    return { winner: eligibleAlone(self, opts) ? self.node : null, reason: 'peer-dead' };
  }
  if (peer.state === 'init') {
    const keep = self.state === 'active' && eligibleAlone(self, opts);
    return { winner: keep ? self.node : null, reason: 'peer-starting' };
  }
  const candidates = eligible([self, peer], opts);
  const [first, second] = candidates;
  if (first === undefined) return { winner: null, reason: 'none-eligible' };
  if (second === undefined) return { winner: first.node, reason: 'eligibility' };
  if (manual.node === first.node || manual.node === second.node) return { winner: manual.node, reason: 'manual' };
  return byScore(first, second, opts);
}

/** Rule 3. */
function eligible(nodes: NodeView[], opts: DecideOptions): NodeView[] {
  const candidates = nodes.filter(serving);
  if (opts.pingConfigured === 0) return candidates;
  const most = Math.max(0, ...candidates.map((n) => n.pingReachable));
  return most === 0 ? candidates : candidates.filter((n) => n.pingReachable === most);
}

/** Rule 5, for two eligible nodes. */
function byScore(a: NodeView, b: NodeView, opts: DecideOptions): Decision {
  const best = compareScore(a, b) <= 0 ? a : b;
  const active = [a, b].filter((n) => n.state === 'active');
  const [holder] = active;
  if (active.length === 2) return { winner: best.node, reason: 'split-brain' };
  if (holder === undefined) return { winner: best.node, reason: 'score' };
  if (!opts.autoFailback) return { winner: holder.node, reason: 'sticky' };
  return { winner: best.node, reason: best === holder ? 'score' : 'failback' };
}

/** Just the winner, for callers that do not care why. */
export function decideActive(self: NodeView, peer: NodeView | null, manual: ManualOverride, opts: DecideOptions): string | null {
  return decide(self, peer, manual, opts).winner;
}
