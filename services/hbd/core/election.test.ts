import test from 'ava';
import { initialState, step } from './election';
import type { AdvertBody, Effect, ElectionEvent, ElectionSettings, ElectionState } from './election-types';

const S: ElectionSettings = {
  self: 'lb1',
  peer: 'lb2',
  priority: 100,
  ownerNode: 'lb1',
  autoFailback: false,
  keepaliveMs: 1000,
  warntimeMs: 5000,
  deadtimeMs: 10000,
  initdeadMs: 30000,
  preemptDelayMs: 0,
  pingConfigured: 0,
};
const PEER: AdvertBody = { node: 'lb2', state: 'standby', priority: 100, pingReachable: 0, healthy: true, manualEpoch: 0, manualNode: '' };
const peer = (now: number, over: Partial<AdvertBody> = {}, link = 'udp:eth0'): ElectionEvent => ({
  type: 'AdvertReceived',
  now,
  link,
  advert: { ...PEER, ...over },
});

/** Runs events in order; returns the final state and the effects of the last event. */
function run(events: ElectionEvent[], settings: Partial<ElectionSettings> = {}, from?: ElectionState): [ElectionState, Effect[]] {
  let s = from ?? initialState({ ...S, ...settings });
  let effects: Effect[] = [];
  for (const e of events) [s, effects] = step(s, e);
  return [s, effects];
}
const types = (effects: Effect[]): string[] => effects.filter((e) => e.type !== 'Log').map((e) => e.type);
const find = <T extends Effect['type']>(effects: Effect[], type: T) => effects.find((e): e is Extract<Effect, { type: T }> => e.type === type);

/** lb1 active with lb2 standby, both heard at t=1000. */
const ACTIVE = run([{ type: 'Started', now: 0 }, peer(1000)])[0];
const START: ElectionEvent = { type: 'Started', now: 0 };

test('Started arms keepalive now and initdead; nothing before Started counts', (t) => {
  const [s, effects] = run([START]);
  t.deepEqual(types(effects), ['ArmTimer', 'ArmTimer']);
  t.deepEqual(effects.slice(0, 2), [
    { type: 'ArmTimer', timer: 'keepalive', at: 0 },
    { type: 'ArmTimer', timer: 'initdead', at: 30000 },
  ]);
  t.is(s.phase, 'init');
  const [idle, none] = run([peer(5), { type: 'TimerFired', now: 5, timer: 'keepalive' }, { type: 'PingChanged', now: 6, reachable: 2 }]);
  t.deepEqual(none, []);
  t.false(idle.started);
  t.is(idle.pingReachable, 2, 'ping status is kept for later');
  t.deepEqual(run([START, START])[1], [], 'a second Started is ignored');
});

test('keepalive in init advertises init and re-arms', (t) => {
  const [, effects] = run([START, { type: 'TimerFired', now: 0, timer: 'keepalive' }]);
  t.deepEqual(effects, [
    { type: 'SendAdvert', advert: { node: 'lb1', state: 'init', priority: 100, pingReachable: 0, healthy: true, manualEpoch: 0, manualNode: '' } },
    { type: 'ArmTimer', timer: 'keepalive', at: 1000 },
  ]);
});

test('init + first advert: standby, then active as the owner', (t) => {
  const [s, effects] = run([START, peer(1000)]);
  t.deepEqual(types(effects), [
    'LinkChanged',
    'PeerChanged',
    'CancelTimer',
    'StateChanged',
    'AcquireResources',
    'StateChanged',
    'SendAdvert',
    'ArmTimer',
  ]);
  t.deepEqual(find(effects, 'StateChanged'), { type: 'StateChanged', from: 'init', to: 'standby', reason: 'peer-heard' });
  t.deepEqual(find(effects, 'ArmTimer'), { type: 'ArmTimer', timer: 'deadline', at: 6000 }, 'warntime after last heard');
  t.is(s.phase, 'active');
});

test('the log line of a change comes before taking the VIPs (the runtime publishes while it awaits them)', (t) => {
  const [, effects] = run([START, { type: 'TimerFired', now: 30000, timer: 'initdead' }]);
  const kinds = effects.map((e) => (e.type === 'Log' ? `Log:${e.msg}` : e.type));
  const toActive = effects.findIndex((e) => e.type === 'Log' && e.msg === 'state change' && e.fields?.to === 'active');
  t.true(toActive >= 0, kinds.join(' '));
  t.true(toActive < kinds.indexOf('AcquireResources'), kinds.join(' '));
});

test('init + first advert from an active peer: standby, no takeover', (t) => {
  const [s, effects] = run([START, peer(1000, { state: 'active' })], { priority: 200 });
  t.is(s.phase, 'standby');
  t.is(find(effects, 'AcquireResources'), undefined);
});

test('initdead without the peer: declared dead, active if eligible', (t) => {
  const [s, effects] = run([START, { type: 'TimerFired', now: 30000, timer: 'initdead' }]);
  t.deepEqual(types(effects), ['PeerChanged', 'StateChanged', 'AcquireResources', 'StateChanged', 'SendAdvert']);
  t.is(s.phase, 'active');
  const [s2] = run([START, { type: 'TimerFired', now: 30000, timer: 'initdead' }], { pingConfigured: 1 });
  t.is(s2.phase, 'standby', 'no ping node reachable: stay standby');
});

test('deadline: warn at warntime, dead at deadtime, takeover; lazy re-arming', (t) => {
  const [s0] = run([START, peer(1000, { state: 'active' })], { priority: 50 });
  t.is(s0.phase, 'standby');
  const [s1, e1] = step(s0, peer(2000, { state: 'active' }));
  t.deepEqual(types(e1), [], 'a later advert does not re-arm the armed deadline');
  const [s2, e2] = step(s1, { type: 'TimerFired', now: 6000, timer: 'deadline' });
  t.deepEqual(e2, [{ type: 'ArmTimer', timer: 'deadline', at: 7000 }], 'fired early: re-arm for the real warntime');
  const [s3, e3] = step(s2, { type: 'TimerFired', now: 7000, timer: 'deadline' });
  t.deepEqual(e3, [{ type: 'PeerChanged', status: 'warn' }, { type: 'ArmTimer', timer: 'deadline', at: 12000 }]);
  const [s4, e4] = step(s3, { type: 'TimerFired', now: 12000, timer: 'deadline' });
  t.deepEqual(types(e4), ['LinkChanged', 'PeerChanged', 'AcquireResources', 'StateChanged', 'SendAdvert']);
  t.is(s4.phase, 'active');
  const [, e5] = step(s4, peer(13000));
  t.deepEqual(types(e5), ['LinkChanged', 'PeerChanged', 'ArmTimer'], 'peer back, resources stay');
});

test('failback waits preempt_delay on the active side; the better standby waits for the release', (t) => {
  const settings = { autoFailback: true, preemptDelayMs: 5000 };
  const [onB] = run([START, { type: 'TimerFired', now: 30000, timer: 'initdead' }], { ...settings, self: 'lb2', peer: 'lb1' });
  t.is(onB.phase, 'active');
  const owner = { ...PEER, node: 'lb1' };
  const [b1, e1] = step(onB, { type: 'AdvertReceived', now: 31000, link: 'udp:eth0', advert: owner });
  t.deepEqual(find(e1, 'ArmTimer'), { type: 'ArmTimer', timer: 'preempt', at: 36000 });
  t.is(b1.phase, 'active');
  const [b2, e2] = step(b1, { type: 'TimerFired', now: 36000, timer: 'preempt' });
  t.deepEqual(types(e2), ['ReleaseResources', 'CancelTimer', 'StateChanged', 'SendAdvert']);
  t.is(b2.phase, 'standby');
  const [a1, ea] = run([START, peer(31000, { state: 'active' })], settings);
  t.is(a1.phase, 'standby', 'owner sees the peer active and waits');
  t.is(find(ea, 'AcquireResources'), undefined);
  t.is(step(a1, peer(36010))[0].phase, 'active', 'takes over once the peer says standby');
});

test('a failback that stops being one cancels the preempt timer', (t) => {
  const settings = { autoFailback: true, preemptDelayMs: 5000, self: 'lb2', peer: 'lb1' };
  const [b] = run([START, { type: 'TimerFired', now: 30000, timer: 'initdead' }], settings);
  const owner = { ...PEER, node: 'lb1' };
  const [b1] = step(b, { type: 'AdvertReceived', now: 31000, link: 'udp:eth0', advert: owner });
  const [b2, e2] = step(b1, { type: 'AdvertReceived', now: 32000, link: 'udp:eth0', advert: { ...owner, healthy: false } });
  t.deepEqual(types(e2), ['CancelTimer']);
  t.is(b2.preemptAt, null);
});

test('manual standby and takeover', (t) => {
  const [s1, e1] = step(ACTIVE, { type: 'StandbyRequested', now: 2000 });
  t.deepEqual(types(e1), ['ReleaseResources', 'StateChanged', 'SendAdvert']);
  t.like(find(e1, 'SendAdvert')?.advert, { state: 'standby', manualEpoch: 1, manualNode: 'lb2' });
  const [s2] = step(s1, peer(2500, { state: 'active', manualEpoch: 1, manualNode: 'lb2' }));
  const [s3, e3] = step(s2, { type: 'TakeoverRequested', now: 3000 });
  t.deepEqual(types(e3), ['SendAdvert'], 'the peer still advertises active: wait for its release');
  t.like(find(e3, 'SendAdvert')?.advert, { state: 'standby', manualEpoch: 2, manualNode: 'lb1' });
  const [s4, e4] = step(s3, peer(3010, { state: 'standby', manualEpoch: 2, manualNode: 'lb1' }));
  t.deepEqual(types(e4), ['AcquireResources', 'StateChanged', 'SendAdvert']);
  t.is(s4.phase, 'active');
});

test('manual standby is refused when the peer is dead; in init too', (t) => {
  const [alone] = run([START, { type: 'TimerFired', now: 30000, timer: 'initdead' }]);
  const [s, e] = step(alone, { type: 'StandbyRequested', now: 30001 });
  t.is(s, alone);
  t.like(e[0], { type: 'Log', level: 'warn', msg: 'standby refused: the peer is dead' });
  t.like(run([START, { type: 'StandbyRequested', now: 1 }])[1][0], { type: 'Log', level: 'warn' });
});

test('the peer\'s higher manual record is adopted; a dead target is cleared', (t) => {
  const [s1] = step(ACTIVE, peer(2000, { manualEpoch: 7, manualNode: 'lb2' }));
  t.deepEqual(s1.manual, { epoch: 7, node: 'lb2' });
  t.is(s1.phase, 'standby');
  const [s2] = step(s1, { type: 'TimerFired', now: 12000, timer: 'deadline' });
  t.deepEqual(s2.manual, { epoch: 8, node: '' });
  t.is(s2.phase, 'active');
});

test('ping and track changes re-advertise at once', (t) => {
  const [, e1] = step(ACTIVE, { type: 'PingChanged', now: 1500, reachable: 1 });
  t.deepEqual(types(e1), ['SendAdvert']);
  const [s2, e2] = step(ACTIVE, { type: 'TrackChanged', now: 1500, ok: false });
  t.deepEqual(types(e2), ['ReleaseResources', 'StateChanged', 'SendAdvert']);
  t.like(find(e2, 'SendAdvert')?.advert, { healthy: false, state: 'standby' });
  t.is(s2.phase, 'standby');
});

test('StopRequested releases, says stopped, cancels every timer; then nothing', (t) => {
  const [s, effects] = step(ACTIVE, { type: 'StopRequested', now: 2000 });
  t.deepEqual(types(effects), ['ReleaseResources', 'StateChanged', 'SendAdvert', 'CancelTimer', 'CancelTimer', 'CancelTimer', 'CancelTimer']);
  t.like(find(effects, 'SendAdvert')?.advert, { state: 'stopped' });
  t.is(s.phase, 'stopped');
  t.deepEqual(step(s, peer(2100))[1], []);
  t.deepEqual(step(s, { type: 'TimerFired', now: 3000, timer: 'keepalive' })[1], []);
});

test('a peer advertising stopped is treated as gone: immediate takeover', (t) => {
  const [s0] = run([START, peer(1000, { state: 'active' })], { priority: 50 });
  const [s1, e1] = step(s0, peer(1500, { state: 'stopped' }));
  t.is(s1.phase, 'active');
  t.truthy(find(e1, 'AcquireResources'));
});

test('adverts from a third node are dropped with a warning', (t) => {
  const [s, e] = step(ACTIVE, { ...peer(1500), advert: { ...PEER, node: 'intruder' } } as ElectionEvent);
  t.is(s, ACTIVE);
  t.like(e[0], { type: 'Log', level: 'warn', fields: { node: 'intruder' } });
});

test('a second link is tracked on its own', (t) => {
  const [s1, e1] = step(ACTIVE, peer(1500, {}, 'serial:/dev/ttyS0'));
  t.deepEqual(e1, [{ type: 'LinkChanged', link: 'serial:/dev/ttyS0', up: true }]);
  const [s2] = step(s1, peer(7000));
  const [, e3] = step(s2, { type: 'TimerFired', now: 11500, timer: 'deadline' });
  t.deepEqual(types(e3), ['LinkChanged', 'ArmTimer'], 'serial dead, udp still up: peer not even warned');
  t.like(e3[0], { link: 'serial:/dev/ttyS0', up: false });
});
