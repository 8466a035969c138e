/**
 * Test harness: two (or more) election machines on a simulated clock,
 * joined by lossy, delaying fake links. It plays the adapter's part with
 * the real codecs: adverts are signed (message.ts), serial ones framed
 * (serial-frame.ts), replay-checked (replay-guard.ts) and only then stepped.
 *
 * Discrete-event: advance(ms) processes timers and deliveries in time order
 * (ties: timers before deliveries, then insertion order), so every instant
 * at which something happens is observed. Deterministic for a given seed.
 * Used by convergence.test.ts; not part of the daemon.
 */
import { AppError } from '../../runtime/errors';
import { encodeAdvert, decodeAdvert, type AdvertAuth, type LinkKind } from './message';
import { EMPTY_REPLAY_STATE, checkReplay, type ReplayState } from './replay-guard';
import { FrameDecoder, encodeFrame } from './serial-frame';
import { initialState, step } from './election';
import type { Effect, ElectionEvent, ElectionSettings, ElectionState, TimerName } from './election-types';
import { Prng } from './prng';

/** One simulated medium between every pair of nodes. */
export interface SimLink {
  id: string;
  kind: LinkKind;
  /** Probability that one advert is lost (UDP) or corrupted (serial). */
  loss: number;
  minDelayMs: number;
  maxDelayMs: number;
}

/** Something a node did, with when. */
export interface SimRecord {
  at: number;
  node: string;
  effect: Effect;
}

interface SimNode {
  settings: ElectionSettings;
  state: ElectionState;
  alive: boolean;
  timers: Map<TimerName, number>;
  holding: boolean;
  generation: number;
  seq: number;
  replay: ReplayState;
  decoders: Map<string, FrameDecoder>;
}

interface InFlight {
  at: number;
  order: number;
  to: string;
  link: SimLink;
  bytes: Buffer;
}

const AUTH: AdvertAuth = { method: 'sha256', key: Buffer.from('simulated shared secret') };

export class ElectionSim {
  now = 0;
  readonly records: SimRecord[] = [];
  /** Drops by reason (decode verdicts, replay verdicts, 'lost'). */
  readonly drops = new Map<string, number>();
  /** Longest time both nodes held the resources while alive and connected. */
  maxDoubleActiveMs = 0;
  private doubleSince: number | null = null;
  private readonly nodes = new Map<string, SimNode>();
  private readonly cut = new Set<string>();
  private inFlight: InFlight[] = [];
  private order = 0;
  private readonly rng: Prng;

  constructor(
    readonly links: SimLink[],
    seed = 1,
  ) {
    this.rng = new Prng(seed);
  }

  add(settings: ElectionSettings): void {
    this.nodes.set(settings.self, this.fresh(settings, 1));
  }

  private fresh(settings: ElectionSettings, generation: number): SimNode {
    const state = initialState(settings);
    return { settings, state, alive: true, timers: new Map(), holding: false, generation, seq: 0, replay: EMPTY_REPLAY_STATE, decoders: new Map() };
  }

  private node(name: string): SimNode {
    const n = this.nodes.get(name);
    if (n === undefined) throw new AppError('HBD_SIM_NO_NODE', `no simulated node ${name}`);
    return n;
  }

  /** Steps a node with an event stamped `now`. */
  inject(name: string, event: DistributiveOmit<ElectionEvent, 'now'>): void {
    const n = this.node(name);
    if (!n.alive) return;
    const [state, effects] = step(n.state, { ...event, now: this.now } as ElectionEvent);
    n.state = state;
    effects.forEach((e) => this.apply(n, e));
    this.checkInvariant();
  }

  start(name: string): void {
    this.inject(name, { type: 'Started' });
  }

  /** Power off: no more adverts, timers or resources. */
  kill(name: string): void {
    const n = this.node(name);
    Object.assign(n, { alive: false, holding: false, timers: new Map() });
    this.checkInvariant();
  }

  /** Boot again with a higher generation (and the same settings unless given). */
  restart(name: string, settings?: ElectionSettings): void {
    const old = this.node(name);
    this.nodes.set(name, this.fresh(settings ?? old.settings, old.generation + 1));
    this.start(name);
  }

  cutLink(id: string): void {
    this.cut.add(id);
  }

  healLink(id: string): void {
    this.cut.delete(id);
    this.checkInvariant();
  }

  phase(name: string): string {
    const n = this.node(name);
    return n.alive ? n.state.phase : 'dead';
  }

  holders(): string[] {
    return [...this.nodes.entries()].filter(([, n]) => n.alive && n.holding).map(([name]) => name);
  }

  /** Records of one node and effect type. */
  changes(name: string, type: Effect['type'] = 'StateChanged'): SimRecord[] {
    return this.records.filter((r) => r.node === name && r.effect.type === type);
  }

  /** Runs the simulation for `ms` more milliseconds. */
  advance(ms: number): void {
    const until = this.now + ms;
    for (;;) {
      const timer = this.nextTimer();
      const delivery = this.inFlight.reduce<InFlight | undefined>((a, b) => (a === undefined || b.at < a.at || (b.at === a.at && b.order < a.order) ? b : a), undefined);
      const at = Math.min(timer?.at ?? Infinity, delivery?.at ?? Infinity);
      if (at > until) break;
      this.now = at;
      if (timer !== undefined && timer.at === at) {
        this.node(timer.node).timers.delete(timer.timer);
        this.inject(timer.node, { type: 'TimerFired', timer: timer.timer });
      } else if (delivery !== undefined) {
        this.inFlight = this.inFlight.filter((f) => f !== delivery);
        this.deliver(delivery);
      }
    }
    this.now = until;
    this.checkInvariant();
  }

  private nextTimer(): { node: string; timer: TimerName; at: number } | undefined {
    let best: { node: string; timer: TimerName; at: number } | undefined;
    for (const [node, n] of this.nodes) {
      if (!n.alive) continue;
      for (const [timer, at] of n.timers) if (best === undefined || at < best.at) best = { node, timer, at };
    }
    return best;
  }

  private apply(n: SimNode, e: Effect): void {
    if (e.type !== 'Log' && e.type !== 'ArmTimer' && e.type !== 'CancelTimer') this.records.push({ at: this.now, node: n.settings.self, effect: e });
    if (e.type === 'ArmTimer') n.timers.set(e.timer, e.at);
    if (e.type === 'CancelTimer') n.timers.delete(e.timer);
    if (e.type === 'AcquireResources') n.holding = true;
    if (e.type === 'ReleaseResources') n.holding = false;
    if (e.type === 'SendAdvert') this.send(n, e.advert);
  }

  private send(n: SimNode, body: Extract<Effect, { type: 'SendAdvert' }>['advert']): void {
    for (const link of this.links) {
      n.seq += 1;
      if (this.cut.has(link.id)) continue;
      let bytes = encodeAdvert({ ...body, generation: n.generation, seq: n.seq, link: link.kind }, AUTH);
      if (link.kind === 'serial') bytes = encodeFrame(bytes);
      const lost = this.rng.next() < link.loss;
      if (lost && link.kind === 'udp') {
        this.count('lost');
        continue;
      }
      const hit = this.rng.int(1, bytes.length - 2);
      if (lost) bytes[hit] = (bytes[hit] ?? 0) ^ 0x5a;
      for (const to of this.nodes.keys()) {
        if (to === n.settings.self) continue;
        const at = this.now + this.rng.int(link.minDelayMs, link.maxDelayMs);
        this.inFlight.push({ at, order: this.order++, to, link, bytes });
      }
    }
  }

  private deliver(f: InFlight): void {
    const n = this.node(f.to);
    if (!n.alive || this.cut.has(f.link.id)) return;
    const payloads = f.link.kind === 'udp' ? [f.bytes] : this.unframe(n, f);
    for (const p of payloads) this.accept(n, f, p);
  }

  /** The adapter's job: authenticate, replay-check, then step. */
  private accept(n: SimNode, f: InFlight, payload: Buffer): void {
    const v = decodeAdvert(payload, AUTH);
    if (!v.ok) return this.count(v.reason);
    const r = checkReplay(n.replay, v.advert.node, f.link.id, v.advert.generation, v.advert.seq);
    if (r.verdict !== 'accepted') return this.count(r.verdict);
    n.replay = r.state;
    this.inject(f.to, { type: 'AdvertReceived', link: f.link.id, advert: v.advert });
  }

  private unframe(n: SimNode, f: InFlight): Buffer[] {
    const d = n.decoders.get(f.link.id) ?? new FrameDecoder();
    n.decoders.set(f.link.id, d);
    return d.push(f.bytes).flatMap((v) => (v.ok ? [v.payload] : (this.count(v.reason), [])));
  }

  private count(reason: string): void {
    this.drops.set(reason, (this.drops.get(reason) ?? 0) + 1);
  }

  /** Both holding while both alive and at least one link joins them: measure the window. */
  private checkInvariant(): void {
    const connected = this.links.some((l) => !this.cut.has(l.id));
    const both = this.holders().length >= 2 && connected;
    if (both && this.doubleSince === null) this.doubleSince = this.now;
    if (this.doubleSince !== null) this.maxDoubleActiveMs = Math.max(this.maxDoubleActiveMs, this.now - this.doubleSince);
    if (!both) this.doubleSince = null;
  }
}

/** Omit over each member of a union. */
type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;
