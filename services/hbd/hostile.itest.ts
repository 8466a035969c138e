/** Hostile input never reaches the election: forged, replayed, truncated and random frames on both transports. */
import test from 'ava';
import * as path from 'node:path';
import { HbdPair, FAST, logsOfLastPair } from '../../scripts/sim/hbd-pair';
import { repoRoot } from '../runtime/cli';
import { waitFor } from '../../scripts/sim/exec';

test.afterEach.always((t) => {
  if (!t.passed) t.log(logsOfLastPair());
});

const FRAMES_PER_TRANSPORT = 3000;

test('thousands of hostile frames on UDP and serial are dropped and counted; nothing changes', async (t) => {
  const hp = await HbdPair.start(FAST);
  t.teardown(() => hp.stop());
  await hp.waitStates('active', 'passive');
  const pid = hp.hbd[0].proc?.pid;
  // A replay is a frame the peer already sent: make sure sequence 1 is history on both links.
  await waitFor('10 genuine adverts on each link', async () => ((await hp.props(0)).Links as [string, string, string, bigint, bigint][]).every((l) => l[4] >= 10n), 10_000);
  const fuzz = path.join(repoRoot(), 'dist', 'services', 'hbd', 'testing', 'fuzz-sender.js');
  const genFile = path.join(hp.u2.dir, 'hbd-state', 'generation');
  const r = await hp.pair.exec(hp.u2.ns, process.execPath, [fuzz, hp.u1.hbIp, '694', path.join(hp.dirs[1], 'authkeys'), genFile, hp.u2.tty, String(FRAMES_PER_TRANSPORT), '7'], { timeoutMs: 120_000 });
  t.regex(r.stdout, /sent 3000 udp and 3000 serial/);
  t.deepEqual([...(await hp.watchVip(1500))], ['u1'], 'the VIP never moved although every forged advert claimed u2 with a manual override');
  const p = await hp.props(0);
  t.is(p.State, 'active');
  t.is(p.PeerState, 'standby', 'the peer state comes from genuine adverts only');
  const drops = p.Drops as Record<string, bigint>;
  for (const reason of ['bad-mac', 'replayed', 'old-generation', 'short']) {
    t.true((drops[reason] ?? 0n) > 0n, `drops counted for ${reason}: ${JSON.stringify(drops, (_k, v: unknown) => (typeof v === 'bigint' ? Number(v) : v))}`);
  }
  t.true((drops['bad-crc'] ?? 0n) + (drops['too-long'] ?? 0n) > 0n, 'serial framing drops counted');
  const total = Object.values(drops).reduce((a, b) => a + b, 0n);
  t.true(total >= BigInt(FRAMES_PER_TRANSPORT), `at least every UDP frame dropped (total ${total})`);
  t.is(hp.hbd[0].proc?.pid, pid, 'hbd did not crash or restart');
  t.is(hp.hbd[0].starts, 1);
});
