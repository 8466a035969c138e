import test from 'ava';
import WebSocket from 'ws';
import { clientFrame, FrameReader, OP_PING, OP_PONG, OP_TEXT } from './frames';

/** ws's own frame builder: the reference the reader is checked against. */
const Sender = (WebSocket as unknown as { Sender: { frame(data: Buffer, o: object): Buffer[] } }).Sender;
const serverFrame = (opcode: number, payload: Buffer): Buffer => Buffer.concat(Sender.frame(payload, { fin: true, rsv1: false, opcode, mask: false, readOnly: true }));

test('frames of the three length forms, split at every byte boundary', (t) => {
  const payloads = [Buffer.from('{"t":"hb"}'), Buffer.alloc(300, 'a'), Buffer.alloc(70_000, 'b')];
  const stream = Buffer.concat([...payloads.map((p) => serverFrame(OP_TEXT, p)), serverFrame(OP_PING, Buffer.from('x'))]);
  for (const step of [1, 7, 4096, stream.length]) {
    const r = new FrameReader();
    const got = [];
    for (let i = 0; i < stream.length; i += step) got.push(...r.push(stream.subarray(i, i + step)));
    t.deepEqual(got.map((f) => [f.opcode, f.payload.length]), [[OP_TEXT, 10], [OP_TEXT, 300], [OP_TEXT, 70_000], [OP_PING, 1]], `chunks of ${step}`);
    t.is(got[1]?.payload.toString(), 'a'.repeat(300));
  }
});

test('a masked server frame is refused', (t) => {
  t.throws(() => new FrameReader().push(Buffer.from([0x81, 0x81, 1, 2, 3, 4, 5])), { message: /masked/ });
});

test('a client pong is masked and unmasks to its payload', (t) => {
  const f = clientFrame(OP_PONG, Buffer.from('ping-data'));
  t.is(f[0], 0x80 | OP_PONG);
  t.is((f[1] ?? 0) & 0x80, 0x80);
  const mask = f.subarray(2, 6);
  t.is(Buffer.from(f.subarray(6).map((x, i) => x ^ (mask[i % 4] ?? 0))).toString(), 'ping-data');
});
