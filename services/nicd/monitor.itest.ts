/**
 * Link monitoring: the veth peer (the "switch port") going down and up
 * reaches D-Bus as LinkChanged and PropertiesChanged(Interfaces) within 1 s
 * (measured), and so does an address added or removed by another process.
 * Speed and duplex come from sysfs.
 */
import test from 'ava';
import { NicdUnit, lastNicdLog } from './testing/nicd-harness';
import { fromTuple, type InterfaceTuple } from './adapters/dbus-api';
import type { InterfaceView } from './core/link-events';
import { run } from '../../scripts/sim/exec';

test.afterEach.always((t) => {
  if (!t.passed) t.log(lastNicdLog());
});

const LIMIT_MS = 1000;

interface Seen {
  at: number;
  what: string;
}

/** Everything nicd signals, timestamped on arrival. */
async function listen(u: NicdUnit): Promise<{ seen: Seen[]; waitFor(what: RegExp, sinceMs: number, timeoutMs?: number): Promise<number> }> {
  const p = await u.proxy();
  const seen: Seen[] = [];
  p.iface.on('LinkChanged', (name: string, carrier: boolean) => seen.push({ at: Date.now(), what: `LinkChanged ${name} ${carrier}` }));
  p.iface.on('AddressChanged', (name: string, cidr: string, present: boolean) => seen.push({ at: Date.now(), what: `AddressChanged ${name} ${cidr} ${present}` }));
  p.onChanged((changed) => {
    const list = changed.Interfaces as InterfaceTuple[] | undefined;
    if (list === undefined) return;
    for (const v of list.map(fromTuple)) seen.push({ at: Date.now(), what: `Interfaces ${v.name} carrier=${v.carrier} ${v.addresses.join(',')}` });
  });
  const waitFor = async (what: RegExp, sinceMs: number, timeoutMs = 3000): Promise<number> => {
    const end = Date.now() + timeoutMs;
    for (;;) {
      const hit = seen.find((s) => s.at >= sinceMs && what.test(s.what));
      if (hit !== undefined) return hit.at - sinceMs;
      if (Date.now() > end) throw new Error(`no ${String(what)} within ${timeoutMs} ms; seen:\n${seen.map((s) => s.what).join('\n')}`);
      await new Promise((r) => setTimeout(r, 5));
    }
  };
  return { seen, waitFor };
}

async function interfaces(u: NicdUnit): Promise<InterfaceView[]> {
  return ((await u.props()).Interfaces as InterfaceTuple[]).map(fromTuple);
}

test('carrier down/up of the veth peer reaches D-Bus in under 1 s, as LinkChanged and PropertiesChanged', async (t) => {
  const u = await NicdUnit.start({ config: 'interface eth2\n    address 10.2.0.1/24\n', nics: ['eth2'] });
  t.teardown(() => u.stop());
  const eth2 = (await interfaces(u)).find((i) => i.name === 'eth2');
  t.like(eth2, { kind: 'veth', carrier: true, adminUp: true, operstate: 'up', mtu: 1500, speedMbps: 10000, duplex: 'full' });
  t.regex(eth2?.mac ?? '', /^([0-9a-f]{2}:){5}[0-9a-f]{2}$/);
  t.deepEqual(eth2?.addresses.filter((a) => !a.startsWith('fe80')), ['10.2.0.1/24']);
  const l = await listen(u);
  for (const [state, carrier] of [['down', false], ['up', true], ['down', false], ['up', true]] as const) {
    const t0 = Date.now();
    await run('ip', ['-n', u.ns, 'link', 'set', 'eth2p', state]);
    const signal = await l.waitFor(new RegExp(`^LinkChanged eth2 ${carrier}$`), t0);
    const prop = await l.waitFor(new RegExp(`^Interfaces eth2 carrier=${carrier} `), t0);
    t.log(`peer ${state}: LinkChanged after ${signal} ms, PropertiesChanged after ${prop} ms`);
    t.true(signal < LIMIT_MS, `LinkChanged took ${signal} ms`);
    t.true(prop < LIMIT_MS, `PropertiesChanged took ${prop} ms`);
  }
  t.like((await interfaces(u)).find((i) => i.name === 'eth2'), { carrier: true, operstate: 'up' });
});

test('an address added and removed by another process reaches D-Bus in under 1 s; nicd leaves it alone', async (t) => {
  const u = await NicdUnit.start({ config: 'interface eth2\n    address 10.2.0.1/24\n', nics: ['eth2'] });
  t.teardown(() => u.stop());
  const l = await listen(u);
  let t0 = Date.now();
  await run('ip', ['-n', u.ns, 'addr', 'add', '10.2.0.100/24', 'dev', 'eth2']);
  const added = await l.waitFor(/^AddressChanged eth2 10\.2\.0\.100\/24 true$/, t0);
  const prop = await l.waitFor(/^Interfaces eth2 carrier=true .*10\.2\.0\.100\/24/, t0);
  t.true(added < LIMIT_MS && prop < LIMIT_MS, `added: signal ${added} ms, property ${prop} ms`);
  t.deepEqual(await u.call('Plan', 'interface eth2\n    address 10.2.0.1/24\n'), [], 'not in the plan: not nicd\'s');
  t0 = Date.now();
  await run('ip', ['-n', u.ns, 'addr', 'del', '10.2.0.100/24', 'dev', 'eth2']);
  const removed = await l.waitFor(/^AddressChanged eth2 10\.2\.0\.100\/24 false$/, t0);
  t.true(removed < LIMIT_MS, `removed: ${removed} ms`);
  t.false((await interfaces(u)).find((i) => i.name === 'eth2')?.addresses.includes('10.2.0.100/24'));
});

test('a NIC that appears later is published with its carrier', async (t) => {
  const u = await NicdUnit.start({ config: null, nics: [] });
  t.teardown(() => u.stop());
  const l = await listen(u);
  const t0 = Date.now();
  await run('ip', ['-n', u.ns, 'link', 'add', 'eth5', 'type', 'veth', 'peer', 'name', 'eth5p']);
  await l.waitFor(/^LinkChanged eth5 false$/, t0);
  t.true((await interfaces(u)).some((i) => i.name === 'eth5'));
});
