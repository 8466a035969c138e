/**
 * Realtime milliseconds with sub-millisecond resolution, on the clock that
 * tcpdump -tt stamps packets with (CLOCK_REALTIME), so a kill time and a
 * capture time can be subtracted. performance.now() is fine grained but
 * monotonic: pin it to Date.now() at a millisecond edge, re-pin before each
 * timed event (NTP may slew realtime in between).
 */
import { performance } from 'node:perf_hooks';

let offsetMs = pin();

/** Busy-waits (< 1 ms) for Date.now() to tick: at that instant realtime is exactly the new value. */
function pin(): number {
  const start = Date.now();
  let now = start;
  while (now === start) now = Date.now();
  return now - performance.now();
}

export function repinWallClock(): void {
  offsetMs = pin();
}

export function wallMs(): number {
  return offsetMs + performance.now();
}
