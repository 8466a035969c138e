/**
 * The heartbeat advert on the wire: fixed header, two names, truncated HMAC.
 * Same bytes on UDP and (inside serial-frame) on the serial line.
 *
 *   off len field
 *    0   2  magic "HB"
 *    2   1  version (1)
 *    3   1  auth method: 1 md5, 2 sha1, 3 sha256
 *    4   1  link: 0 udp, 1 serial
 *    5   1  state: 0 init, 1 standby, 2 active, 3 stopped
 *    6   1  flags: bit 0 healthy (track_interface/track_script ok); bit 1 restart-pair
 *           requested (hactl restart-pair); other bits 0
 *    7   1  priority
 *    8   1  ping nodes reachable
 *    9   1  node name length (1..64)
 *   10   1  manual target length (0..64)
 *   11   4  generation (u32 BE; boot counter of the sender)
 *   15   8  seq (u64 BE, below 2^53)
 *   23   4  manual epoch (u32 BE)
 *   27   n  node name, then manual target (ASCII [a-z0-9._-])
 *    .   m  HMAC(key, every byte before it), truncated: sha256 16, sha1 12, md5 12
 *
 * A node name of 16 characters gives 59 bytes (75 with a manual target).
 * decodeAdvert never throws: it returns the advert or the reason for the drop.
 * The MAC is checked before any field is interpreted.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import { AppError } from '../../runtime/errors';

export type AuthMethod = 'sha256' | 'sha1' | 'md5';
export type LinkKind = 'udp' | 'serial';
export type AdvertState = 'init' | 'standby' | 'active' | 'stopped';

/** The key that signs and checks adverts (authkeys). */
export interface AdvertAuth {
  method: AuthMethod;
  key: Buffer;
}

/** What one node tells the other every keepalive. */
export interface Advert {
  node: string;
  /** Boot counter of the sender (u32); a higher one restarts `seq`. */
  generation: number;
  /** Per-generation counter (safe integer). */
  seq: number;
  /** Medium the advert was sent on. */
  link: LinkKind;
  state: AdvertState;
  /** 0..255; hbd configures 1..254. */
  priority: number;
  /** Ping nodes the sender reaches now (0..255). */
  pingReachable: number;
  /** false when a tracked interface or script is failing. */
  healthy: boolean;
  /** Manual override (hb_standby / hb_takeover): epoch and target node, '' for none. */
  manualEpoch: number;
  manualNode: string;
  /** The sender asks its peer to restart hbd (hactl restart-pair); absent = false. */
  restartPair?: boolean;
}

export type DecodeFailure = 'short' | 'bad-magic' | 'bad-version' | 'bad-length' | 'bad-field' | 'bad-mac' | 'too-long';
export type AdvertVerdict = { ok: true; advert: Advert } | { ok: false; reason: DecodeFailure };

export const ADVERT_VERSION = 1;
const MAGIC = [0x48, 0x42] as const;
export const HEADER_BYTES = 27;
export const MAX_NAME_BYTES = 64;
const MAC_BYTES: Record<AuthMethod, number> = { sha256: 16, sha1: 12, md5: 12 };
const METHOD_ID: Record<AuthMethod, number> = { md5: 1, sha1: 2, sha256: 3 };
const LINKS: readonly LinkKind[] = ['udp', 'serial'];
const STATES: readonly AdvertState[] = ['init', 'standby', 'active', 'stopped'];
const FLAG_HEALTHY = 0x01;
const FLAG_RESTART_PAIR = 0x02;
const KNOWN_FLAGS = FLAG_HEALTHY | FLAG_RESTART_PAIR;
export const MAX_ADVERT_BYTES = HEADER_BYTES + 2 * MAX_NAME_BYTES + 16;
const NAME = /^[a-z0-9._-]*$/;
const TWO_POW_32 = 2 ** 32;

/** Serialises and signs an advert. Throws AppError on a field we would not accept back. */
export function encodeAdvert(a: Advert, auth: AdvertAuth): Buffer {
  checkForEncode(a);
  const node = Buffer.from(a.node, 'ascii');
  const manual = Buffer.from(a.manualNode, 'ascii');
  const body = Buffer.alloc(HEADER_BYTES + node.length + manual.length);
  body.set(MAGIC, 0);
  body.writeUInt8(ADVERT_VERSION, 2);
  body.writeUInt8(METHOD_ID[auth.method], 3);
  body.writeUInt8(LINKS.indexOf(a.link), 4);
  body.writeUInt8(STATES.indexOf(a.state), 5);
  body.writeUInt8((a.healthy ? FLAG_HEALTHY : 0) | (a.restartPair === true ? FLAG_RESTART_PAIR : 0), 6);
  body.writeUInt8(a.priority, 7);
  body.writeUInt8(a.pingReachable, 8);
  body.writeUInt8(node.length, 9);
  body.writeUInt8(manual.length, 10);
  body.writeUInt32BE(a.generation, 11);
  body.writeUInt32BE(Math.floor(a.seq / TWO_POW_32), 15);
  body.writeUInt32BE(a.seq % TWO_POW_32, 19);
  body.writeUInt32BE(a.manualEpoch, 23);
  node.copy(body, HEADER_BYTES);
  manual.copy(body, HEADER_BYTES + node.length);
  return Buffer.concat([body, mac(auth, body)]);
}

function checkForEncode(a: Advert): void {
  const u = (v: number, max: number) => Number.isInteger(v) && v >= 0 && v <= max;
  const problems = [
    !NAME.test(a.node) || a.node.length < 1 || a.node.length > MAX_NAME_BYTES ? 'node' : '',
    !NAME.test(a.manualNode) || a.manualNode.length > MAX_NAME_BYTES ? 'manualNode' : '',
    !u(a.generation, TWO_POW_32 - 1) ? 'generation' : '',
    !u(a.seq, Number.MAX_SAFE_INTEGER) ? 'seq' : '',
    !u(a.manualEpoch, TWO_POW_32 - 1) ? 'manualEpoch' : '',
    !u(a.priority, 255) ? 'priority' : '',
    !u(a.pingReachable, 255) ? 'pingReachable' : '',
    !LINKS.includes(a.link) ? 'link' : '',
    !STATES.includes(a.state) ? 'state' : '',
  ].filter((p) => p !== '');
  if (problems.length > 0) {
    throw new AppError('HBD_ADVERT_INVALID', `cannot encode advert: bad ${problems.join(', ')}`, { advert: a });
  }
}

function mac(auth: AdvertAuth, signed: Uint8Array): Buffer {
  return createHmac(auth.method, auth.key).update(signed).digest().subarray(0, MAC_BYTES[auth.method]);
}

/** Checks and parses one received advert. Never throws. */
export function decodeAdvert(buf: Uint8Array, auth: AdvertAuth): AdvertVerdict {
  const b = Buffer.from(buf.buffer, buf.byteOffset, buf.byteLength);
  const framing = checkFraming(b, auth);
  if (framing !== undefined) return { ok: false, reason: framing };
  const macAt = b.length - MAC_BYTES[auth.method];
  const expected = mac(auth, b.subarray(0, macAt));
  if (!timingSafeEqual(expected, b.subarray(macAt))) return { ok: false, reason: 'bad-mac' };
  const advert = parseFields(b);
  return advert === undefined ? { ok: false, reason: 'bad-field' } : { ok: true, advert };
}

/** Size, magic, version, method and declared lengths: everything but the MAC. */
function checkFraming(b: Buffer, auth: AdvertAuth): DecodeFailure | undefined {
  if (b.length > MAX_ADVERT_BYTES) return 'too-long';
  if (b.length < HEADER_BYTES) return 'short';
  if (b[0] !== MAGIC[0] || b[1] !== MAGIC[1]) return 'bad-magic';
  if (b[2] !== ADVERT_VERSION) return 'bad-version';
  if (b[3] !== METHOD_ID[auth.method]) return 'bad-mac';
  const nodeLen = b.readUInt8(9);
  const manualLen = b.readUInt8(10);
  if (nodeLen < 1 || nodeLen > MAX_NAME_BYTES || manualLen > MAX_NAME_BYTES) return 'bad-length';
  const total = HEADER_BYTES + nodeLen + manualLen + MAC_BYTES[auth.method];
  if (b.length < total) return 'short';
  if (b.length > total) return 'bad-length';
  return undefined;
}

/** Field values of an authenticated advert; undefined when one is out of range. */
function parseFields(b: Buffer): Advert | undefined {
  const link = LINKS[b.readUInt8(4)];
  const state = STATES[b.readUInt8(5)];
  const flags = b.readUInt8(6);
  const seqHigh = b.readUInt32BE(15);
  const nodeLen = b.readUInt8(9);
  const node = b.toString('latin1', HEADER_BYTES, HEADER_BYTES + nodeLen);
  const manualNode = b.toString('latin1', HEADER_BYTES + nodeLen, HEADER_BYTES + nodeLen + b.readUInt8(10));
  const seq = seqHigh * TWO_POW_32 + b.readUInt32BE(19);
  if (link === undefined || state === undefined || (flags & ~KNOWN_FLAGS) !== 0) return undefined;
  if (!Number.isSafeInteger(seq) || !NAME.test(node) || !NAME.test(manualNode)) return undefined;
  return {
    node,
    generation: b.readUInt32BE(11),
    seq,
    link,
    state,
    priority: b.readUInt8(7),
    pingReachable: b.readUInt8(8),
    healthy: (flags & FLAG_HEALTHY) !== 0,
    manualEpoch: b.readUInt32BE(23),
    manualNode,
    ...((flags & FLAG_RESTART_PAIR) !== 0 ? { restartPair: true } : {}),
  };
}
