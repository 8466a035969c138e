/**
 * The hbd driver: feeds events into the pure election (core/election.ts) one
 * at a time and carries out its effects: timers, adverts on every link,
 * resources. Incoming frames are decoded, authenticated and replay-checked
 * here; every drop is counted by reason and never reaches the election.
 */
import type { Logger } from '../runtime/log';
import { AppError } from '../runtime/errors';
import { initialState, step } from './core/election';
import type { AdvertBody, Effect, ElectionEvent, ElectionSettings, ElectionState, TimerName } from './core/election-types';
import { decodeAdvert, encodeAdvert, type AdvertAuth } from './core/message';
import { checkReplay, EMPTY_REPLAY_STATE, type ReplayState } from './core/replay-guard';
import type { Link, LinkDrop, LinkFrame, LinkSink } from './ports/link';
import type { ResourceManager } from './adapters/resources';

export interface LinkCounters {
  received: number;
  dropped: number;
  lastSeenWallMs: number | null;
  mediumUp: boolean;
  mediumWhy: string;
}

export interface DriverDeps {
  settings: ElectionSettings;
  auth: AdvertAuth;
  generation: number;
  resources: ResourceManager;
  log: Logger;
  /** Monotonic milliseconds. */
  clock: () => number;
  /** Called after every batch of events; `urgent` when state, peer or links changed. */
  changed: (urgent: boolean) => void;
  /** Stop and exit so the supervisor starts hbd again (hactl restart-pair). Called once. */
  restartSelf: (reason: string) => void;
}

export class HbdDriver implements LinkSink {
  private state: ElectionState;
  private links: Link[] = [];
  private readonly queue: ElectionEvent[] = [];
  private draining = false;
  private readonly timers = new Map<TimerName, NodeJS.Timeout>();
  private seq = 0;
  private replay: ReplayState = EMPTY_REPLAY_STATE;
  private urgent = false;
  /** hactl restart-pair: set until the peer shows a new generation (it restarted). */
  private restartRequest: { peerGeneration: number | null } | null = null;
  private restarting = false;
  private peerGeneration: number | null = null;
  private startedAt = 0;
  readonly counters = new Map<string, LinkCounters>();
  readonly drops = new Map<string, number>();

  constructor(private readonly d: DriverDeps) {
    this.state = initialState(d.settings);
  }

  get election(): ElectionState {
    return this.state;
  }

  /** Links are attached after construction because they report to this sink. */
  attach(links: Link[]): void {
    this.links = links;
    for (const l of links) this.counter(l.id);
  }

  start(): void {
    this.startedAt = this.d.clock();
    this.dispatch({ type: 'Started', now: this.startedAt });
  }

  /**
   * hactl restart-pair, like the reference appliance's "Restart Heartbeat":
   * the peer restarts first (asked by a flag in our adverts), then, once its
   * new generation shows it is back, this unit restarts too.
   */
  requestPairRestart(): void {
    const peer = this.state.liveness.peer;
    if (peer !== 'up' && peer !== 'warn') throw new AppError('PEER_UNREACHABLE', `cannot restart the pair: the peer ${this.d.settings.peer} is ${peer}`);
    this.restartRequest = { peerGeneration: this.peerGeneration };
    this.d.log.info({ peer: this.d.settings.peer }, 'restart-pair requested: asking the peer to restart first');
  }

  private restart(reason: string): void {
    if (this.restarting) return;
    this.restarting = true;
    this.d.restartSelf(reason);
  }

  dispatch(ev: ElectionEvent): void {
    this.queue.push(ev);
    if (!this.draining) void this.drain();
  }

  /** Resolves when every queued event and its effects are done. */
  async settle(): Promise<void> {
    while (this.draining || this.queue.length > 0) await new Promise((r) => setImmediate(r));
  }

  async stop(): Promise<void> {
    this.dispatch({ type: 'StopRequested', now: this.d.clock() });
    await this.settle();
    for (const t of this.timers.values()) clearTimeout(t);
    this.timers.clear();
    await this.d.resources.idle();
    await Promise.all(this.links.map((l) => l.close()));
  }

  private async drain(): Promise<void> {
    this.draining = true;
    try {
      for (let ev = this.queue.shift(); ev !== undefined; ev = this.queue.shift()) {
        const [next, effects] = step(this.state, ev);
        const prev = this.state;
        // What the peer says it is shows on the status bar: publish that at once.
        if (next.peerAdvert?.state !== prev.peerAdvert?.state) this.urgent = true;
        this.state = next;
        for (const e of effects) await this.execute(e);
        if (peerReleasedWhileWeHold(prev, next)) this.d.resources.reannounce('the peer released VIPs it held');
      }
    } finally {
      this.draining = false;
      const urgent = this.urgent;
      this.urgent = false;
      this.d.changed(urgent);
    }
  }

  private async execute(e: Effect): Promise<void> {
    switch (e.type) {
      case 'ArmTimer':
        return this.arm(e.timer, e.at);
      case 'CancelTimer':
        clearTimeout(this.timers.get(e.timer));
        this.timers.delete(e.timer);
        return;
      case 'SendAdvert':
        return this.send(e.advert);
      case 'AcquireResources':
        this.urgent = true;
        return this.d.resources.acquire(e.reason);
      case 'ReleaseResources':
        this.urgent = true;
        return this.d.resources.release(e.reason);
      case 'LinkChanged':
        this.urgent = true;
        this.d.log[e.up ? 'info' : 'warn']({ link: e.link }, e.up ? 'link up' : 'link dead');
        return;
      case 'PeerChanged':
        this.urgent = true;
        this.d.log[e.status === 'up' ? 'info' : 'warn']({ peer: this.d.settings.peer, status: e.status }, 'peer status');
        return;
      case 'StateChanged':
        // The core logs the change itself (a Log effect); here it only triggers a publish.
        this.urgent = true;
        return;
      case 'Log':
        this.d.log[e.level](e.fields, e.msg);
        return;
      default: {
        const never: never = e;
        throw new Error(`unhandled effect ${JSON.stringify(never)}`);
      }
    }
  }

  private arm(timer: TimerName, at: number): void {
    clearTimeout(this.timers.get(timer));
    const delay = Math.max(0, at - this.d.clock());
    this.timers.set(timer, setTimeout(() => {
      this.timers.delete(timer);
      const fire = (): void => this.dispatch({ type: 'TimerFired', timer, now: this.d.clock() });
      // After a stall (CPU starvation, SIGSTOP), libuv runs due timers before it
      // polls the sockets: the peer's adverts may be waiting unread. Let one
      // poll phase pass (setImmediate runs after it) before judging the peer dead.
      if (timer === 'deadline') setImmediate(fire);
      else fire();
    }, delay));
  }

  private send(body: AdvertBody): void {
    this.seq += 1;
    for (const l of this.links) {
      const restartPair = this.restartRequest !== null;
      const frame = encodeAdvert({ ...body, generation: this.d.generation, seq: this.seq, link: l.kind, restartPair }, this.d.auth);
      l.send(frame);
    }
  }

  // ---- LinkSink: what the transports report ----


  frame(f: LinkFrame): void {
    const link = this.links.find((l) => l.id === f.linkId);
    const v = decodeAdvert(f.data, this.d.auth);
    if (!v.ok) return this.drop({ linkId: f.linkId, reason: v.reason });
    const a = v.advert;
    if (a.node === this.d.settings.self) return this.drop({ linkId: f.linkId, reason: 'own-advert' });
    if (a.node !== this.d.settings.peer) return this.drop({ linkId: f.linkId, reason: 'unknown-node' });
    if (link !== undefined && a.link !== link.kind) return this.drop({ linkId: f.linkId, reason: 'wrong-link' });
    const r = checkReplay(this.replay, a.node, f.linkId, a.generation, a.seq);
    if (r.verdict !== 'accepted') return this.drop({ linkId: f.linkId, reason: r.verdict });
    this.replay = r.state;
    this.onPeerGeneration(a.generation, a.restartPair === true);
    const c = this.counter(f.linkId);
    c.received += 1;
    c.lastSeenWallMs = Date.now();
    const { node, state, priority, pingReachable, healthy, manualEpoch, manualNode } = a;
    this.dispatch({ type: 'AdvertReceived', now: this.d.clock(), link: f.linkId, advert: { node, state, priority, pingReachable, healthy, manualEpoch, manualNode } });
  }

  /** restart-pair bookkeeping, outside the election: it is about processes, not roles. */
  private onPeerGeneration(generation: number, peerAsksRestart: boolean): void {
    const before = this.peerGeneration;
    this.peerGeneration = generation;
    const req = this.restartRequest;
    if (req !== null && req.peerGeneration !== null && generation !== req.peerGeneration) {
      this.restartRequest = null;
      return this.restart('restart-pair: the peer is back with a new generation; now this unit');
    }
    if (req !== null && req.peerGeneration === null && before === null) req.peerGeneration = generation;
    // A freshly started hbd still sees the flag until the requester notices the
    // new generation: ignore it during initdead so the pair does not loop.
    if (peerAsksRestart && req === null && this.d.clock() - this.startedAt > this.d.settings.initdeadMs) {
      this.restart('restart-pair: the peer asked this unit to restart');
    }
  }

  drop(d: LinkDrop): void {
    this.counter(d.linkId).dropped += 1;
    const n = (this.drops.get(d.reason) ?? 0) + 1;
    this.drops.set(d.reason, n);
    // First of each reason at warn, then every 100th, so a flood cannot fill the journal.
    if (n === 1 || n % 100 === 0) this.d.log.warn({ link: d.linkId, reason: d.reason, count: n }, 'heartbeat frame dropped');
    else this.d.log.debug({ link: d.linkId, reason: d.reason }, 'heartbeat frame dropped');
  }

  medium(linkId: string, usable: boolean, why: string): void {
    const c = this.counter(linkId);
    c.mediumUp = usable;
    c.mediumWhy = why;
    this.d.log[usable ? 'info' : 'warn']({ link: linkId, why }, usable ? 'medium available' : 'medium unavailable');
    this.d.changed(true);
  }

  private counter(id: string): LinkCounters {
    let c = this.counters.get(id);
    if (c === undefined) {
      c = { received: 0, dropped: 0, lastSeenWallMs: null, mediumUp: true, mediumWhy: '' };
      this.counters.set(id, c);
    }
    return c;
  }
}

/** The peer stopped claiming `active` while we are active: it held our VIPs a moment ago. */
function peerReleasedWhileWeHold(prev: ElectionState, next: ElectionState): boolean {
  return next.phase === 'active' && prev.phase === 'active' && prev.peerAdvert?.state === 'active' && next.peerAdvert?.state !== 'active';
}
