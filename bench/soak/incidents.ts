/**
 * False-failover incidents: a unit declaring its running peer dead or
 * becoming active, with the events less than `joinMs` apart taken as one
 * incident (the standby's "peer is dead", its takeover and the other unit's
 * reaction are one failover, not three). Pure.
 */
import type { HbdLogEvent } from './hbd-log';

/** A log event with the unit that logged it. */
export type UnitEvent = HbdLogEvent & { unit: string };

export interface Incident {
  /** Seconds from the start of the soak to the first event. */
  atS: number;
  events: UnitEvent[];
}

/** Only 'peer-dead' and 'became-active' events make incidents; others are ignored. */
export function groupIncidents(evs: readonly UnitEvent[], joinMs: number, t0Ms: number): Incident[] {
  const sorted = evs.filter((e) => e.kind === 'peer-dead' || e.kind === 'became-active').sort((a, b) => a.tMs - b.tMs);
  const out: Incident[] = [];
  let last = Number.NEGATIVE_INFINITY;
  for (const e of sorted) {
    const cur = out[out.length - 1];
    if (cur !== undefined && e.tMs - last <= joinMs) cur.events.push(e);
    else out.push({ atS: (e.tMs - t0Ms) / 1000, events: [e] });
    last = e.tMs;
  }
  return out;
}
