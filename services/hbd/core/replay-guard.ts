/**
 * Replay protection for authenticated adverts, per (peer node, link id).
 *
 * A captured advert is validly signed forever, so the MAC alone does not
 * stop an attacker on the heartbeat LAN from replaying "I am active". Each
 * sender numbers its adverts: `generation` is a boot counter persisted by
 * the sender (it only grows), `seq` counts adverts within a generation.
 *
 *   | received vs last accepted        | verdict         | state      |
 *   |----------------------------------|-----------------|------------|
 *   | no advert yet on this link       | accepted        | remembered |
 *   | generation > last                | accepted        | remembered (seq restarts) |
 *   | same generation, seq > last      | accepted        | remembered |
 *   | same generation, seq <= last     | replayed        | unchanged  |
 *   | generation < last                | old-generation  | unchanged  |
 *
 * Links are independent because the same advert may be sent on UDP and on
 * serial, and a delayed serial copy must not be mistaken for a replay.
 * The state is immutable: checkReplay returns a new one when it accepts.
 */

export type ReplayVerdict = 'accepted' | 'replayed' | 'old-generation';

/** Last accepted (generation, seq) of one stream. */
export interface StreamMark {
  readonly generation: number;
  readonly seq: number;
}

/** Marks of every (peer, link) stream seen. */
export interface ReplayState {
  readonly marks: ReadonlyMap<string, StreamMark>;
}

/** The verdict and the state to keep (the same object when rejected). */
export interface ReplayCheck {
  verdict: ReplayVerdict;
  state: ReplayState;
}

export const EMPTY_REPLAY_STATE: ReplayState = { marks: new Map() };

const streamKey = (peer: string, linkId: string): string => `${peer}\u0000${linkId}`;

/** Judges one authenticated advert's (generation, seq) on a stream. */
export function checkReplay(state: ReplayState, peer: string, linkId: string, generation: number, seq: number): ReplayCheck {
  const key = streamKey(peer, linkId);
  const last = state.marks.get(key);
  if (last !== undefined && generation < last.generation) return { verdict: 'old-generation', state };
  if (last !== undefined && generation === last.generation && seq <= last.seq) return { verdict: 'replayed', state };
  const marks = new Map(state.marks);
  marks.set(key, { generation, seq });
  return { verdict: 'accepted', state: { marks } };
}

/** The last accepted mark of a stream, for state dumps. */
export function lastMark(state: ReplayState, peer: string, linkId: string): StreamMark | undefined {
  return state.marks.get(streamKey(peer, linkId));
}
