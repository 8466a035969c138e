import test from 'ava';
import { crc32 } from 'node:zlib';
import { END, ESC, ESC_END, FrameDecoder, MAX_FRAME_BYTES, encodeFrame, type FrameVerdict } from './serial-frame';
import { Prng } from './prng';

const okPayloads = (vs: FrameVerdict[]): string[] => vs.flatMap((v) => (v.ok ? [v.payload.toString('hex')] : []));
const reasons = (vs: FrameVerdict[]): string[] => vs.flatMap((v) => (v.ok ? [] : [v.reason]));
/** A payload that exercises both escapes. */
const TRICKY = Buffer.from([0x48, 0x42, END, 0x01, ESC, ESC_END, END, END, ESC, 0x00, 0xff]);

test('crc32 check values (IEEE 802.3): the CRC the frames carry', (t) => {
  t.is(crc32(Buffer.from('123456789')), 0xcbf43926);
  t.is(crc32(Buffer.alloc(0)), 0);
  t.is(crc32(Buffer.from('The quick brown fox jumps over the lazy dog')), 0x414fa339);
});

test('wire bytes pinned: frames recorded from the CRC-32 the serial link has always used', (t) => {
  // Made by encodeFrame before the hand-written CRC-32 gave way to zlib.crc32; a peer running older
  // firmware sends exactly these bytes, so they must still encode the same and decode.
  const recorded: [Buffer, string][] = [
    [TRICKY, 'c04842dbdc01dbdddcdbdcdbdcdbdd00ff67259016c0'],
    [Buffer.from('hbd advert 1'), 'c0686264206164766572742031f8874bbec0'],
  ];
  for (const [payload, hex] of recorded) {
    t.is(encodeFrame(payload).toString('hex'), hex);
    t.deepEqual(new FrameDecoder().push(Buffer.from(hex, 'hex')), [{ ok: true, payload }]);
  }
});

test('encode escapes END and ESC and brackets the frame with END', (t) => {
  const f = encodeFrame(Buffer.from([END, ESC, 0x41]));
  t.is(f[0], END);
  t.is(f[f.length - 1], END);
  t.deepEqual([...f.subarray(1, 6)], [ESC, ESC_END, ESC, 0xdd, 0x41]);
  t.false(f.subarray(1, -1).includes(END));
});

test('round trip, split at every byte boundary', (t) => {
  const frame = encodeFrame(TRICKY);
  for (let cut = 0; cut <= frame.length; cut++) {
    const d = new FrameDecoder();
    const out = [...d.push(frame.subarray(0, cut)), ...d.push(frame.subarray(cut))];
    t.deepEqual(out, [{ ok: true, payload: TRICKY }], `cut at ${cut}`);
  }
  const d = new FrameDecoder();
  const byteByByte = [...frame].flatMap((b) => d.push(Buffer.from([b])));
  t.deepEqual(okPayloads(byteByByte), [TRICKY.toString('hex')]);
});

test('noise between frames costs at most the noise, never a good frame', (t) => {
  const rng = new Prng(7);
  for (let round = 0; round < 500; round++) {
    const a = rng.bytes(rng.int(1, 100));
    const b = rng.bytes(rng.int(1, 100));
    const noise = rng.bytes(rng.int(0, 40));
    const d = new FrameDecoder();
    const out = d.push(Buffer.concat([encodeFrame(a), noise, encodeFrame(b)]));
    t.deepEqual(okPayloads(out).filter((p) => p === a.toString('hex') || p === b.toString('hex')), [
      a.toString('hex'),
      b.toString('hex'),
    ]);
  }
});

test('verdicts: short, bad-crc, bad-escape, too-long, and resync after each', (t) => {
  const good = encodeFrame(Buffer.from('hi'));
  const corrupt = Buffer.from(good);
  corrupt[1] = (corrupt[1] ?? 0) ^ 0x01;
  const cases: Array<[string, Buffer]> = [
    ['short', Buffer.from([END, 1, 2, 3, END])],
    ['bad-crc', corrupt],
    ['bad-escape', Buffer.from([END, 1, 2, ESC, 0x01, 3, 4, 5, 6, END])],
    ['bad-escape', Buffer.from([END, 1, 2, 3, 4, 5, ESC, END])],
    ['too-long', Buffer.concat([Buffer.from([END]), Buffer.alloc(MAX_FRAME_BYTES + 1, 0x55), Buffer.from([END])])],
  ];
  for (const [reason, bytes] of cases) {
    const d = new FrameDecoder();
    const out = d.push(Buffer.concat([bytes, good]));
    t.deepEqual(reasons(out), [reason], reason);
    t.deepEqual(okPayloads(out), [Buffer.from('hi').toString('hex')], `resync after ${reason}`);
  }
});

test('a frame of exactly MAX_FRAME_BYTES decoded bytes is accepted', (t) => {
  const payload = Buffer.alloc(MAX_FRAME_BYTES - 4, 0xc0);
  t.deepEqual(new FrameDecoder().push(encodeFrame(payload)), [{ ok: true, payload }]);
  t.throws(() => encodeFrame(Buffer.alloc(MAX_FRAME_BYTES - 3)));
  t.throws(() => encodeFrame(Buffer.alloc(0)));
});

test('fuzz: random bytes never throw and yield at most one verdict per END', (t) => {
  const rng = new Prng(1234);
  const d = new FrameDecoder();
  let verdicts = 0;
  let ends = 0;
  for (let i = 0; i < 5000; i++) {
    const chunk = rng.bytes(rng.int(0, 64)).map((b) => (b < 16 ? END : b < 32 ? ESC : b));
    ends += chunk.filter((b) => b === END).length;
    verdicts += d.push(chunk).length;
  }
  t.true(verdicts <= ends);
  t.true(verdicts > 0);
});
