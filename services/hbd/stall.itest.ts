/**
 * A unit whose hbd stalls (CPU starvation, SIGSTOP) must not act on stale
 * timers, and after a healed split brain the LAN must point at the unit that
 * kept the VIP. Both were found by the soak benchmark (bench/soak).
 */
import test from 'ava';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { HbdPair, FAST, logsOfLastPair } from '../../scripts/sim/hbd-pair';
import { run, sleep } from '../../scripts/sim/exec';
import { VIP } from '../../scripts/sim/pair';

test.afterEach.always((t) => {
  if (!t.passed) t.log(logsOfLastPair());
});

const pause = async (pid: number | undefined, ms: number): Promise<void> => {
  if (pid === undefined) throw new Error('hbd is not running');
  process.kill(pid, 'SIGSTOP');
  await sleep(ms);
  process.kill(pid, 'SIGCONT');
};

test('a standby stalled longer than the deadtime reads the waiting adverts before judging its peer dead', async (t) => {
  const hp = await HbdPair.start(FAST);
  t.teardown(() => hp.stop());
  await hp.waitStates('active', 'passive');
  const watching = hp.watchVip(3000, 20);
  await pause(hp.hbd[1].proc?.pid, 1500); // 3 x deadtime
  t.deepEqual([...(await watching)], ['u1'], 'u2 never took the VIP');
  const log = readFileSync(path.join(hp.pair.dir, 'u2-hbd.log'), 'utf8');
  t.notRegex(log, /"peer is dead"/, 'u2 did not declare u1 dead: its adverts were in the socket');
  t.is(await hp.state(1), 'passive');
});

test('after a healed split brain the LAN reaches the VIP on the unit that kept it', async (t) => {
  const hp = await HbdPair.start(FAST);
  t.teardown(() => hp.stop());
  await hp.waitStates('active', 'passive');
  // A client on the LAN talks to the VIP, so its neighbour table has an entry
  // that gratuitous ARPs update (Linux creates none from a GARP alone).
  await hp.pair.exec(hp.pair.lanNs, 'ping', ['-c', '1', '-W', '1', VIP]);
  await pause(hp.hbd[0].proc?.pid, 900); // u1 silent past the deadtime: u2 takes over
  await hp.waitStates('active', 'passive', 5000); // healed: u1 (owner) kept it, u2 released
  await hp.waitVip(['u1']);
  await sleep(2500); // u2's remaining announcements (garp_delay 1 s) would have gone out by now
  const mac = JSON.parse((await run('ip', ['-n', hp.u1.ns, '-j', 'link', 'show', 'eth0'])).stdout) as { address: string }[];
  const neigh = JSON.parse((await run('ip', ['-n', hp.pair.lanNs, '-j', 'neigh', 'show', VIP])).stdout) as { lladdr?: string }[];
  t.is(neigh[0]?.lladdr, mac[0]?.address, 'the LAN neighbour entry for the VIP points at u1');
  await hp.pair.exec(hp.pair.lanNs, 'ping', ['-c', '1', '-W', '1', VIP]);
});
