/**
 * Two election machines over simulated UDP + serial links (election-sim.ts).
 * Invariant checked at every simulated event: both nodes never hold the
 * resources while alive and connected for longer than one keepalive plus
 * the largest link delay (the time for one advert to cross after a heal).
 */
import test, { type ExecutionContext } from 'ava';
import type { ElectionSettings } from './election-types';
import { ElectionSim, type SimLink } from './election-sim';

const KEEPALIVE_MS = 100;
const MAX_DELAY_MS = 20;
/** 4 consecutive adverts lost on both links before a peer is declared dead (see the loss test). */
const DEADTIME_MS = 450;
const BOUND_MS = KEEPALIVE_MS + MAX_DELAY_MS;

function links(loss = 0): SimLink[] {
  return [
    { id: 'udp:eth1', kind: 'udp', loss, minDelayMs: 1, maxDelayMs: MAX_DELAY_MS },
    { id: 'serial:/dev/ttyS0', kind: 'serial', loss, minDelayMs: 10, maxDelayMs: 10 },
  ];
}

function settings(self: string, over: Partial<ElectionSettings> = {}): ElectionSettings {
  return {
    self,
    peer: self === 'lb1' ? 'lb2' : 'lb1',
    priority: 100,
    ownerNode: 'lb1',
    autoFailback: false,
    keepaliveMs: KEEPALIVE_MS,
    warntimeMs: 250,
    deadtimeMs: DEADTIME_MS,
    initdeadMs: 2000,
    preemptDelayMs: 0,
    pingConfigured: 0,
    ...over,
  };
}

/** A pair, both started at t=0 and settled for 3 s. */
function pair(over: Partial<ElectionSettings> = {}, loss = 0, seed = 1, over2: Partial<ElectionSettings> = over): ElectionSim {
  const sim = new ElectionSim(links(loss), seed);
  sim.add(settings('lb1', over));
  sim.add(settings('lb2', over2));
  sim.start('lb1');
  sim.start('lb2');
  sim.advance(3000);
  return sim;
}

function activeAt(sim: ElectionSim, node: string, after: number): number | undefined {
  const r = sim.changes(node).find((c) => c.at >= after && c.effect.type === 'StateChanged' && c.effect.to === 'active');
  return r?.at;
}

function invariant(t: ExecutionContext, sim: ElectionSim): void {
  t.true(sim.maxDoubleActiveMs <= BOUND_MS, `double active for ${sim.maxDoubleActiveMs}ms`);
}

test('cold start: exactly one active, the haresources owner on equal priority', (t) => {
  const sim = pair();
  t.deepEqual(sim.holders(), ['lb1']);
  t.is(sim.phase('lb2'), 'standby');
  t.is(sim.changes('lb2').filter((c) => c.effect.type === 'StateChanged' && c.effect.to === 'active').length, 0);
  t.is(sim.maxDoubleActiveMs, 0);
});

test('cold start: higher priority beats ownership; staggered start converges the same', (t) => {
  const sim = pair({}, 0, 1, { priority: 150 });
  t.deepEqual(sim.holders(), ['lb2']);
  const late = new ElectionSim(links(), 2);
  late.add(settings('lb1'));
  late.add(settings('lb2', { priority: 150 }));
  late.start('lb1');
  late.advance(700);
  late.start('lb2');
  late.advance(3000);
  t.deepEqual(late.holders(), ['lb2']);
  t.is(late.maxDoubleActiveMs, 0);
});

test('a lone node goes active after initdead', (t) => {
  const sim = new ElectionSim(links(), 3);
  sim.add(settings('lb1'));
  sim.add(settings('lb2'));
  sim.start('lb2');
  sim.advance(1999);
  t.deepEqual(sim.holders(), []);
  sim.advance(2);
  t.deepEqual(sim.holders(), ['lb2']);
});

test('killing the active node: the survivor takes over within deadtime + keepalive', (t) => {
  const sim = pair();
  const killedAt = sim.now;
  sim.kill('lb1');
  sim.advance(2000);
  t.deepEqual(sim.holders(), ['lb2']);
  const at = activeAt(sim, 'lb2', killedAt);
  t.truthy(at);
  t.true((at ?? Infinity) - killedAt <= DEADTIME_MS + KEEPALIVE_MS, `took ${(at ?? 0) - killedAt}ms`);
});

test('auto_failback off: the owner coming back does not move the resources', (t) => {
  const sim = pair();
  sim.kill('lb1');
  sim.advance(2000);
  const before = sim.changes('lb2').length;
  sim.restart('lb1');
  sim.advance(10_000);
  t.deepEqual(sim.holders(), ['lb2']);
  t.is(sim.phase('lb1'), 'standby');
  t.is(sim.changes('lb2').length, before, 'lb2 did not change state');
  invariant(t, sim);
});

test('auto_failback on: the owner takes the resources back after preempt_delay, never both active', (t) => {
  const sim = pair({ autoFailback: true, preemptDelayMs: 2000 });
  sim.kill('lb1');
  sim.advance(2000);
  t.deepEqual(sim.holders(), ['lb2']);
  const restartedAt = sim.now;
  sim.restart('lb1');
  sim.advance(1900);
  t.deepEqual(sim.holders(), ['lb2'], 'still within preempt_delay');
  sim.advance(1000);
  t.deepEqual(sim.holders(), ['lb1']);
  const at = activeAt(sim, 'lb1', restartedAt) ?? 0;
  t.true(at - restartedAt >= 2000 && at - restartedAt <= 2000 + 2 * BOUND_MS, `failback after ${at - restartedAt}ms`);
  t.is(sim.maxDoubleActiveMs, 0, 'handover releases before the peer acquires');
});

test('20% loss on each link for 10 minutes: no false failover', (t) => {
  const sim = pair({}, 0.2, 11);
  sim.advance(10 * 60_000);
  t.deepEqual(sim.holders(), ['lb1']);
  t.is(sim.changes('lb1', 'PeerChanged').filter((c) => c.effect.type === 'PeerChanged' && c.effect.status === 'dead').length, 0);
  t.is(sim.changes('lb2', 'PeerChanged').filter((c) => c.effect.type === 'PeerChanged' && c.effect.status === 'dead').length, 0);
  t.is(sim.changes('lb2').filter((c) => c.at > 3000).length, 0);
  t.true((sim.drops.get('lost') ?? 0) > 1000 && (sim.drops.get('bad-crc') ?? 0) + (sim.drops.get('bad-escape') ?? 0) > 1000);
  invariant(t, sim);
});

test('control: 75% loss does cause false failovers, so the loss test can fail', (t) => {
  const sim = pair({}, 0.75, 11);
  sim.advance(60_000);
  const deaths = sim.changes('lb2', 'PeerChanged').filter((c) => c.effect.type === 'PeerChanged' && c.effect.status === 'dead');
  t.true(deaths.length > 0);
});

test('both links cut, ping nodes reachable only from lb1: only lb1 is active', (t) => {
  const sim = pair({ pingConfigured: 1 }, 0, 5, { pingConfigured: 1, priority: 150 });
  sim.inject('lb1', { type: 'PingChanged', reachable: 1 });
  sim.inject('lb2', { type: 'PingChanged', reachable: 1 });
  sim.advance(1000);
  t.deepEqual(sim.holders(), ['lb2']);
  sim.cutLink('udp:eth1');
  sim.cutLink('serial:/dev/ttyS0');
  sim.inject('lb2', { type: 'PingChanged', reachable: 0 });
  sim.advance(2000);
  t.deepEqual(sim.holders(), ['lb1']);
  t.is(sim.phase('lb2'), 'standby');
  sim.healLink('udp:eth1');
  sim.healLink('serial:/dev/ttyS0');
  sim.advance(1000);
  sim.inject('lb2', { type: 'PingChanged', reachable: 1 });
  sim.advance(2000);
  t.deepEqual(sim.holders(), ['lb1'], 'auto_failback off keeps lb1 after the heal');
  t.is(sim.maxDoubleActiveMs, 0);
});

test('healed split brain: exactly one active within one keepalive', (t) => {
  const sim = pair();
  sim.cutLink('udp:eth1');
  sim.cutLink('serial:/dev/ttyS0');
  sim.advance(2000);
  t.deepEqual(sim.holders().sort(), ['lb1', 'lb2'], 'no ping nodes: both serve while cut');
  sim.healLink('udp:eth1');
  sim.healLink('serial:/dev/ttyS0');
  sim.advance(2000);
  t.deepEqual(sim.holders(), ['lb1']);
  t.true(sim.maxDoubleActiveMs > 0 && sim.maxDoubleActiveMs <= BOUND_MS, `${sim.maxDoubleActiveMs}ms`);
});

test('manual standby and takeover move the resources and stick under auto_failback', (t) => {
  const sim = pair({ autoFailback: true });
  sim.inject('lb1', { type: 'StandbyRequested' });
  sim.advance(1000);
  t.deepEqual(sim.holders(), ['lb2']);
  sim.advance(5000);
  t.deepEqual(sim.holders(), ['lb2'], 'no automatic failback over a manual standby');
  sim.inject('lb1', { type: 'TakeoverRequested' });
  sim.advance(1000);
  t.deepEqual(sim.holders(), ['lb1']);
  sim.inject('lb2', { type: 'TakeoverRequested' });
  sim.advance(1000);
  t.deepEqual(sim.holders(), ['lb2']);
  t.is(sim.maxDoubleActiveMs, 0);
});

test('a dead manual target is cleared; it does not grab the resources when it returns', (t) => {
  const sim = pair();
  sim.inject('lb1', { type: 'StandbyRequested' });
  sim.advance(1000);
  t.deepEqual(sim.holders(), ['lb2']);
  sim.kill('lb2');
  sim.advance(2000);
  t.deepEqual(sim.holders(), ['lb1']);
  sim.restart('lb2');
  sim.advance(3000);
  t.deepEqual(sim.holders(), ['lb1']);
  invariant(t, sim);
});

test('track failure and graceful stop hand over without waiting for deadtime', (t) => {
  const sim = pair();
  const failedAt = sim.now;
  sim.inject('lb1', { type: 'TrackChanged', ok: false });
  sim.advance(200);
  t.deepEqual(sim.holders(), ['lb2']);
  t.true((activeAt(sim, 'lb2', failedAt) ?? Infinity) - failedAt <= 2 * MAX_DELAY_MS);
  sim.inject('lb1', { type: 'TrackChanged', ok: true });
  sim.advance(1000);
  const stoppedAt = sim.now;
  sim.inject('lb2', { type: 'StopRequested' });
  sim.advance(200);
  t.deepEqual(sim.holders(), ['lb1']);
  t.true((activeAt(sim, 'lb1', stoppedAt) ?? Infinity) - stoppedAt <= 2 * MAX_DELAY_MS);
  t.is(sim.maxDoubleActiveMs, 0);
});
