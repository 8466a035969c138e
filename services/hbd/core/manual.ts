/**
 * Manual override records (hb_standby / hb_takeover). Each node keeps the
 * highest record it has seen, its own or the peer's, and advertises it, so
 * both converge on the same record and it survives the death of the node
 * that issued it.
 *
 * Order: higher epoch wins; on equal epochs the lexicographically smaller
 * target wins, so '' (no override) beats a target and two simultaneous
 * opposite requests resolve the same way on both nodes.
 */
import type { AdvertBody, ManualOverride } from './election-types';

export const NO_MANUAL: ManualOverride = { epoch: 0, node: '' };

/** The winning record of the two (commutative). */
export function maxManual(a: ManualOverride, b: ManualOverride): ManualOverride {
  if (a.epoch !== b.epoch) return a.epoch > b.epoch ? a : b;
  return a.node <= b.node ? a : b;
}

/** The record carried by an advert. */
export function manualOf(a: AdvertBody): ManualOverride {
  return { epoch: a.manualEpoch, node: a.manualNode };
}

/** A new request that beats every record seen so far. */
export function request(current: ManualOverride, node: string): ManualOverride {
  return { epoch: current.epoch + 1, node };
}
