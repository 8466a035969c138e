/**
 * Wall-clock milliseconds with microsecond resolution, on the clock tcpdump
 * stamps packets with (CLOCK_REALTIME), so a kill time and a capture time can
 * be subtracted. Date.now() alone has 1 ms steps; performance.now() is fine
 * grained but monotonic, so we pin it to the realtime clock at a millisecond
 * edge and re-pin before every trial (NTP may slew realtime in between).
 */
import { performance } from 'node:perf_hooks';

let offsetMs = pin();

/** Busy-waits (< 1 ms) for Date.now() to tick; at that instant realtime is exactly the new value. */
function pin(): number {
  const start = Date.now();
  let now = start;
  while (now === start) now = Date.now();
  return now - performance.now();
}

/** Re-pin to the realtime clock; call right before a timed event. */
export function repinWallClock(): void {
  offsetMs = pin();
}

/** Realtime now, in milliseconds with a fraction. */
export function wallMs(): number {
  return offsetMs + performance.now();
}
