/**
 * Sources over real D-Bus: a stand-in org.freedesktop.systemd1 on a
 * test-owned permissive dbus-daemon, and com.lbos services on a bus with
 * the appliance's own policy (scripts/sim/bus.ts). The real systemd cannot
 * be tested here: this machine does not run systemd as PID 1 (README).
 */
import test from 'ava';
import { mkdtempSync, rmSync } from 'node:fs';
import { busNamesOf, connectSystemBus, exportObject, ownName, type MessageBus } from '../runtime/dbus';
import { startOpenBus, startPrivateBus } from '../../scripts/sim/bus';
import { POLICY_FILE } from '../../scripts/sim/pair';
import { SystemdStandIn } from './testing/systemd-stand-in';
import { StandIns } from '../../scripts/sim/stand-ins';
import { FeedClient, login, request, startTestStatusd, type TestStatusd } from './testing/harness';
import { getAt } from './core/json';
import type { JsonObject } from './core/json';

interface Rig {
  s: TestStatusd;
  feed: FeedClient;
  lbosBus: string;
  openBus: string;
  /** The stand-in systemd's own connection. */
  systemdBus: MessageBus;
  fake: SystemdStandIn;
  at(...path: string[]): unknown;
  waitAt(path: string[], value: unknown, timeoutMs?: number): Promise<number>;
}

const UNITS = ['hbd.service', 'nicd.service', 'paneld.service'];

async function rig(t: import('ava').ExecutionContext): Promise<Rig> {
  const dir = mkdtempSync('/tmp/statusd-sources-');
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  const open = await startOpenBus(dir);
  t.teardown(() => open.stop());
  const lbos = await startPrivateBus(dir, POLICY_FILE());
  t.teardown(() => void lbos.child.kill('SIGTERM'));
  const systemdSide = await connectSystemBus(open.address);
  t.teardown(() => systemdSide.disconnect());
  const fake = await SystemdStandIn.start(systemdSide, { 'hbd.service': { restarts: 2 }, 'nicd.service': { active: 'failed', sub: 'failed' } });
  const bus = await connectSystemBus(lbos.address);
  const sdBus = await connectSystemBus(open.address);
  t.teardown(() => {
    bus.disconnect();
    sdBus.disconnect();
  });
  const s = await startTestStatusd({ bus, systemdBus: sdBus, config: { units: UNITS, sources: ['hbd', 'csyncd'] } });
  t.teardown(() => s.stop());
  const { cookie } = await login(s.base, s.password);
  const feed = FeedClient.open(s.feedUrl, { cookie });
  t.teardown(() => feed.close());
  await feed.opened;
  const state = (): JsonObject => s.app.hub.state;
  const r: Rig = {
    s, feed, lbosBus: lbos.address, openBus: open.address, systemdBus: systemdSide, fake,
    at: (...path) => getAt(state(), path),
    waitAt: async (path, value, timeoutMs = 3000) => {
      const t0 = Date.now();
      const want = JSON.stringify(value);
      // Through the client: the change has to reach the feed, not just the hub.
      await feed.until(`${path.join('.')} = ${want}`, () => JSON.stringify(getAt(state(), path)) === want && feed.seq === s.app.hub.seq, timeoutMs);
      return Date.now() - t0;
    },
  };
  return r;
}

test('systemd: unit states after Subscribe(); ActiveState changes reach the feed by signal', async (t) => {
  const r = await rig(t);
  await r.waitAt(['systemd', 'units', 'hbd.service'], { load: 'loaded', active: 'active', sub: 'running', restarts: 2 });
  await r.waitAt(['systemd', 'units', 'nicd.service', 'active'], 'failed');
  await r.waitAt(['systemd', 'units', 'paneld.service'], { load: 'not-found', active: 'inactive', sub: 'dead', restarts: 0 });
  t.is(r.fake.subscribes, 1);
  t.is(r.at('systemd', 'connected'), true);
  r.fake.set('nicd.service', { active: 'active', sub: 'running', restarts: 1 });
  const ms = await r.waitAt(['systemd', 'units', 'nicd.service'], { load: 'loaded', active: 'active', sub: 'running', restarts: 1 }, 1000);
  t.log(`PropertiesChanged -> feed client: ${ms} ms`);
  const delta = r.feed.messages.filter((m) => m.t === 'delta').map((m) => JSON.stringify(m.changes)).find((c) => c.includes('nicd.service'));
  t.truthy(delta, 'the change came as a delta');
});

test('systemd: the restart button calls RestartUnit and the job shows up in the feed', async (t) => {
  const r = await rig(t);
  await r.waitAt(['systemd', 'units', 'hbd.service', 'active'], 'active');
  const { cookie, csrf } = await login(r.s.base, r.s.password);
  const res = await request(r.s.base, 'POST', '/api/units/restart', { body: { unit: 'hbd.service' }, headers: { cookie, 'x-csrf-token': csrf } });
  t.is(res.status, 202);
  t.deepEqual(r.fake.restartCalls, ['hbd.service']);
  await r.feed.until('activating then active', () => {
    const states = r.feed.messages.flatMap((m) => (m.t === 'delta' ? (m.changes as { path: string[]; value: unknown }[]) : []))
      .filter((c) => c.path.join('.') === 'systemd.units.hbd.service.active').map((c) => c.value);
    return states.includes('activating') && states.at(-1) === 'active';
  });
  t.like(r.s.logs.find((l) => l.audit === 'restart-unit'), { result: 'ok', target: 'hbd.service' });
});

test('systemd restarting (the name changes owner): statusd subscribes again and re-reads', async (t) => {
  const r = await rig(t);
  await r.waitAt(['systemd', 'units', 'hbd.service', 'active'], 'active');
  // As systemd going away: the name is released (a disconnect now could cut a reply in flight).
  r.fake.stop();
  await r.systemdBus.releaseName('org.freedesktop.systemd1');
  await r.waitAt(['systemd'], { connected: false, units: {} });
  const again = await connectSystemBus(r.openBus);
  t.teardown(async () => {
    await r.s.stop(); // first: a call of statusd still in flight would be answered on a closed connection
    again.disconnect();
  });
  const fake2 = await SystemdStandIn.start(again, { 'hbd.service': { active: 'activating', sub: 'start', restarts: 3 } });
  await r.waitAt(['systemd', 'units', 'hbd.service'], { load: 'loaded', active: 'activating', sub: 'start', restarts: 3 });
  t.is(fake2.subscribes, 1);
  t.is(r.at('systemd', 'connected'), true);
});

test('appliance sources come and go: absent = not running, picked up on NameOwnerChanged, followed, gone again', async (t) => {
  const r = await rig(t);
  await r.waitAt(['csyncd'], { running: false });
  await r.waitAt(['hbd'], { running: false });
  const svc: MessageBus = await connectSystemBus(r.lbosBus);
  t.teardown(() => svc.disconnect());
  const names = busNamesOf('csyncd');
  const obj = exportObject(svc, names.path, {
    iface: names.iface,
    properties: {
      Status: { signature: 's', initial: 'orange' },
      Reason: { signature: 's', initial: 'peer not checked yet' },
      Services: { signature: 'a(sss)', initial: [['haproxy', 'unknown', '']] },
      PeerReachable: { signature: 'b', initial: false },
      LastCheck: { signature: 'x', initial: 0n },
      AutoSync: { signature: 'b', initial: true },
    },
    methods: {},
  });
  await ownName(svc, names.name);
  await r.waitAt(['csyncd', 'status'], 'orange');
  t.like(r.at('csyncd'), { running: true, reason: 'peer not checked yet', services: [{ name: 'haproxy', state: 'unknown', detail: '' }] });
  obj.update({ Status: 'green', Reason: 'in sync', PeerReachable: true });
  await r.waitAt(['csyncd', 'status'], 'green', 1000);
  t.is(r.at('csyncd', 'peerReachable'), true);
  await svc.releaseName(names.name);
  await r.waitAt(['csyncd'], { running: false });
  t.true(r.s.logs.some((l) => l.source === 'csyncd' && l.msg === 'source on the bus'));
});

test('hbd config warnings reach the feed (the System Overview shows them as an alert)', async (t) => {
  const r = await rig(t);
  await r.waitAt(['hbd'], { running: false });
  const standIns = new StandIns(r.lbosBus);
  t.teardown(() => standIns.stop());
  const warning: [string, string] = ['SINGLE_MEDIUM_NO_PING', '/etc/ha.d/ha.cf:3: ucast: one heartbeat medium (ucast eth1) and no ping node'];
  await standIns.startHbd({ Warnings: [warning] });
  await r.waitAt(['hbd', 'warnings'], [{ code: warning[0], message: warning[1] }]);
  t.like(r.at('hbd'), { running: true, state: 'active', warnings: [{ code: 'SINGLE_MEDIUM_NO_PING' }] });
});
