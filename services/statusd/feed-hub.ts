/**
 * The feed at run time: the pure feed (core/feed.ts) plus the connected
 * clients, each with its flow state (core/client-flow.ts). Every message is
 * encoded once and the same Buffer is queued for every client. No sockets
 * here: clients are FeedConnection ports. The time each fan-out takes is
 * kept (the last 256) for Stats().
 */
import { performance } from 'node:perf_hooks';
import type { Logger } from '../runtime/log';
import { createFeed, publish, resume, snapshotWire, type Feed, type HistoryLimits } from './core/feed';
import { LIVE, onMessage, onTick, type FlowAction, type FlowLimits, type FlowState } from './core/client-flow';
import { encode, type ResumeRequest } from './core/messages';
import type { Json, JsonObject } from './core/json';
import type { FeedConnection } from './ports/feed-connection';

export interface HubOptions {
  epoch: string;
  history: HistoryLimits;
  flow: FlowLimits;
  /** Heartbeat period announced to clients in snapshots. */
  heartbeatMs: number;
  log: Logger;
  now: () => number;
}

/** A client as the hub tracks it. */
export interface HubClient {
  readonly id: number;
  readonly conn: FeedConnection;
  flow: FlowState;
}

/** How many recent fan-out durations are kept for Stats(). */
const FANOUT_SAMPLES = 256;

/** Counters for the log, SIGUSR1 and Stats(). */
export interface HubCounters {
  deltas: number;
  snapshots: number;
  resumed: number;
  collapsed: number;
  droppedSlow: number;
}

export class FeedHub {
  private feed: Feed;
  private readonly clients = new Set<HubClient>();
  private nextId = 1;
  private snapshot: { seq: number; frame: Buffer } | null = null;
  readonly counters: HubCounters = { deltas: 0, snapshots: 0, resumed: 0, collapsed: 0, droppedSlow: 0 };
  /** Time to queue one delta for every client (ms), the most recent ones. */
  private readonly fanoutMs: number[] = [];

  constructor(private readonly opts: HubOptions, initial: JsonObject = {}) {
    this.feed = createFeed(opts.epoch, initial);
  }

  get epoch(): string {
    return this.feed.epoch;
  }

  get seq(): number {
    return this.feed.seq;
  }

  get state(): JsonObject {
    return this.feed.state;
  }

  get size(): number {
    return this.clients.size;
  }

  /** Change the state at `path`; a real change goes to every live client at once. */
  publish(path: string[], value: Json | undefined): void {
    const r = publish(this.feed, path, value, this.opts.history);
    if (r.delta === null) return;
    this.feed = r.feed;
    this.counters.deltas += 1;
    const t0 = performance.now();
    this.broadcast(Buffer.from(r.delta.wire));
    this.fanoutMs.push(performance.now() - t0);
    if (this.fanoutMs.length > FANOUT_SAMPLES) this.fanoutMs.shift();
  }

  /** A new client: snapshot, or the deltas it missed when it can resume. */
  attach(conn: FeedConnection, req: ResumeRequest | null): HubClient {
    const c: HubClient = { id: this.nextId++, conn, flow: LIVE };
    const v = resume(this.feed, req);
    if (v.kind === 'snapshot') {
      this.counters.snapshots += 1;
      conn.send(this.snapshotFrame());
    } else {
      this.counters.resumed += 1;
      conn.send(Buffer.from(encode({ t: 'resumed', epoch: this.feed.epoch, from: v.from, seq: this.feed.seq, hbMs: this.opts.heartbeatMs })));
      for (const d of v.deltas) conn.send(Buffer.from(d.wire));
    }
    this.clients.add(c);
    return c;
  }

  detach(c: HubClient): void {
    this.clients.delete(c);
  }

  /** Heartbeat message to every client (subject to flow control like a delta). */
  heartbeat(): void {
    this.broadcast(Buffer.from(encode({ t: 'hb', seq: this.feed.seq })));
  }

  /** Let stalled clients that drained catch up, drop those stuck too long. */
  tick(): void {
    const now = this.opts.now();
    for (const c of this.clients) {
      if (c.flow.kind === 'live') continue;
      const [flow, action] = onTick(c.flow, c.conn.bufferedAmount, now, this.opts.flow);
      c.flow = flow;
      this.act(c, action, null);
    }
  }

  /** Queue a frame outside the flow (a pong: tiny, and only in answer to the client). */
  sendDirect(c: HubClient, frame: Buffer): void {
    if (c.flow.kind === 'live') c.conn.send(frame);
  }

  stats(): { clients: number; stalled: number; bufferedBytes: number; maxBufferedBytes: number; seq: number; historyDeltas: number; historyBytes: number; fanoutMs: { p50: number; p99: number; max: number; n: number } } & HubCounters {
    let stalled = 0;
    let bufferedBytes = 0;
    let maxBufferedBytes = 0;
    for (const c of this.clients) {
      if (c.flow.kind === 'stalled') stalled += 1;
      const b = c.conn.bufferedAmount;
      bufferedBytes += b;
      maxBufferedBytes = Math.max(maxBufferedBytes, b);
    }
    const f = this.feed;
    const sorted = [...this.fanoutMs].sort((a, b) => a - b);
    const q = (p: number): number => Math.round(1000 * (sorted[Math.min(sorted.length - 1, Math.ceil(p * sorted.length) - 1)] ?? 0)) / 1000;
    const fanoutMs = { p50: q(0.5), p99: q(0.99), max: q(1), n: sorted.length };
    return { clients: this.clients.size, stalled, bufferedBytes, maxBufferedBytes, seq: f.seq, historyDeltas: f.history.length, historyBytes: f.historyBytes, fanoutMs, ...this.counters };
  }

  private broadcast(frame: Buffer): void {
    const now = this.opts.now();
    for (const c of this.clients) {
      const [flow, action] = onMessage(c.flow, c.conn.bufferedAmount, now, this.opts.flow);
      if (flow.kind === 'stalled' && c.flow.kind === 'live') this.opts.log.info({ client: c.id, buffered: c.conn.bufferedAmount }, 'slow client: holding its deltas back');
      c.flow = flow;
      this.act(c, action, frame);
    }
  }

  private act(c: HubClient, action: FlowAction, frame: Buffer | null): void {
    switch (action) {
      case 'send':
        if (frame !== null) c.conn.send(frame);
        return;
      case 'send-snapshot':
        this.counters.collapsed += 1;
        c.conn.send(this.snapshotFrame());
        return;
      case 'disconnect':
        this.counters.droppedSlow += 1;
        this.opts.log.warn({ client: c.id, buffered: c.conn.bufferedAmount }, 'slow client: stalled too long, disconnected');
        this.clients.delete(c);
        c.conn.terminate('slow consumer');
        return;
      case 'skip':
      case 'none':
        return;
    }
  }

  private snapshotFrame(): Buffer {
    if (this.snapshot?.seq !== this.feed.seq) this.snapshot = { seq: this.feed.seq, frame: Buffer.from(snapshotWire(this.feed, this.opts.heartbeatMs)) };
    return this.snapshot.frame;
  }
}
