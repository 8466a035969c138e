/**
 * Turns a Decision into phase changes and effects for this node.
 *
 *   | phase   | decision                     | peer advert | result                              |
 *   |---------|------------------------------|-------------|-------------------------------------|
 *   | standby | self                         | active      | wait: the peer sees the same        |
 *   |         |                              |             | decision and releases first         |
 *   | standby | self                         | other/dead  | active: AcquireResources            |
 *   | active  | other/none, 'failback',      | -           | stay active, ArmTimer preempt once; |
 *   |         |   preempt_delay > 0          |             | release when it has passed          |
 *   | active  | other/none, any other reason | -           | standby: ReleaseResources now       |
 *   | any     | anything else                | -           | no change (a stale preempt timer    |
 *   |         |                              |             | is cancelled)                       |
 *
 * Init and stopped nodes never evaluate. After any change the advert is
 * sent at once if its content changed, not at the next keepalive, so the
 * peer reacts within one link delay.
 */
import { decide, type Decision, type NodeView } from './decide';
import type { AdvertBody, Effect, ElectionState, Phase, StepResult } from './election-types';
import { peerAlive } from './links';
import { manualOf, maxManual } from './manual';

/** What this node advertises now. */
export function advertOf(s: ElectionState): AdvertBody {
  return {
    node: s.settings.self,
    state: s.phase,
    priority: s.settings.priority,
    pingReachable: s.pingReachable,
    healthy: s.healthy,
    manualEpoch: s.manual.epoch,
    manualNode: s.manual.node,
  };
}

function selfView(s: ElectionState): NodeView {
  const a = advertOf(s);
  return { ...a, isOwner: a.node === s.settings.ownerNode };
}

/** The peer as last advertised, or null when it is dead. */
function peerView(s: ElectionState): NodeView | null {
  const a = s.peerAdvert;
  if (a === null || !peerAlive(s.liveness)) return null;
  return { ...a, isOwner: a.node === s.settings.ownerNode };
}

/** The decision this node would take now. */
export function currentDecision(s: ElectionState): Decision {
  const manual = s.peerAdvert === null ? s.manual : maxManual(s.manual, manualOf(s.peerAdvert));
  return decide(selfView(s), peerView(s), manual, s.settings);
}

/** Re-decides and applies the outcome at `now`. */
export function evaluate(s: ElectionState, now: number): StepResult {
  if (!s.started || s.phase === 'init' || s.phase === 'stopped') return [s, []];
  const d = currentDecision(s);
  const [next, effects] = d.winner === s.settings.self ? wantActive(s, d) : wantStandby(s, d, now);
  return sendIfChanged(next, effects);
}

function wantActive(s: ElectionState, d: Decision): StepResult {
  const [s1, effects] = cancelPreempt(s);
  if (s1.phase === 'active') return [s1, effects];
  if (peerView(s1)?.state === 'active') return [s1, effects];
  return changePhase(s1, 'active', d.reason, [...effects, { type: 'AcquireResources', reason: d.reason }]);
}

function wantStandby(s: ElectionState, d: Decision, now: number): StepResult {
  const delay = s.settings.preemptDelayMs;
  if (s.phase !== 'active') return cancelPreempt(s);
  if (d.reason !== 'failback' || delay === 0) return release(s, d.reason);
  if (s.preemptAt === null) {
    const at = now + delay;
    const log: Effect = { type: 'Log', level: 'info', msg: 'better peer is back; failing back after preempt_delay', fields: { at, winner: d.winner } };
    return [{ ...s, preemptAt: at }, [{ type: 'ArmTimer', timer: 'preempt', at }, log]];
  }
  return now >= s.preemptAt ? release(s, d.reason) : [s, []];
}

function release(s: ElectionState, reason: string): StepResult {
  const [s1, effects] = cancelPreempt(s);
  return changePhase(s1, 'standby', reason, [{ type: 'ReleaseResources', reason }, ...effects]);
}

function cancelPreempt(s: ElectionState): StepResult {
  if (s.preemptAt === null) return [s, []];
  return [{ ...s, preemptAt: null }, [{ type: 'CancelTimer', timer: 'preempt' }]];
}

/**
 * Sets the phase. The Log effect comes first: the runtime awaits `before`
 * (taking the VIPs) with the new phase already in place, and what it
 * publishes meanwhile must not precede the log line of the change.
 */
export function changePhase(s: ElectionState, to: Phase, reason: string, before: Effect[] = []): StepResult {
  if (s.phase === to) return [s, before];
  const log: Effect = { type: 'Log', level: 'info', msg: 'state change', fields: { from: s.phase, to, reason } };
  return [{ ...s, phase: to }, [log, ...before, { type: 'StateChanged', from: s.phase, to, reason }]];
}

/** Appends SendAdvert when the advertised content differs from the last one sent. */
export function sendIfChanged(s: ElectionState, effects: Effect[]): StepResult {
  if (!s.started) return [s, effects];
  const advert = advertOf(s);
  if (s.lastAdvertised !== null && sameAdvert(advert, s.lastAdvertised)) return [s, effects];
  return [{ ...s, lastAdvertised: advert }, [...effects, { type: 'SendAdvert', advert }]];
}

function sameAdvert(a: AdvertBody, b: AdvertBody): boolean {
  return (
    a.state === b.state &&
    a.priority === b.priority &&
    a.pingReachable === b.pingReachable &&
    a.healthy === b.healthy &&
    a.manualEpoch === b.manualEpoch &&
    a.manualNode === b.manualNode &&
    a.node === b.node
  );
}
