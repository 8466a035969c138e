/**
 * Sends hostile heartbeat traffic at a unit, from inside the peer's network
 * namespace (so datagrams come from the peer's address) and into the serial
 * cable: random bytes, truncated and bit-flipped adverts, forged adverts
 * (wrong key), replays (right key, old sequence) and old generations.
 * Usage: node fuzz-sender.js TARGET_IP PORT AUTHKEYS GENERATION_FILE TTY COUNT SEED
 */
import * as dgram from 'node:dgram';
import { openSync, readFileSync, writeSync, closeSync } from 'node:fs';
import { encodeAdvert, type Advert, type AdvertAuth } from '../core/message';
import { encodeFrame, MAX_PAYLOAD_BYTES } from '../core/serial-frame';
import { parseAuthkeys } from '../config/authkeys';
import { Prng } from '../core/prng';

const [target = '', portText = '', authkeys = '', genFile = '', tty = '', countText = '1000', seedText = '1'] = process.argv.slice(2);
const port = Number(portText);
const count = Number(countText);
const rng = new Prng(Number(seedText));
const good: AdvertAuth = parseAuthkeys(readFileSync(authkeys, 'utf8'), authkeys).config;
const forged: AdvertAuth = { method: 'sha256', key: Buffer.from('not-the-pair-secret') };
const generation = Number(readFileSync(genFile, 'utf8').trim());

const advert = (over: Partial<Advert>): Advert => ({
  node: 'u2', generation, seq: 1, link: 'udp', state: 'active', priority: 254, pingReachable: 9, healthy: true, manualEpoch: 999, manualNode: 'u2', ...over,
});


/** Frames that must all be dropped; each claims u2 wants to be active with a manual override. */
function hostileFrames(link: 'udp' | 'serial'): Buffer[] {
  const valid = encodeAdvert(advert({ link }), good);
  const frames: Buffer[] = [];
  for (let i = 0; i < count; i++) {
    switch (i % 6) {
      case 0: frames.push(rng.bytes(rng.int(0, 600))); break;
      case 1: frames.push(valid.subarray(0, rng.int(0, valid.length - 1))); break;
      case 2: {
        const f = Buffer.from(valid);
        const bit = rng.int(0, f.length * 8 - 1);
        f[bit >> 3] = (f[bit >> 3] ?? 0) ^ (1 << (bit & 7));
        frames.push(f);
        break;
      }
      case 3: frames.push(encodeAdvert(advert({ link, seq: 1_000_000 + i }), forged)); break;
      case 4: frames.push(encodeAdvert(advert({ link, seq: 1 }), good)); break; // replay: sequence 1 is long gone
      default: frames.push(encodeAdvert(advert({ link, generation: generation - 1, seq: 10_000_000 + i }), good)); break;
    }
  }
  return frames;
}

async function main(): Promise<void> {
  const sock = dgram.createSocket(target.includes(':') ? 'udp6' : 'udp4');
  for (const f of hostileFrames('udp')) {
    await new Promise<void>((r) => sock.send(f, port, target, () => r()));
  }
  sock.close();
  const fd = openSync(tty, 'w');
  for (const f of hostileFrames('serial')) {
    // Raw noise half the time, framed (valid CRC) hostile adverts otherwise.
    writeSync(fd, rng.int(0, 1) === 0 || f.length === 0 || f.length > MAX_PAYLOAD_BYTES ? f : encodeFrame(f));
  }
  closeSync(fd);
  process.stdout.write(`sent ${count} udp and ${count} serial hostile frames\n`);
}

void main();
