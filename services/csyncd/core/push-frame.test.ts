import test from 'ava';
import { createHash } from 'node:crypto';
import { encodeHeader, END_MARKER, MAX_HEADER_BYTES, PushDecoder, type FrameEvent, type PushHeader } from './push-frame';
import { contentHash } from './version';

const sha = (b: Buffer): string => createHash('sha256').update(b).digest('hex');

function frame(files: { path: string; data: Buffer }[], over: Partial<PushHeader> = {}): { header: PushHeader; bytes: Buffer } {
  const entries = files.map((f) => ({ path: f.path, size: f.data.length, sha256: sha(f.data) }));
  const header: PushHeader = { v: 1, service: 'haproxy', from: 1, version: { counter: 2, node: 1, sha256: contentHash(entries) }, expect: null, force: false, files: entries, ...over };
  return { header, bytes: Buffer.concat([encodeHeader(header), ...files.map((f) => f.data), END_MARKER]) };
}

/** Feed bytes in the given chunk sizes, then EOF; collect files and the last verdict. */
function decode(bytes: Buffer, cut: (i: number) => number = () => bytes.length): { events: FrameEvent[]; files: Buffer[] } {
  const d = new PushDecoder();
  const events: FrameEvent[] = [];
  for (let o = 0, i = 0; o < bytes.length; i++) {
    const n = Math.max(1, cut(i));
    events.push(...d.push(bytes.subarray(o, o + n)));
    o += n;
  }
  events.push(...d.finish());
  const files: Buffer[] = [];
  for (const e of events) if (e.type === 'data') files[e.index] = Buffer.concat([files[e.index] ?? Buffer.alloc(0), e.chunk]);
  return { events, files };
}

const last = (ev: FrameEvent[]): string => {
  const e = ev[ev.length - 1];
  return e === undefined ? 'none' : e.type === 'error' ? e.verdict : e.type;
};

const FILES = [
  { path: '/etc/haproxy/haproxy.cfg', data: Buffer.from('global\n  maxconn 10\n') },
  { path: '/etc/haproxy/empty', data: Buffer.alloc(0) },
  { path: '/etc/haproxy/blob', data: Buffer.from(Array.from({ length: 3000 }, (_, i) => i % 251)) },
];

test('a good frame decodes the same whatever the chunking', (t) => {
  const { bytes } = frame(FILES);
  for (const size of [1, 2, 3, 7, 64, 1000, bytes.length]) {
    const r = decode(bytes, () => size);
    t.is(last(r.events), 'done', `chunks of ${size}`);
    t.deepEqual(r.files[0], FILES[0]?.data);
    t.deepEqual(r.files[2], FILES[2]?.data);
    t.deepEqual(r.events.filter((e) => e.type === 'file-end').map((e) => (e.type === 'file-end' ? e.index : -1)), [0, 1, 2]);
  }
});

test('bad input gives a verdict, never an exception', (t) => {
  const good = frame(FILES).bytes;
  const table: [string, Buffer, string][] = [
    ['not JSON', Buffer.from('hello\n'), 'bad-json'],
    ['JSON but not a header', Buffer.from('{"v":1}\n'), 'bad-header'],
    ['no newline for too long', Buffer.alloc(MAX_HEADER_BYTES + 10, 0x41), 'header-too-long'],
    ['truncated in a file', good.subarray(0, good.length - 100), 'short'],
    ['truncated in the trailer', good.subarray(0, good.length - 2), 'short'],
    ['empty input', Buffer.alloc(0), 'short'],
    ['wrong trailer', Buffer.concat([good.subarray(0, good.length - 4), Buffer.from('EOF\n')]), 'bad-trailer'],
    ['bytes after END', Buffer.concat([good, Buffer.from('x')]), 'trailing-bytes'],
  ];
  for (const [why, bytes, want] of table) t.is(last(decode(bytes).events), want, why);
});

test('a corrupted file byte is caught by its sha256', (t) => {
  const { bytes, header } = frame(FILES);
  const at = encodeHeader(header).length + 5;
  const bad = Buffer.from(bytes);
  bad[at] = (bad[at] ?? 0) ^ 1;
  const r = decode(bad);
  t.is(last(r.events), 'sha-mismatch');
  t.false(r.events.some((e) => e.type === 'file-end' && e.index === 0));
});

test('header checks: version hash must match the files, paths unique, counts bounded', (t) => {
  const lie = frame(FILES, { version: { counter: 1, node: 1, sha256: 'a'.repeat(64) } });
  t.is(last(decode(lie.bytes).events), 'bad-header');
  const dup = frame([FILES[0] as { path: string; data: Buffer }, FILES[0] as { path: string; data: Buffer }]);
  t.is(last(decode(dup.bytes).events), 'bad-header');
  t.is(last(decode(frame(FILES, { from: 0 }).bytes).events), 'bad-header');
  t.is(last(decode(frame(FILES, { service: '../x' }).bytes).events), 'bad-header');
});

test('random garbage never throws (seeded)', (t) => {
  let s = 42;
  const rnd = (): number => (s = (s * 1664525 + 1013904223) % 2 ** 32) / 2 ** 32;
  const good = frame(FILES).bytes;
  for (let i = 0; i < 500; i++) {
    const b = Buffer.from(good);
    for (let k = 0; k < 1 + Math.floor(rnd() * 4); k++) b[Math.floor(rnd() * b.length)] = Math.floor(rnd() * 256);
    const cutAt = Math.floor(rnd() * b.length * 1.2);
    t.notThrows(() => decode(b.subarray(0, cutAt), () => 1 + Math.floor(rnd() * 50)));
  }
});
