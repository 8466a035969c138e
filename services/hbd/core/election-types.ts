/**
 * Types of the election state machine (election.ts): settings, state,
 * events in (past tense), effects out (imperative). All times are
 * milliseconds on the adapter's monotonic clock, passed in as `now`.
 */
import type { AdvertState } from './message';

/** Where this node stands. Same words as the advert's `state`. */
export type Phase = AdvertState;

/** Timers the core asks the adapter to run. Arming a timer again replaces it. */
export type TimerName = 'keepalive' | 'initdead' | 'deadline' | 'preempt';

/** The peer as the links see it (Heartbeat: active / warn / dead). */
export type PeerStatus = 'up' | 'warn' | 'dead';

/** What the election needs from ha.cf and haresources. */
export interface ElectionSettings {
  self: string;
  peer: string;
  /** ha.cf `priority` (1..254, higher wins). */
  priority: number;
  /** haresources owner: wins ties of priority. */
  ownerNode: string;
  autoFailback: boolean;
  keepaliveMs: number;
  warntimeMs: number;
  deadtimeMs: number;
  initdeadMs: number;
  /** How long an active node keeps the resources after a better peer reappeared (auto_failback on). */
  preemptDelayMs: number;
  /** Number of `ping` nodes configured (0: ping plays no part). */
  pingConfigured: number;
}

/** hb_standby / hb_takeover: the request with the highest epoch wins, on both nodes. */
export interface ManualOverride {
  epoch: number;
  /** Node that should be active; '' for no override. */
  node: string;
}

/** What a node says about itself: the advert minus generation, seq and link, which the adapter adds. */
export interface AdvertBody {
  node: string;
  state: Phase;
  priority: number;
  pingReachable: number;
  healthy: boolean;
  manualEpoch: number;
  manualNode: string;
}

/** One medium to the peer, known once something arrived on it. */
export interface LinkInfo {
  id: string;
  lastSeenMs: number;
  up: boolean;
}

/** Links and the peer status derived from them; 'unknown' until first heard or initdead. */
export interface Liveness {
  links: readonly LinkInfo[];
  peer: PeerStatus | 'unknown';
}

/** The whole state; treat as immutable (step returns a new one). */
export interface ElectionState {
  readonly settings: ElectionSettings;
  readonly started: boolean;
  readonly phase: Phase;
  readonly liveness: Liveness;
  /** Last advert heard from the peer (kept while it is alive). */
  readonly peerAdvert: AdvertBody | null;
  readonly pingReachable: number;
  /** Track status (interfaces and scripts); true until told otherwise. */
  readonly healthy: boolean;
  readonly manual: ManualOverride;
  /** When an armed failback releases; null when no preempt timer runs. */
  readonly preemptAt: number | null;
  /** When the armed deadline timer fires; null when none is armed. */
  readonly deadlineAt: number | null;
  /** The last advert body sent, to send at once when it changes. */
  readonly lastAdvertised: AdvertBody | null;
}

/** Inputs of the election. */
export type ElectionEvent =
  | { type: 'Started'; now: number }
  /** An advert that the adapter has already authenticated and replay-checked; `link` is its link id. */
  | { type: 'AdvertReceived'; now: number; link: string; advert: AdvertBody }
  | { type: 'TimerFired'; now: number; timer: TimerName }
  /** Number of ping nodes now reachable (after the adapter's deadping smoothing). */
  | { type: 'PingChanged'; now: number; reachable: number }
  | { type: 'TrackChanged'; now: number; ok: boolean }
  | { type: 'StandbyRequested'; now: number }
  | { type: 'TakeoverRequested'; now: number }
  | { type: 'StopRequested'; now: number };

/**
 * Outputs, to be executed in order. When ReleaseResources precedes
 * SendAdvert, the adapter must finish the release before sending: the
 * peer acquires as soon as it reads our standby advert.
 */
export type Effect =
  | { type: 'ArmTimer'; timer: TimerName; at: number }
  | { type: 'CancelTimer'; timer: TimerName }
  | { type: 'SendAdvert'; advert: AdvertBody }
  | { type: 'AcquireResources'; reason: string }
  | { type: 'ReleaseResources'; reason: string }
  | { type: 'LinkChanged'; link: string; up: boolean }
  | { type: 'PeerChanged'; status: PeerStatus }
  | { type: 'StateChanged'; from: Phase; to: Phase; reason: string }
  | { type: 'Log'; level: 'info' | 'warn' | 'error'; msg: string; fields: Record<string, unknown> };

/** step's result. */
export type StepResult = [ElectionState, Effect[]];
