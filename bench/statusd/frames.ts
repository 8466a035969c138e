/**
 * The benchmark's own WebSocket client framing (RFC 6455 §5), just what a
 * feed reader needs: server frames (unmasked) out of a byte stream, and a
 * masked pong. Lighter than a full client library, so that on a 2-core
 * machine the load generator takes less of the CPU statusd is measured on.
 * Pure: bytes in, frames out.
 */
import { randomBytes } from 'node:crypto';

export interface Frame {
  fin: boolean;
  opcode: number;
  payload: Buffer;
}

export const OP_TEXT = 1;
export const OP_CLOSE = 8;
export const OP_PING = 9;
export const OP_PONG = 10;

/** Frames are taken off the front of the buffered bytes; a partial frame waits for more. */
export class FrameReader {
  private buf: Buffer = Buffer.alloc(0);

  /** Feed bytes; returns the complete frames they finish. Throws on a masked or oversized server frame. */
  push(chunk: Buffer): Frame[] {
    this.buf = this.buf.length === 0 ? chunk : Buffer.concat([this.buf, chunk]);
    const out: Frame[] = [];
    for (;;) {
      const f = this.take();
      if (f === null) return out;
      out.push(f);
    }
  }

  private take(): Frame | null {
    const b = this.buf;
    if (b.length < 2) return null;
    const b0 = b[0] ?? 0;
    const b1 = b[1] ?? 0;
    if ((b1 & 0x80) !== 0) throw new Error('server frame is masked (RFC 6455 §5.1 forbids it)');
    let len = b1 & 0x7f;
    let at = 2;
    if (len === 126) {
      if (b.length < 4) return null;
      len = b.readUInt16BE(2);
      at = 4;
    } else if (len === 127) {
      if (b.length < 10) return null;
      const big = b.readBigUInt64BE(2);
      if (big > BigInt(64 * 2 ** 20)) throw new Error(`server frame of ${big} bytes: over 64 MiB`);
      len = Number(big);
      at = 10;
    }
    if (b.length < at + len) return null;
    this.buf = b.subarray(at + len);
    return { fin: (b0 & 0x80) !== 0, opcode: b0 & 0x0f, payload: b.subarray(at, at + len) };
  }
}

/** A client frame (masked, as RFC 6455 requires of clients) with a payload under 126 bytes. */
export function clientFrame(opcode: number, payload: Buffer): Buffer {
  if (payload.length > 125) throw new Error('control frame payload over 125 bytes');
  const mask = randomBytes(4);
  const out = Buffer.alloc(6 + payload.length);
  out[0] = 0x80 | opcode;
  out[1] = 0x80 | payload.length;
  mask.copy(out, 2);
  for (let i = 0; i < payload.length; i++) out[6 + i] = (payload[i] ?? 0) ^ (mask[i % 4] ?? 0);
  return out;
}
