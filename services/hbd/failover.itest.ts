/** hbd on a simulated pair: election, crash failover with gratuitous ARP, failback, manual failover. */
import test from 'ava';
import { HbdPair, ArpWatch, FAST } from '../../scripts/sim/hbd-pair';
import { logsOfLastPair } from '../../scripts/sim/hbd-pair';

test.afterEach.always((t) => {
  if (!t.passed) t.log(logsOfLastPair());
});
import { spawnSync } from 'node:child_process';
import { run, sleep, waitFor } from '../../scripts/sim/exec';
import { HACTL_MAIN } from '../../scripts/sim/hbd-unit';
import { VIP6 } from '../../scripts/sim/pair';

test('cold start: the haresources owner is active, the peer passive, the VIP on one unit', async (t) => {
  const hp = await HbdPair.start(FAST);
  t.teardown(() => hp.stop());
  await hp.waitStates('active', 'passive');
  await hp.waitVip(['u1']);
  const p = await hp.props(1);
  t.is(p.Role, 'slave');
  t.is(p.PeerStatus, 'up');
  t.is(p.PeerState, 'active');
  t.deepEqual([...(await hp.watchVip(1000))], ['u1'], 'the VIP never moves or doubles while both run');
});

test('kill -9 of the active hbd: the standby holds the VIPs and has announced them (ARP and NA)', async (t) => {
  const hp = await HbdPair.start({ ...FAST, vip6: true });
  t.teardown(() => hp.stop());
  await hp.waitStates('active', 'passive');
  await hp.waitVip(['u1']);
  const arp = await ArpWatch.start(hp.pair);
  t.teardown(() => arp.stop());
  await sleep(1000); // the initial announcements of u1 are over
  const before = [arp.garps().length, arp.unsolicitedNAs().length];
  await hp.hbd[0].proc?.kill9();
  await hp.waitVip(['u2'], 5000);
  t.is(await hp.state(1), 'active');
  const v6 = await run('ip', ['-n', hp.u2.ns, '-6', '-o', 'addr', 'show', 'dev', 'eth0']);
  t.regex(v6.stdout, new RegExp(`${VIP6}/64`), 'the IPv6 VIP moved too');
  await sleep(300);
  t.true(arp.garps().length > (before[0] ?? 0), `a gratuitous ARP for the VIP was seen on the LAN:\n${arp.lines.join('\n')}`);
  t.true(arp.unsolicitedNAs().length > (before[1] ?? 0), `an unsolicited NA for the IPv6 VIP was seen:\n${arp.lines.join('\n')}`);
});

test('restarting the standby does not disturb the active', async (t) => {
  const hp = await HbdPair.start({ ...FAST, autoFailback: true });
  t.teardown(() => hp.stop());
  await hp.waitStates('active', 'passive');
  await hp.waitVip(['u1']);
  await hp.hbd[1].stop();
  hp.hbd[1].start();
  const seen = await hp.watchVip(2500);
  t.deepEqual([...seen], ['u1']);
  await hp.waitStates('active', 'passive');
});

test('auto_failback on: the owner takes the VIP back when it returns', async (t) => {
  const hp = await HbdPair.start({ ...FAST, autoFailback: true });
  t.teardown(() => hp.stop());
  await hp.waitStates('active', 'passive');
  await hp.hbd[0].proc?.kill9();
  await hp.waitVip(['u2'], 5000);
  hp.hbd[0].start();
  await hp.waitVip(['u1'], 8000);
  await hp.waitStates('active', 'passive');
  t.deepEqual([...(await hp.watchVip(1000))], ['u1'], 'and keeps it');
});

test('auto_failback off: the survivor keeps the VIP when the owner returns', async (t) => {
  const hp = await HbdPair.start({ ...FAST, autoFailback: false });
  t.teardown(() => hp.stop());
  await hp.waitStates('active', 'passive');
  await hp.hbd[0].proc?.kill9();
  await hp.waitVip(['u2'], 5000);
  // Standby with nobody to take over is refused with hbd's reason, exit 2.
  const refused = spawnSync(process.execPath, [HACTL_MAIN(), 'standby'], { env: { ...process.env, ...hp.hbd[1].env } });
  t.is(refused.status, 2, refused.stderr.toString());
  t.regex(refused.stderr.toString(), /^hactl: standby refused: the peer u1 is dead, nobody can take over; u2 keeps the resources\n$/);
  hp.hbd[0].start();
  await hp.waitStates('passive', 'active', 8000);
  t.deepEqual([...(await hp.watchVip(1500))], ['u2']);
});

test('manual failover with hactl standby and takeover', async (t) => {
  const hp = await HbdPair.start({ ...FAST, autoFailback: true });
  t.teardown(() => hp.stop());
  await hp.waitStates('active', 'passive');
  t.regex(await hp.hbd[0].hactl('takeover'), /^nothing to do: u1 is already active and holds the resources\n$/, 'takeover on the active unit changes nothing');
  t.regex(await hp.hbd[1].hactl('standby'), /^nothing to do: u2 is already passive, u1 holds the resources\n$/, 'standby on the passive unit changes nothing');
  t.deepEqual([...(await hp.watchVip(500))], ['u1'], 'and nothing moved');
  t.regex(await hp.hbd[0].hactl('standby'), /standby requested: u1 hands the resources to u2/);
  await hp.waitVip(['u2'], 5000);
  await hp.waitStates('passive', 'active');
  t.deepEqual([...(await hp.watchVip(1000))], ['u2'], 'auto_failback does not undo a manual standby');
  const status = await hp.hbd[0].hactl('status');
  t.regex(status, /^Master {2}Passive {2}Link up/);
  await hp.hbd[0].hactl('takeover');
  await hp.waitVip(['u1'], 5000);
  await hp.waitStates('active', 'passive');
  const json = JSON.parse(await hp.hbd[1].hactl('status', '--json')) as { role: string; state: string; peerState: string };
  t.deepEqual([json.role, json.state, json.peerState], ['slave', 'passive', 'active']);
});

test('hactl restart-pair restarts hbd on both units once, and the pair settles', async (t) => {
  const hp = await HbdPair.start({ ...FAST, autoFailback: true }, { restartAfterMs: 300 });
  t.teardown(() => hp.stop());
  await hp.waitStates('active', 'passive');
  const gens = [(await hp.props(0)).Generation, (await hp.props(1)).Generation];
  t.regex(await hp.hbd[0].hactl('restart-pair'), /restart-pair requested/);
  await waitFor('both units restarted', () => hp.hbd[0].starts === 2 && hp.hbd[1].starts === 2, 20_000, 50);
  await hp.waitStates('active', 'passive', 15_000);
  await hp.waitVip(['u1']);
  const after = [(await hp.props(0)).Generation, (await hp.props(1)).Generation];
  t.true(after[0] !== gens[0] && after[1] !== gens[1], `new generations ${JSON.stringify([gens, after])}`);
  await sleep(2000);
  t.is(hp.hbd[0].starts, 2, 'no restart loop');
  t.is(hp.hbd[1].starts, 2, 'no restart loop');
});
