import test from 'ava';
import { fakeLoopbackLink } from './fake-loopback-link';
import { echoPattern, echoProblems, runEchoContract, type EchoOptions } from './link-echo';

const OPTS: EchoOptions = { frames: 20, payloadBytes: 64, frameTimeoutMs: 200, openTimeoutMs: 500, giveUpAfterLost: 3 };

test('a clean loopback: every frame back intact, nothing dropped', async (t) => {
  const f = await runEchoContract((sink) => fakeLoopbackLink(sink), OPTS);
  t.like(f, { mediumUp: true, framesSent: 20, matched: 20, mismatched: 0, lost: 0, drops: {}, bytesEchoed: 20 * 64 });
  t.deepEqual(echoProblems(f, 20), []);
});

test('corrupted frames are counted as CRC drops and as lost frames', async (t) => {
  const f = await runEchoContract((sink) => fakeLoopbackLink(sink, { corrupt: (i) => i === 3 || i === 9 }), OPTS);
  t.like(f, { framesSent: 20, matched: 18, lost: 2, drops: { 'bad-crc': 2 } });
  t.deepEqual(echoProblems(f, 20), ['2 of 20 frames lost', 'dropped by the framing: 2 bad-crc']);
});

test('a silent line stops after three lost frames and says why', async (t) => {
  const f = await runEchoContract((sink) => fakeLoopbackLink(sink, { mute: true }), OPTS);
  t.like(f, { mediumUp: true, framesSent: 3, matched: 0, lost: 3 });
  t.deepEqual(echoProblems(f, 20), ['no echo: 3 frame(s) sent, nothing came back (loopback plug missing or peer not echoing)']);
});

test('a port that does not open is reported with the adapter\'s reason', async (t) => {
  const f = await runEchoContract((sink) => fakeLoopbackLink(sink, { openError: 'cannot open /dev/ttyS9: ENOENT' }), OPTS);
  t.like(f, { mediumUp: false, framesSent: 0 });
  t.deepEqual(echoProblems(f, 20), ['the port did not open: cannot open /dev/ttyS9: ENOENT']);
});

test('the pattern carries the sequence number and both SLIP special bytes', (t) => {
  const p = echoPattern(258, 64);
  t.is(p.length, 64);
  t.is(p.readUInt32BE(0), 258);
  t.true(p.includes(0xc0) && p.includes(0xdb));
  t.false(p.equals(echoPattern(259, 64)));
});
