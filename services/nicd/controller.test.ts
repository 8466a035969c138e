/**
 * Safe apply end to end on the strict fake kernel (ports/fake-net.ts), a
 * memory store and a hand-driven clock: commit confirmed, rollback by
 * deadline and by request, failures that restore, floating IPs kept.
 */
import test from 'ava';
import { createLogger } from '../runtime/log';
import { isAppError } from '../runtime/errors';
import { Controller, type ActiveConfig, type Clock } from './controller';
import { Reconciler } from './reconciler';
import { FakeNet } from './ports/fake-net';
import { MemoryStore } from './ports/store';
import { factoryDefault } from './boot-config';
import { parseNetworkConfig } from '../runtime/netconf/parse';
import { desiredFromConfig } from './core/desired';

class FakeClock implements Clock {
  t = 0;
  /** Fire timers this much early, as Node's millisecond timers can against performance.now(). */
  earlyMs = 0;
  private timers: { at: number; fn: () => void }[] = [];
  now(): number {
    return this.t;
  }
  wallNow(): number {
    return 1_700_000_000_000 + this.t;
  }
  setTimer(ms: number, fn: () => void): () => void {
    const timer = { at: this.t + ms - this.earlyMs, fn };
    this.timers.push(timer);
    return () => (this.timers = this.timers.filter((x) => x !== timer));
  }
  advance(ms: number): void {
    this.t += ms;
    const due = this.timers.filter((x) => x.at <= this.t);
    this.timers = this.timers.filter((x) => x.at > this.t);
    due.forEach((x) => x.fn());
  }
  get armed(): number {
    return this.timers.length;
  }
}

const log = createLogger({ service: 'nicd-test', level: 'silent' });

async function setup(initial?: ActiveConfig, links = ['eth0', 'eth1']) {
  const net = FakeNet.withLinks(links);
  const store = new MemoryStore();
  const clock = new FakeClock();
  const c = await Controller.start({ reconciler: new Reconciler(net, store, log), configFile: store, store, clock, log, onChange: () => undefined }, initial ?? factoryDefault(links[0] ?? null));
  const addrs = (ifname: string): string[] => net.live.addresses.filter((a) => a.ifname === ifname).map((a) => `${a.address}/${a.prefix}`).sort();
  return { net, store, clock, c, addrs };
}

/** The fake kernel's state in a form where order does not matter. */
const canonical = (net: FakeNet): string => JSON.stringify({ ...net.live, addresses: net.live.addresses.map((a) => JSON.stringify(a)).sort(), routes: net.live.routes.map((r) => JSON.stringify(r)).sort() });

const CONF_A = 'interface eth0\n address 10.0.0.1/24\n gateway 10.0.0.254\ninterface eth1\n address 10.1.0.1/24\n';
const CONF_B = 'interface eth0\n address 10.0.0.2/24\n gateway 10.0.0.254\ninterface eth1\n address 10.1.0.1/24\n address 2001:db8:1::1/64\n';

test('first boot: the factory default on the first NIC, generation 0, no file written', async (t) => {
  const { c, addrs, store } = await setup();
  t.deepEqual(addrs('eth0'), ['192.168.2.21/24']);
  t.like(c.status(), { generation: 0, source: 'factory-default', state: 'idle' });
  t.is(store.file, null);
});

test('apply without a timeout: in force and saved with the next generation; the same again is a no-op', async (t) => {
  const { c, addrs, store, net } = await setup();
  const r = await c.apply(CONF_A, 0, 'a.conf');
  t.like(r, { generation: 1, pending: false });
  t.deepEqual(addrs('eth0'), ['10.0.0.1/24'], 'the factory address nicd owned is gone');
  t.true(store.file?.startsWith('generation 1\ninterface eth0\n'));
  t.like(c.status(), { generation: 1, source: 'file' });
  const before = net.executed.length;
  const again = await c.apply(CONF_A, 60, 'a.conf');
  t.deepEqual(again, { generation: 1, steps: [], pending: false, pendingUntilWallMs: 0 });
  t.is(net.executed.length, before, 'nothing executed');
  t.deepEqual((await c.apply(store.file ?? '', 0, 'saved')).steps, [], 'the saved file (generation line and all) is the same config');
});

test('SIGHUP: the file is stamped with its generation, unless it was edited again while being applied', async (t) => {
  const { c, store, addrs } = await setup();
  store.file = CONF_A;
  await c.apply(CONF_A, 0, store.path, true);
  t.true(store.file.startsWith('generation 1\ninterface eth0\n'), 'unchanged since read: stamped');
  const edited = 'interface eth0\n address 10.0.0.300/24\n';
  store.file = edited; // the operator saved again after nicd read CONF_B
  await c.apply(CONF_B, 0, store.path, true);
  t.deepEqual(addrs('eth0'), ['10.0.0.2/24'], 'what was read is in force');
  t.is(store.file, edited, 'the newer edit is left as it is, not overwritten');
});

test('not confirmed in time: rolled back to the saved config, file untouched', async (t) => {
  const { c, addrs, store, clock } = await setup();
  await c.apply(CONF_A, 0, 'a');
  const saved = store.file;
  const r = await c.apply(CONF_B, 2, 'b');
  t.like(r, { generation: 2, pending: true, pendingUntilWallMs: clock.wallNow() + 2000 });
  t.deepEqual(addrs('eth0'), ['10.0.0.2/24']);
  t.like(c.status(), { state: 'pending', generation: 1, pendingGeneration: 2 });
  t.like(store.pending, { generation: 2, previousGeneration: 1 });
  t.is(store.file, saved);
  clock.advance(1999);
  await c.settled();
  t.is(c.status().state, 'pending');
  clock.advance(1);
  await c.settled();
  t.like(c.status(), { state: 'idle', generation: 1, pendingGeneration: 0, pendingUntilWallMs: 0 });
  t.deepEqual(addrs('eth0'), ['10.0.0.1/24']);
  t.deepEqual(addrs('eth1'), ['10.1.0.1/24']);
  t.regex(c.status().lastResult, /generation 2 rolled back \(not confirmed in time\): generation 1 restored/);
  t.is(store.file, saved);
  t.is(store.pending, null);
  t.like(await c.apply(CONF_B, 0, 'b'), { generation: 3 }, 'a rolled-back generation number is never reused');
});

test('confirmed in time: saved, and the deadline does nothing', async (t) => {
  const { c, addrs, store, clock } = await setup();
  await c.apply(CONF_A, 0, 'a');
  await c.apply(CONF_B, 2, 'b');
  t.is(await c.confirm(), 2);
  t.is(clock.armed, 0);
  clock.advance(5000);
  await c.settled();
  t.like(c.status(), { state: 'idle', generation: 2 });
  t.deepEqual(addrs('eth0'), ['10.0.0.2/24']);
  t.true(store.file?.startsWith('generation 2\n'));
  t.is(store.pending, null);
});

test('Rollback() at once; wrong-state requests are refused with their codes', async (t) => {
  const { c, addrs } = await setup();
  await c.apply(CONF_A, 0, 'a');
  await t.throwsAsync(c.confirm(), { message: /no change is waiting/, instanceOf: Error });
  await c.apply(CONF_B, 60, 'b');
  const refused = await c.apply(CONF_A, 0, 'a').catch((e: unknown) => e);
  t.true(isAppError(refused, 'PENDING_CONFIRMATION'));
  t.is(await c.rollback(), 1);
  t.deepEqual(addrs('eth0'), ['10.0.0.1/24']);
  const again = await c.rollback().catch((e: unknown) => e);
  t.true(isAppError(again, 'NOT_PENDING'));
});

test('a config based on an old generation is refused (compare and swap)', async (t) => {
  const { c } = await setup();
  await c.apply(CONF_A, 0, 'a');
  await c.apply(CONF_B, 0, 'b');
  const err = await c.apply(`generation 1\n${CONF_A}`, 0, 'stale').catch((e: unknown) => e);
  t.true(isAppError(err, 'GENERATION_CONFLICT'));
  t.like(await c.apply(`generation 2\n${CONF_A}`, 0, 'fresh'), { generation: 3 });
});

test('a step failing midway: the previous state is restored and the error says so', async (t) => {
  const { c, net, store } = await setup();
  await c.apply(CONF_A, 0, 'a');
  const before = canonical(net);
  const saved = store.file;
  net.failOn = (s) => s.kind === 'AddAddress' && s.cidr.family === 6;
  const err = await c.apply(CONF_B, 0, 'b').catch((e: unknown) => e);
  t.true(isAppError(err, 'APPLY_FAILED'));
  t.regex((err as Error).message, /"add address 2001:db8:1::1\/64 to eth1" failed: .*injected failure; the previous configuration was restored/);
  t.is(canonical(net), before);
  t.like(c.status(), { state: 'idle', generation: 1 });
  t.is(store.file, saved);
});

test('the kernel lacks VLANs: refused before anything runs', async (t) => {
  const { c, net } = await setup();
  net.kernel = { vlan: false, bond: true };
  const n = net.executed.length;
  const err = await c.apply('interface eth0\n address 10.0.0.9/24\nvlan eth0.5 eth0 5\n', 0, 'v').catch((e: unknown) => e);
  t.true(isAppError(err, 'KERNEL_NO_VLAN'));
  t.regex((err as Error).message, /this kernel has no 802\.1Q VLAN support[\s\S]*nothing was changed/);
  t.is(net.executed.length, n);
});

test('floating IPs: never removed, even when a rolled-back candidate had named one', async (t) => {
  const { c, net, addrs } = await setup();
  await c.apply(CONF_A, 0, 'a');
  net.live.addresses.push({ ifname: 'eth0', address: '10.0.0.100', prefix: 24, family: 4, scope: 'global', tentative: false });
  await c.apply(CONF_B, 0, 'b');
  t.deepEqual(addrs('eth0'), ['10.0.0.100/24', '10.0.0.2/24']);
  await c.apply(`${CONF_B.replace('10.0.0.2/24', '10.0.0.2/24\n address 10.0.0.100/24')}`, 30, 'names the VIP');
  await c.rollback();
  t.deepEqual(addrs('eth0'), ['10.0.0.100/24', '10.0.0.2/24'], 'the VIP survived the rollback');
});

test('restart while a change was pending: the saved config runs and LastResult says so', async (t) => {
  const store = new MemoryStore();
  store.pending = { generation: 5, previousGeneration: 4, untilWallMs: 0 };
  const net = FakeNet.withLinks(['eth0']);
  const text = `generation 4\n${CONF_A.split('interface eth1')[0] ?? ''}`;
  const config = parseNetworkConfig(text, 'saved').config;
  const c = await Controller.start({ reconciler: new Reconciler(net, store, log), configFile: store, store, clock: new FakeClock(), log, onChange: () => undefined }, { generation: 4, text, config, desired: desiredFromConfig(config), source: 'file' });
  t.regex(c.status().lastResult, /generation 5 was not confirmed before nicd stopped: rolled back to generation 4/);
  t.true(store.pending === null);
});

test('boot with a NIC missing: the rest is applied, and the NIC is configured when it appears', async (t) => {
  const text = 'interface eth0\n address 10.0.0.1/24\ninterface eth5\n address 10.5.0.1/24\n';
  const config = parseNetworkConfig(text, 'saved').config;
  const { c, net, addrs } = await setup({ generation: 3, text, config, desired: desiredFromConfig(config), source: 'file' }, ['eth0']);
  t.deepEqual(addrs('eth0'), ['10.0.0.1/24']);
  t.regex(c.status().lastResult, /generation 3 \(saved file\) applied at start without eth5 \(\d changes\): interface eth5 does not exist/);
  c.linkAppeared('eth9');
  await c.settled();
  t.deepEqual(addrs('eth5'), []);
  net.live.links.push(FakeNet.withLinks(['eth5']).live.links[0]!);
  c.linkAppeared('eth5');
  await c.settled();
  t.deepEqual(addrs('eth5'), ['10.5.0.1/24']);
  t.regex(c.status().lastResult, /generation 3 \(saved file\) applied when eth5 appeared \(\d changes\)/);
});

test('a rollback restores resolv.conf and the hostname that the previous config did not manage', async (t) => {
  const { c, net } = await setup();
  net.live.resolvConf = 'nameserver 192.0.2.1\n';
  await c.apply(CONF_A, 0, 'a');
  await c.apply(`hostname lbnew\ndns 192.0.2.53\n${CONF_A}`, 30, 'b');
  t.is(net.live.hostname.kernel, 'lbnew');
  t.regex(net.live.resolvConf ?? '', /nameserver 192\.0\.2\.53/);
  await c.rollback();
  t.is(net.live.resolvConf, 'nameserver 192.0.2.1\n');
  t.is(net.live.hostname.kernel, 'localhost');
});

test('a deadline timer that fires a little early does not leave the change pending forever', async (t) => {
  const { c, clock, addrs } = await setup();
  clock.earlyMs = 0.4;
  await c.apply(CONF_A, 0, 'a');
  await c.apply(CONF_B, 2, 'b');
  clock.advance(1999.7);
  await c.settled();
  t.is(c.status().state, 'pending', 'fired early: re-armed, still pending');
  clock.earlyMs = 0;
  clock.advance(0.3);
  await c.settled();
  t.is(c.status().state, 'idle');
  t.deepEqual(addrs('eth0'), ['10.0.0.1/24']);
});
