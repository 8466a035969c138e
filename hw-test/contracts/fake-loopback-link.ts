/**
 * In-memory stand-in for a serial link with a loopback plug, for unit tests
 * of the echo contract: frames are SLIP-encoded with hbd's codec, the bytes
 * optionally damaged, then decoded again, as on a wire. Strict like the
 * real adapter: send() refuses while the previous frame is in flight.
 */
import { encodeFrame, FrameDecoder } from '../../services/hbd/core/serial-frame';
import type { Link, LinkSink } from '../../services/hbd/ports/link';

export interface FakeLineFaults {
  /** Flip a bit in the frame with this index (0-based, counting sends). */
  corrupt?: (sendIndex: number) => boolean;
  /** Never echo. */
  mute?: boolean;
  /** The device cannot be opened: medium reported down with this reason. */
  openError?: string;
}

export function fakeLoopbackLink(sink: LinkSink, faults: FakeLineFaults = {}): Link {
  const id = 'serial:fake';
  const decoder = new FrameDecoder();
  let inFlight = false;
  let sends = 0;
  let closed = false;
  setImmediate(() => sink.medium(id, faults.openError === undefined, faults.openError ?? 'fake open'));
  return {
    id,
    kind: 'serial',
    send: (data) => {
      if (closed || faults.openError !== undefined || inFlight) return false;
      inFlight = true;
      const wire = encodeFrame(data);
      if (faults.corrupt?.(sends) === true) wire[3] = (wire[3] ?? 0) ^ 0x10;
      sends++;
      setImmediate(() => {
        inFlight = false;
        if (closed || faults.mute === true) return;
        // Deliver in two chunks: decoders must not care how the port splits bytes.
        for (const part of [wire.subarray(0, 5), wire.subarray(5)]) {
          for (const v of decoder.push(part)) {
            if (v.ok) sink.frame({ linkId: id, data: v.payload });
            else sink.drop({ linkId: id, reason: v.reason });
          }
        }
      });
      return true;
    },
    close: () => {
      closed = true;
      return Promise.resolve();
    },
  };
}
