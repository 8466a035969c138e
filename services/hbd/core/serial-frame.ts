/**
 * Framing of heartbeat adverts on the serial line: SLIP (RFC 1055) around
 * `payload || CRC-32(payload)` (little-endian, as Ethernet sends it). The
 * CRC is zlib's (IEEE 802.3: reflected polynomial 0xEDB88320, initial value
 * and final XOR 0xFFFFFFFF), Node's zlib.crc32 since 20.15.
 *
 *   wire:  END  escaped(payload ++ crc32le)  END
 *   END 0xC0, ESC 0xDB; in data 0xC0 -> ESC ESC_END (0xDC), 0xDB -> ESC ESC_ESC (0xDD)
 *
 * A frame starts with END too (RFC 1055's advice): line noise collected
 * before it is flushed as one bad frame instead of corrupting the next one.
 *
 * Decoder states (bytes in, verdicts out; never throws):
 *
 *          byte                    ESC
 *   +---> [collect] ------------> [escaped]
 *   |      |  ^   \  END            |  ESC_END/ESC_ESC -> collect
 *   |      |  |    `-> verdict      |  other -> collect, frame marked bad-escape
 *   |      |  `---------------------'
 *   |      | more than MAX_FRAME_BYTES -> [discard] (until END -> 'too-long')
 *   `------'
 *
 *  | on END with          | verdict    |
 *  |----------------------|------------|
 *  | nothing collected    | (none: idle line or back-to-back END) |
 *  | overflow             | too-long   |
 *  | bad escape           | bad-escape |
 *  | < 1 + 4 bytes        | short      |
 *  | CRC mismatch         | bad-crc    |
 *  | otherwise            | ok         |
 */
import { crc32 } from 'node:zlib';
import { AppError } from '../../runtime/errors';

export const END = 0xc0;
export const ESC = 0xdb;
export const ESC_END = 0xdc;
export const ESC_ESC = 0xdd;
const CRC_BYTES = 4;
/** Largest decoded frame (payload + CRC) we collect; an advert is < 200 bytes. */
export const MAX_FRAME_BYTES = 512;
export const MAX_PAYLOAD_BYTES = MAX_FRAME_BYTES - CRC_BYTES;

/** One decoded frame or the reason it was dropped. */
export type FrameVerdict =
  | { ok: true; payload: Buffer }
  | { ok: false; reason: 'bad-crc' | 'too-long' | 'bad-escape' | 'short' };

/** SLIP-frames `payload` with its CRC-32. Throws on an empty or oversized payload (our bug, not wire input). */
export function encodeFrame(payload: Uint8Array): Buffer {
  if (payload.length === 0 || payload.length > MAX_PAYLOAD_BYTES) {
    throw new AppError('HBD_FRAME_SIZE', `serial payload of ${payload.length} bytes (allowed 1..${MAX_PAYLOAD_BYTES})`);
  }
  const crc = Buffer.alloc(CRC_BYTES);
  crc.writeUInt32LE(crc32(payload), 0);
  const out: number[] = [END];
  for (const b of [...payload, ...crc]) {
    if (b === END) out.push(ESC, ESC_END);
    else if (b === ESC) out.push(ESC, ESC_ESC);
    else out.push(b);
  }
  out.push(END);
  return Buffer.from(out);
}

/** Incremental decoder; feed it whatever the port delivers, in any chunking. */
export class FrameDecoder {
  private readonly buf = Buffer.alloc(MAX_FRAME_BYTES);
  private len = 0;
  private escaped = false;
  private overflow = false;
  private badEscape = false;

  /** Verdicts for every frame completed by `chunk`. */
  push(chunk: Uint8Array): FrameVerdict[] {
    const out: FrameVerdict[] = [];
    for (const b of chunk) {
      if (b === END) {
        const v = this.finish();
        if (v !== undefined) out.push(v);
      } else {
        this.take(b);
      }
    }
    return out;
  }

  private take(b: number): void {
    if (this.escaped) {
      this.escaped = false;
      if (b === ESC_END) return this.store(END);
      if (b === ESC_ESC) return this.store(ESC);
      this.badEscape = true;
      return this.store(b);
    }
    if (b === ESC) this.escaped = true;
    else this.store(b);
  }

  private store(b: number): void {
    if (this.len >= MAX_FRAME_BYTES) {
      this.overflow = true;
      return;
    }
    this.buf[this.len++] = b;
  }

  private finish(): FrameVerdict | undefined {
    const { len, overflow, badEscape } = this;
    const dangling = this.escaped;
    this.len = 0;
    this.escaped = false;
    this.overflow = false;
    this.badEscape = false;
    if (overflow) return { ok: false, reason: 'too-long' };
    if (badEscape || dangling) return { ok: false, reason: 'bad-escape' };
    if (len === 0) return undefined;
    if (len < 1 + CRC_BYTES) return { ok: false, reason: 'short' };
    const bodyLen = len - CRC_BYTES;
    if (crc32(this.buf.subarray(0, bodyLen)) !== this.buf.readUInt32LE(bodyLen)) return { ok: false, reason: 'bad-crc' };
    return { ok: true, payload: Buffer.from(this.buf.subarray(0, bodyLen)) };
  }
}
