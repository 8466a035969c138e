import test from 'ava';
import { createHmac } from 'node:crypto';
import { type Advert, type AdvertAuth, HEADER_BYTES, MAX_ADVERT_BYTES, decodeAdvert, encodeAdvert } from './message';
import { Prng } from './prng';

const AUTH: AdvertAuth = { method: 'sha256', key: Buffer.from('correct horse battery staple') };
const ADVERT: Advert = {
  node: 'lbmaster-rack-01',
  generation: 7,
  seq: 123456,
  link: 'udp',
  state: 'active',
  priority: 150,
  pingReachable: 2,
  healthy: true,
  manualEpoch: 3,
  manualNode: 'lbslave-rack-001',
};
const REASONS = ['short', 'bad-magic', 'bad-version', 'bad-length', 'bad-field', 'bad-mac', 'too-long'];

test('round trip for every method, link and state', (t) => {
  for (const method of ['sha256', 'sha1', 'md5'] as const) {
    for (const link of ['udp', 'serial'] as const) {
      for (const state of ['init', 'standby', 'active', 'stopped'] as const) {
        const auth = { method, key: AUTH.key };
        const a = { ...ADVERT, link, state, healthy: state !== 'init' };
        t.deepEqual(decodeAdvert(encodeAdvert(a, auth), auth), { ok: true, advert: a });
      }
    }
  }
});

test('extremes round trip: u32 generation, 2^53-1 seq, no manual target', (t) => {
  const a = { ...ADVERT, generation: 2 ** 32 - 1, seq: Number.MAX_SAFE_INTEGER, manualEpoch: 0, manualNode: '', priority: 255 };
  t.deepEqual(decodeAdvert(encodeAdvert(a, AUTH), AUTH), { ok: true, advert: a });
});

test('an advert with 16-character names stays under 80 bytes', (t) => {
  const size = encodeAdvert(ADVERT, AUTH).length;
  t.is(size, HEADER_BYTES + 16 + 16 + 16);
  t.true(size < 80);
});

test('decodes from a view into a larger buffer', (t) => {
  const frame = encodeAdvert(ADVERT, AUTH);
  const big = Buffer.concat([Buffer.from('junk'), frame, Buffer.from('tail')]);
  t.true(decodeAdvert(big.subarray(4, 4 + frame.length), AUTH).ok);
});

test('wrong key or method is bad-mac', (t) => {
  const frame = encodeAdvert(ADVERT, AUTH);
  t.deepEqual(decodeAdvert(frame, { method: 'sha256', key: Buffer.from('other') }), { ok: false, reason: 'bad-mac' });
  t.deepEqual(decodeAdvert(frame, { method: 'sha1', key: AUTH.key }), { ok: false, reason: 'bad-mac' });
});

test('every truncation is short; a longer buffer is bad-length or too-long', (t) => {
  const frame = encodeAdvert(ADVERT, AUTH);
  for (let n = 0; n < frame.length; n++) {
    t.deepEqual(decodeAdvert(frame.subarray(0, n), AUTH), { ok: false, reason: 'short' }, `length ${n}`);
  }
  t.deepEqual(decodeAdvert(Buffer.concat([frame, Buffer.from([0])]), AUTH), { ok: false, reason: 'bad-length' });
  t.deepEqual(decodeAdvert(Buffer.alloc(MAX_ADVERT_BYTES + 1), AUTH), { ok: false, reason: 'too-long' });
});

test('every single-bit flip is rejected', (t) => {
  const frame = encodeAdvert(ADVERT, AUTH);
  const seen = new Set<string>();
  for (let bit = 0; bit < frame.length * 8; bit++) {
    const f = Buffer.from(frame);
    f[bit >> 3] = (f[bit >> 3] ?? 0) ^ (1 << (bit & 7));
    const v = decodeAdvert(f, AUTH);
    if (v.ok) return t.fail(`bit ${bit} accepted`);
    seen.add(v.reason);
  }
  t.deepEqual([...seen].sort(), ['bad-length', 'bad-mac', 'bad-magic', 'bad-version', 'short']);
});

test('authenticated but out-of-range fields are bad-field', (t) => {
  const resign = (f: Buffer): Buffer => {
    const body = f.subarray(0, f.length - 16);
    return Buffer.concat([body, createHmac('sha256', AUTH.key).update(body).digest().subarray(0, 16)]);
  };
  const frame = encodeAdvert(ADVERT, AUTH);
  // link 2, state 4, reserved flag bit, seq >= 2^53, upper-case name byte
  const patches: Array<[number, number]> = [[4, 2], [5, 4], [6, 0x81], [6, 0x04], [15, 0xff], [27, 0x41]];
  for (const [offset, value] of patches) {
    const f = Buffer.from(frame);
    f[offset] = value;
    t.deepEqual(decodeAdvert(resign(f), AUTH), { ok: false, reason: 'bad-field' }, `offset ${offset}`);
  }
});

test('fuzz: random buffers and random tails after a valid header never throw', (t) => {
  const rng = new Prng(42);
  let checked = 0;
  const frame = encodeAdvert(ADVERT, AUTH);
  for (let i = 0; i < 5000; i++) {
    const random = rng.bytes(rng.int(0, MAX_ADVERT_BYTES + 8));
    const v1 = decodeAdvert(random, AUTH);
    const mixed = Buffer.concat([frame.subarray(0, rng.int(0, HEADER_BYTES)), rng.bytes(rng.int(0, 120))]);
    const v2 = decodeAdvert(mixed, AUTH);
    for (const v of [v1, v2]) {
      if (v.ok) return t.fail('random bytes accepted');
      if (!REASONS.includes(v.reason)) return t.fail(`unknown reason ${v.reason}`);
      checked += 1;
    }
  }
  t.is(checked, 10_000, 'every random buffer got a known drop reason');
});

test('encode refuses what decode would refuse', (t) => {
  t.throws(() => encodeAdvert({ ...ADVERT, node: 'UPPER' }, AUTH), { message: /bad node/ });
  t.throws(() => encodeAdvert({ ...ADVERT, node: '' }, AUTH), { message: /bad node/ });
  t.throws(() => encodeAdvert({ ...ADVERT, seq: -1, priority: 256 }, AUTH), { message: /bad seq, priority/ });
  t.throws(() => encodeAdvert({ ...ADVERT, generation: 2 ** 32 }, AUTH), { message: /bad generation/ });
});

test('the restart-pair flag round-trips and is absent when not set', (t) => {
  const on = decodeAdvert(encodeAdvert({ ...ADVERT, restartPair: true }, AUTH), AUTH);
  t.true(on.ok && on.advert.restartPair === true);
  const off = decodeAdvert(encodeAdvert(ADVERT, AUTH), AUTH);
  t.true(off.ok && off.advert.restartPair === undefined);
});
