/**
 * The feed: one state tree, a sequence number, and a bounded history of the
 * deltas that led to it. Pure: publish() returns the next feed and the delta
 * (already encoded once for every client); resume() decides what a
 * reconnecting client gets.
 *
 *   seq:      0 ........ oldest-1 | oldest ... seq      (history holds oldest..seq)
 *   resume from s:  s == seq            -> nothing missed ("resumed", no deltas)
 *                   oldest-1 <= s < seq -> deltas s+1..seq
 *                   s < oldest-1        -> too old: snapshot
 *                   s > seq, other epoch -> snapshot (statusd restarted)
 */
import { diff, getAt, setAt, type Change, type Json, type JsonObject } from './json';
import { encode, type ResumeRequest } from './messages';

/** How much history to keep: both bounds apply. */
export interface HistoryLimits {
  maxDeltas: number;
  maxBytes: number;
}

/** One published delta with its wire form. */
export interface Delta {
  seq: number;
  changes: Change[];
  /** The encoded `{"t":"delta",...}` message, built once for every client. */
  wire: string;
}

export interface Feed {
  /** Random per statusd start; sequence numbers of another epoch mean nothing. */
  epoch: string;
  seq: number;
  state: JsonObject;
  /** Oldest first, consecutive seqs ending at `seq`. */
  history: Delta[];
  historyBytes: number;
}

export function createFeed(epoch: string, state: JsonObject = {}): Feed {
  return { epoch, seq: 0, state, history: [], historyBytes: 0 };
}

/**
 * Put `value` at `path` (undefined removes it). No change, no delta and no
 * new seq: sources may republish freely.
 */
export function publish(feed: Feed, path: readonly string[], value: Json | undefined, limits: HistoryLimits): { feed: Feed; delta: Delta | null } {
  if (path.length === 0) return { feed, delta: null };
  const changes = diff(getAt(feed.state, path), value, [...path]);
  if (changes.length === 0) return { feed, delta: null };
  const seq = feed.seq + 1;
  const delta: Delta = { seq, changes, wire: encode({ t: 'delta', seq, changes }) };
  const history = [...feed.history, delta];
  let historyBytes = feed.historyBytes + delta.wire.length;
  while (history.length > 0 && (history.length > limits.maxDeltas || historyBytes > limits.maxBytes)) {
    historyBytes -= history.shift()?.wire.length ?? 0;
  }
  return { feed: { ...feed, seq, state: setAt(feed.state, path, value), history, historyBytes }, delta };
}

/** Why a client gets a snapshot instead of deltas. */
export type SnapshotReason = 'no-resume' | 'other-epoch' | 'too-old' | 'ahead';

export type ResumeVerdict = { kind: 'snapshot'; reason: SnapshotReason } | { kind: 'deltas'; from: number; deltas: Delta[] };

/** What a (re)connecting client gets first. */
export function resume(feed: Feed, req: ResumeRequest | null): ResumeVerdict {
  if (req === null) return { kind: 'snapshot', reason: 'no-resume' };
  if (req.epoch !== feed.epoch) return { kind: 'snapshot', reason: 'other-epoch' };
  if (req.seq > feed.seq) return { kind: 'snapshot', reason: 'ahead' };
  if (req.seq === feed.seq) return { kind: 'deltas', from: req.seq, deltas: [] };
  const oldest = feed.history[0]?.seq ?? feed.seq + 1;
  if (req.seq < oldest - 1) return { kind: 'snapshot', reason: 'too-old' };
  return { kind: 'deltas', from: req.seq, deltas: feed.history.slice(req.seq - oldest + 1) };
}

/** The snapshot message of the feed as it is now. */
export function snapshotWire(feed: Feed, hbMs: number): string {
  return encode({ t: 'snapshot', epoch: feed.epoch, seq: feed.seq, hbMs, state: feed.state });
}
