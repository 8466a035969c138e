/**
 * Slow consumers. The server never queues without bound for a client that
 * does not read: before each message it looks at what is still buffered for
 * that client (ws bufferedAmount: bytes not yet taken by the kernel).
 *
 *            buffered > high on a send: skip, remember
 *   live  --------------------------------------------->  stalled(since)
 *     ^                                                      |  |
 *     |   buffered <= low (on a send or a tick):             |  | stalled longer than
 *     +---------- send ONE snapshot (collapses every --------+  | stallTimeoutMs
 *                 delta skipped meanwhile)                      v
 *                                                           disconnect (terminate)
 *
 * So a client holds at most `high` bytes plus one message, and a client that
 * stays stuck is dropped; heartbeats are skipped while stalled too.
 */

/** Thresholds, in bytes of buffered output and milliseconds. */
export interface FlowLimits {
  highWaterBytes: number;
  lowWaterBytes: number;
  stallTimeoutMs: number;
}

export type FlowState = { kind: 'live' } | { kind: 'stalled'; since: number; skipped: number };

/** What to do with the message at hand (or, on a tick, on its own). */
export type FlowAction = 'send' | 'skip' | 'send-snapshot' | 'disconnect' | 'none';

export const LIVE: FlowState = { kind: 'live' };

/** A message (delta or heartbeat) is ready for this client. */
export function onMessage(s: FlowState, bufferedBytes: number, now: number, l: FlowLimits): [FlowState, FlowAction] {
  if (s.kind === 'live') {
    return bufferedBytes > l.highWaterBytes ? [{ kind: 'stalled', since: now, skipped: 1 }, 'skip'] : [s, 'send'];
  }
  return recover(s, bufferedBytes, now, l, 'skip');
}

/** Periodic check: a stalled client that drained gets its snapshot without waiting for the next change. */
export function onTick(s: FlowState, bufferedBytes: number, now: number, l: FlowLimits): [FlowState, FlowAction] {
  if (s.kind === 'live') return [s, 'none'];
  return recover(s, bufferedBytes, now, l, 'none');
}

function recover(s: FlowState & { kind: 'stalled' }, bufferedBytes: number, now: number, l: FlowLimits, otherwise: 'skip' | 'none'): [FlowState, FlowAction] {
  if (bufferedBytes <= l.lowWaterBytes) return [LIVE, 'send-snapshot'];
  if (now - s.since >= l.stallTimeoutMs) return [s, 'disconnect'];
  return [otherwise === 'skip' ? { ...s, skipped: s.skipped + 1 } : s, otherwise];
}
