/** Links and split brain: one medium lost is not a failover; both lost, the ping node decides. */
import test, { type ExecutionContext } from 'ava';
import { HbdPair, FAST } from '../../scripts/sim/hbd-pair';
import { logsOfLastPair } from '../../scripts/sim/hbd-pair';

test.afterEach.always((t) => {
  if (!t.passed) t.log(logsOfLastPair());
});
import { waitFor } from '../../scripts/sim/exec';

const linkStatus = async (hp: HbdPair, i: 0 | 1, kind: string): Promise<string | undefined> => {
  const links = (await hp.props(i)).Links as [string, string, string][];
  return links.find((l) => l[1] === kind)?.[2];
};

/** A settled pair (u1 active) with a ping node both units reach. */
async function startWithPingNode(t: ExecutionContext): Promise<HbdPair> {
  const hp = await HbdPair.start({ ...FAST, ping: true });
  t.teardown(() => hp.stop());
  await hp.waitStates('active', 'passive');
  await waitFor('ping node seen by both', async () => (await hp.props(0)).PingReachable === 1 && (await hp.props(1)).PingReachable === 1, 10_000);
  return hp;
}

/** Both heartbeat media gone: the eth1 cable and the serial cable. */
async function cutBothMedia(hp: HbdPair): Promise<void> {
  await hp.pair.setLink('hb', false);
  await hp.pair.unplugSerial();
}

test('cutting only the heartbeat cable (ucast) does not fail over: serial carries the heartbeat', async (t) => {
  const hp = await HbdPair.start(FAST);
  t.teardown(() => hp.stop());
  await hp.waitStates('active', 'passive');
  await hp.pair.setLink('hb', false);
  await waitFor('ucast link down on u2', async () => (await linkStatus(hp, 1, 'ucast')) === 'down', 5000);
  t.deepEqual([...(await hp.watchVip(2000))], ['u1']);
  t.is(await hp.state(1), 'passive');
  t.is(await linkStatus(hp, 1, 'serial'), 'up');
  await hp.pair.setLink('hb', true);
  await waitFor('ucast link back', async () => (await linkStatus(hp, 1, 'ucast')) === 'up', 5000);
});

test('unplugging only the serial cable does not fail over, and plugging it back is picked up without a restart', async (t) => {
  const hp = await HbdPair.start(FAST);
  t.teardown(() => hp.stop());
  await hp.waitStates('active', 'passive');
  const pid = hp.hbd[1].proc?.pid;
  await hp.pair.unplugSerial();
  await waitFor('serial link down on u2', async () => (await linkStatus(hp, 1, 'serial')) === 'down', 5000);
  t.deepEqual([...(await hp.watchVip(2000))], ['u1']);
  await hp.pair.plugSerial();
  await waitFor('serial link up again on both', async () => (await linkStatus(hp, 0, 'serial')) === 'up' && (await linkStatus(hp, 1, 'serial')) === 'up', 10_000);
  t.is(hp.hbd[1].proc?.pid, pid, 'same process: recovered without restarting');
  t.is(hp.hbd[1].starts, 1);
});

test('both links cut, ping node reachable only from the active unit: it stays the only active one', async (t) => {
  const hp = await startWithPingNode(t);
  await cutBothMedia(hp);
  await hp.pair.setLink('lan-u2', false);
  const seen = await hp.watchVip(3000);
  t.deepEqual([...seen], ['u1'], 'u2 never took the VIP');
  t.is(await hp.state(0), 'active');
  t.is(await hp.state(1), 'passive');
  t.is((await hp.props(1)).PeerStatus, 'dead');
});

test('both links cut, ping node reachable only from the passive unit: the active steps down, the other takes over', async (t) => {
  const hp = await startWithPingNode(t);
  await cutBothMedia(hp);
  await hp.pair.setLink('lan-u1', false);
  await hp.waitStates('passive', 'active', 8000);
  await hp.waitVip(['u2']);
  // u1 stepped down for the ping node, not for the peer: its own deadtime for u2 may still be running (warn).
  await waitFor('u1 declares u2 dead', async () => (await hp.props(0)).PeerStatus === 'dead', 10_000, 100);
  t.is(await hp.state(0), 'passive', 'and u1 stays passive');
  t.is(await hp.state(1), 'active');
});

test('links up but the active unit loses the ping node: the peer that still reaches it takes over', async (t) => {
  const hp = await startWithPingNode(t);
  await hp.pair.setLink('lan-u1', false);
  await hp.waitStates('passive', 'active', 8000);
  await hp.waitVip(['u2']);
  await hp.pair.setLink('lan-u1', true);
  await waitFor('u1 reaches the ping node again', async () => (await hp.props(0)).PingReachable === 1, 10_000);
  t.is(await hp.state(1), 'active', 'auto_failback off: u2 keeps it');
});
