/**
 * The hbd election: a pure state machine for one node of an active/passive
 * pair, after Heartbeat v1 (ha.cf(5): keepalive, warntime, deadtime,
 * initdead, auto_failback, ping) with keepalived-style priority and
 * preempt_delay (RFC 5798 spirit, not its wire format).
 *
 *              Started
 *   (created) --------> [init] ---- initdead fired, peer never heard -----.
 *                          |                                               |
 *                          | first advert from the peer                    |
 *                          v                                               v
 *                      [standby] <------------------------------------- standby
 *                        |   ^
 *   decision = self, and |   | decision != self: release now
 *   peer not advertising |   | ('failback' waits preempt_delay)
 *   active               v   |
 *                      [active]
 *
 *   any phase --StopRequested--> [stopped]  (releases first when active; terminal)
 *
 *   | phase        | event                  | effects / next                                          |
 *   |--------------|------------------------|---------------------------------------------------------|
 *   | (created)    | Started                | ArmTimer keepalive@now, ArmTimer initdead@now+initdead   |
 *   | init         | AdvertReceived         | LinkChanged, PeerChanged up, CancelTimer initdead,       |
 *   |              |                        | -> standby, evaluate                                    |
 *   | init         | TimerFired initdead    | PeerChanged dead, -> standby, evaluate                  |
 *   | any running  | TimerFired keepalive   | SendAdvert, ArmTimer keepalive@now+keepalive             |
 *   | any running  | AdvertReceived         | LinkChanged/PeerChanged when they change, adopt manual, |
 *   |              |                        | evaluate                                                |
 *   | any running  | TimerFired deadline    | LinkChanged down, PeerChanged warn/dead; a dead manual  |
 *   |              |                        | target is cleared; evaluate                             |
 *   | any running  | TimerFired preempt     | evaluate (releases when the delay has passed)           |
 *   | any running  | PingChanged, TrackChg. | evaluate                                                |
 *   | stdby/active | StandbyRequested       | manual := {max epoch + 1, peer} (refused if peer dead)  |
 *   | stdby/active | TakeoverRequested      | manual := {max epoch + 1, self}                         |
 *   | any running  | StopRequested          | ReleaseResources (if active), -> stopped,                |
 *   |              |                        | SendAdvert(stopped), CancelTimer all                    |
 *   | stopped      | anything               | nothing                                                 |
 *
 * "evaluate" is evaluate.ts (decision rules in decide.ts). The deadline
 * timer is armed lazily: only when none is armed or the next change comes
 * earlier than the armed one; a deadline that fires early just re-arms.
 */
import type {
  AdvertBody,
  Effect,
  ElectionEvent,
  ElectionSettings,
  ElectionState,
  StepResult,
  TimerName,
} from './election-types';
import { changePhase, evaluate, sendIfChanged } from './evaluate';
import { INITIAL_LIVENESS, declarePeerDead, expire, heard, nextDeadline, peerAlive } from './links';
import { NO_MANUAL, manualOf, maxManual, request } from './manual';

export type * from './election-types';
export { advertOf, currentDecision } from './evaluate';

/** A node that has not started yet. */
export function initialState(settings: ElectionSettings): ElectionState {
  return {
    settings,
    started: false,
    phase: 'init',
    liveness: INITIAL_LIVENESS,
    peerAdvert: null,
    pingReachable: 0,
    healthy: true,
    manual: NO_MANUAL,
    preemptAt: null,
    deadlineAt: null,
    lastAdvertised: null,
  };
}

/** The transition function. Never throws; events that do not apply are ignored. */
export function step(s: ElectionState, e: ElectionEvent): StepResult {
  if (s.phase === 'stopped') return [s, []];
  switch (e.type) {
    case 'Started':
      return onStarted(s, e.now);
    case 'PingChanged':
      return then([{ ...s, pingReachable: e.reachable }, []], (x) => evaluate(x, e.now));
    case 'TrackChanged':
      return then([{ ...s, healthy: e.ok }, []], (x) => evaluate(x, e.now));
    case 'StopRequested':
      return s.started ? onStop(s) : [{ ...s, phase: 'stopped' }, []];
    // Before Started, nothing below applies.
    case 'AdvertReceived':
      return s.started ? onAdvert(s, e.now, e.link, e.advert) : [s, []];
    case 'TimerFired':
      return s.started ? onTimer(s, e.now, e.timer) : [s, []];
    case 'StandbyRequested':
      return s.started ? onManual(s, e.now, s.settings.peer) : [s, []];
    case 'TakeoverRequested':
      return s.started ? onManual(s, e.now, s.settings.self) : [s, []];
  }
}

/** Chains a step on a result, concatenating effects. */
function then(r: StepResult, f: (s: ElectionState) => StepResult): StepResult {
  const [s2, more] = f(r[0]);
  return [s2, [...r[1], ...more]];
}

function onStarted(s: ElectionState, now: number): StepResult {
  if (s.started) return [s, []];
  const { keepaliveMs, initdeadMs } = s.settings;
  const log: Effect = { type: 'Log', level: 'info', msg: 'started; waiting for the peer', fields: { initdeadMs, keepaliveMs } };
  return [
    { ...s, started: true },
    [{ type: 'ArmTimer', timer: 'keepalive', at: now }, { type: 'ArmTimer', timer: 'initdead', at: now + initdeadMs }, log],
  ];
}

function onAdvert(s: ElectionState, now: number, link: string, a: AdvertBody): StepResult {
  if (a.node !== s.settings.peer) {
    return [s, [{ type: 'Log', level: 'warn', msg: 'advert from an unexpected node dropped', fields: { node: a.node, link } }]];
  }
  const h = heard(s.liveness, link, now);
  const peerAdvert = bodyOf(a);
  let r: StepResult = [{ ...s, liveness: h.liveness, peerAdvert, manual: maxManual(s.manual, manualOf(a)) }, h.effects];
  if (a.state === 'stopped' && s.peerAdvert?.state !== 'stopped') {
    r = [r[0], [...r[1], { type: 'Log', level: 'info', msg: 'peer is stopping', fields: { link } }]];
  }
  if (s.phase === 'init') {
    r = then(r, (x) => changePhase(x, 'standby', 'peer-heard', [{ type: 'CancelTimer', timer: 'initdead' }]));
  }
  return then(then(r, (x) => evaluate(x, now)), (x) => armDeadline(x));
}

/** The advert fields the election keeps (an Advert from the wire also has generation, seq, link). */
function bodyOf(a: AdvertBody): AdvertBody {
  const { node, state, priority, pingReachable, healthy, manualEpoch, manualNode } = a;
  return { node, state, priority, pingReachable, healthy, manualEpoch, manualNode };
}

function onTimer(s: ElectionState, now: number, timer: TimerName): StepResult {
  switch (timer) {
    case 'keepalive':
      return onKeepalive(s, now);
    case 'initdead':
      return s.phase === 'init' ? onInitdead(s, now) : [s, []];
    case 'deadline':
      return onDeadline(s, now);
    case 'preempt':
      return evaluate(s, now);
  }
}

function onKeepalive(s: ElectionState, now: number): StepResult {
  const [s1, effects] = sendIfChanged({ ...s, lastAdvertised: null }, []);
  return [s1, [...effects, { type: 'ArmTimer', timer: 'keepalive', at: now + s.settings.keepaliveMs }]];
}

function onInitdead(s: ElectionState, now: number): StepResult {
  const d = declarePeerDead(s.liveness);
  const log: Effect = { type: 'Log', level: 'warn', msg: 'peer not heard within initdead; declaring it dead', fields: { peer: s.settings.peer } };
  const r = changePhase({ ...s, liveness: d.liveness }, 'standby', 'initdead', [...d.effects, log]);
  return then(r, (x) => evaluate(x, now));
}

function onDeadline(s: ElectionState, now: number): StepResult {
  const x = expire(s.liveness, now, s.settings);
  let s1: ElectionState = { ...s, liveness: x.liveness, deadlineAt: null };
  const effects = [...x.effects];
  if (!peerAlive(x.liveness) && peerAlive(s.liveness)) {
    effects.push({ type: 'Log', level: 'warn', msg: 'peer is dead', fields: { peer: s.settings.peer, deadtimeMs: s.settings.deadtimeMs } });
    if (s1.manual.node === s.settings.peer) s1 = { ...s1, manual: request(s1.manual, '') };
    if (s1.peerAdvert !== null) s1 = { ...s1, peerAdvert: null };
  }
  return then(then([s1, effects], (y) => evaluate(y, now)), (y) => armDeadline(y));
}

function onManual(s: ElectionState, now: number, target: string): StepResult {
  if (s.phase === 'init') {
    return [s, [{ type: 'Log', level: 'warn', msg: 'manual request refused: still in init', fields: { target } }]];
  }
  if (target === s.settings.peer && !peerAlive(s.liveness)) {
    return [s, [{ type: 'Log', level: 'warn', msg: 'standby refused: the peer is dead', fields: { peer: target } }]];
  }
  const manual = request(s.manual, target);
  const log: Effect = { type: 'Log', level: 'info', msg: 'manual override', fields: { ...manual } };
  return then([{ ...s, manual }, [log]], (x) => evaluate(x, now));
}

function onStop(s: ElectionState): StepResult {
  const release: Effect[] = s.phase === 'active' ? [{ type: 'ReleaseResources', reason: 'stop' }] : [];
  const [s1, effects] = sendIfChanged(...changePhase({ ...s, preemptAt: null, deadlineAt: null }, 'stopped', 'stop', release));
  const cancels: Effect[] = (['keepalive', 'initdead', 'deadline', 'preempt'] as const).map((timer) => ({ type: 'CancelTimer', timer }));
  return [s1, [...effects, ...cancels]];
}

/** Arms the deadline timer when none is armed or the next change comes sooner. */
function armDeadline(s: ElectionState): StepResult {
  const next = nextDeadline(s.liveness, s.settings);
  if (next === null) {
    return s.deadlineAt === null ? [s, []] : [{ ...s, deadlineAt: null }, [{ type: 'CancelTimer', timer: 'deadline' }]];
  }
  if (s.deadlineAt !== null && s.deadlineAt <= next) return [s, []];
  return [{ ...s, deadlineAt: next }, [{ type: 'ArmTimer', timer: 'deadline', at: next }]];
}
