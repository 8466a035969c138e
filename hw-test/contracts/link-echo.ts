/**
 * Contract of a heartbeat link (services/hbd/ports/link.ts) over a medium
 * that echoes (a serial loopback plug, a peer that sends every byte back):
 * every frame sent comes back once, identical and in order; whatever the
 * link drops below the message layer is counted by reason. One suite, two
 * implementations: the unit tests run it against an in-memory loopback
 * (contracts/fake-loopback-link.ts) and the harness against hbd's real
 * serial adapter on the real (or simulated) port.
 *
 *   open link -- wait medium up (openTimeoutMs) --+
 *                                                  v
 *   for seq in 0..frames-1:  send(pattern(seq)) -> wait echo (frameTimeoutMs)
 *        echo == pattern  -> matched      other frame -> mismatched
 *        nothing in time  -> lost (giveUpAfterLost in a row: stop, the rest is not sent)
 */
import type { Link, LinkSink } from '../../services/hbd/ports/link';
import { END, ESC } from '../../services/hbd/core/serial-frame';

const POLL_MS = 5;

export interface EchoOptions {
  frames: number;
  /** Payload size; the pattern always includes the SLIP END and ESC bytes. */
  payloadBytes: number;
  frameTimeoutMs: number;
  openTimeoutMs: number;
  /** Consecutive lost frames after which the line is declared silent. */
  giveUpAfterLost: number;
}

export interface EchoFigures {
  mediumUp: boolean;
  /** The link's last word about its medium (open error, closed ...). */
  mediumWhy: string;
  framesSent: number;
  matched: number;
  mismatched: number;
  lost: number;
  /** Frames the link dropped (bad-crc, short, bad-escape, too-long ...). */
  drops: Record<string, number>;
  /** Payload bytes of the frames that came back intact. */
  bytesEchoed: number;
  elapsedMs: number;
}

/** The test pattern of frame `seq`: sequence number, SLIP END/ESC, then a walking byte ramp. */
export function echoPattern(seq: number, payloadBytes: number): Buffer {
  const b = Buffer.alloc(Math.max(8, payloadBytes));
  b.writeUInt32BE(seq >>> 0, 0);
  b[4] = END;
  b[5] = ESC;
  for (let i = 6; i < b.length; i++) b[i] = (seq * 7 + i * 13) & 0xff;
  return b;
}

export async function runEchoContract(open: (sink: LinkSink) => Link, o: EchoOptions): Promise<EchoFigures> {
  const t0 = performance.now();
  const f: EchoFigures = { mediumUp: false, mediumWhy: '', framesSent: 0, matched: 0, mismatched: 0, lost: 0, drops: {}, bytesEchoed: 0, elapsedMs: 0 };
  const inbox: Buffer[] = [];
  let wake: (() => void) | null = null;
  const poke = (): void => {
    const w = wake;
    wake = null;
    w?.();
  };
  const link = open({
    frame: (fr) => {
      inbox.push(fr.data);
      poke();
    },
    drop: (d) => {
      f.drops[d.reason] = (f.drops[d.reason] ?? 0) + 1;
    },
    medium: (_id, usable, why) => {
      f.mediumUp = usable;
      f.mediumWhy = why;
      poke();
    },
  });
  const until = (ms: number, done: () => boolean): Promise<boolean> =>
    new Promise((resolve) => {
      const end = performance.now() + ms;
      const step = (): void => {
        if (done()) return resolve(true);
        const left = end - performance.now();
        if (left <= 0) return resolve(false);
        // Woken by the link's callbacks; also polled, as send() turns true
        // again when the previous frame has drained, which no callback tells.
        const t = setTimeout(() => {
          wake = null;
          step();
        }, Math.min(left, POLL_MS));
        wake = () => {
          clearTimeout(t);
          step();
        };
      };
      step();
    });
  try {
    if (!(await until(o.openTimeoutMs, () => f.mediumUp))) return f;
    let lostInARow = 0;
    for (let seq = 0; seq < o.frames && lostInARow < o.giveUpAfterLost; seq++) {
      const want = echoPattern(seq, o.payloadBytes);
      inbox.length = 0;
      // send() is false while the previous frame drains or the medium is down.
      if (!(await until(o.frameTimeoutMs, () => link.send(want)))) {
        f.framesSent++;
        f.lost++;
        lostInARow++;
        continue;
      }
      f.framesSent++;
      const got = (await until(o.frameTimeoutMs, () => inbox.length > 0)) ? inbox.shift() : undefined;
      if (got === undefined) {
        f.lost++;
        lostInARow++;
      } else if (got.equals(want)) {
        f.matched++;
        f.bytesEchoed += want.length;
        lostInARow = 0;
      } else {
        f.mismatched++;
        lostInARow = 0;
      }
    }
    return f;
  } finally {
    f.elapsedMs = Math.round(performance.now() - t0);
    await link.close();
  }
}

/** The contract's verdict: empty when every frame came back intact. */
export function echoProblems(f: EchoFigures, frames: number): string[] {
  if (!f.mediumUp && f.framesSent === 0) return [`the port did not open: ${f.mediumWhy || 'no answer from the adapter'}`];
  const out: string[] = [];
  const drops = Object.entries(f.drops).map(([k, v]) => `${v} ${k}`);
  if (f.matched === 0 && f.mismatched === 0 && drops.length === 0) out.push(`no echo: ${f.lost} frame(s) sent, nothing came back (loopback plug missing or peer not echoing)`);
  else if (f.lost > 0) out.push(`${f.lost} of ${f.framesSent} frames lost`);
  if (f.mismatched > 0) out.push(`${f.mismatched} frames came back different`);
  if (drops.length > 0) out.push(`dropped by the framing: ${drops.join(', ')}`);
  if (out.length === 0 && f.matched !== frames) out.push(`${f.matched} of ${frames} frames came back`);
  return out;
}
