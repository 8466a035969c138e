/**
 * The steps as one `ip -batch`, against a real kernel (a unit's network
 * namespace): steps found already done are passed over, the first real
 * failure stops the batch and names its step and iproute2's message, and
 * nothing after it runs. The live state is then read back in one `ip` call
 * (links, addresses, IPv4 and IPv6 routes).
 */
import test from 'ava';
import * as path from 'node:path';
import { SimPair } from '../../../scripts/sim/pair';
import { run } from '../../../scripts/sim/exec';
import type { Step } from '../core/model';

interface Outcome {
  done: number[];
  failed: { index: number; message: string } | null;
  network: { links: { name: string; adminUp: boolean }[]; addresses: { ifname: string; address: string; prefix: number }[]; routes: { family: number; dst: string; via: string; dev: string; protocol: string }[] };
}

/** Runs the steps with runIpSteps in the namespace, then reads the network back. */
async function runInNamespace(ns: string, steps: Step[]): Promise<Outcome> {
  const script = `
    const m = require(${JSON.stringify(path.join(__dirname, 'iproute2.js'))});
    const done = [];
    m.runIpSteps(JSON.parse(process.argv[1]), (i) => done.push(i))
      .then(() => null, (e) => ({ index: e.index, message: e.message }))
      .then(async (failed) => console.log(JSON.stringify({ done, failed, network: await m.readNetwork() })));`;
  const r = await run('ip', ['netns', 'exec', ns, process.execPath, '-e', script, JSON.stringify(steps)], { timeoutMs: 30_000 });
  return JSON.parse(r.stdout) as Outcome;
}

test('a batch of steps: already-done ones passed over, the first failure stops it, the live state read back in one call', async (t) => {
  const pair = await SimPair.create({ serial: false, buses: false, addresses: false });
  t.teardown(() => pair.teardown());
  const ns = pair.units[0].ns;
  const v4 = { address: '198.18.0.1', prefix: 24, family: 4 as const };
  const steps: Step[] = [
    { kind: 'SetLinkDown', name: 'eth1' },
    { kind: 'AddAddress', ifname: 'eth0', cidr: v4 },
    { kind: 'AddAddress', ifname: 'eth0', cidr: v4 }, // already there: passed over
    { kind: 'AddAddress', ifname: 'eth0', cidr: { address: 'fd00:5b::1', prefix: 64, family: 6 } },
    { kind: 'AddRoute', route: { family: 4, dst: 'default', via: '198.18.0.254', dev: 'eth0' } },
    { kind: 'AddRoute', route: { family: 6, dst: 'default', via: 'fd00:5b::fe', dev: 'eth0' } },
    { kind: 'RemoveRoute', route: { family: 4, dst: '10.9.0.0/16', via: '198.18.0.254', dev: 'eth0' } }, // not there: passed over
    { kind: 'AddAddress', ifname: 'nosuch0', cidr: { address: '198.18.9.1', prefix: 24, family: 4 } },
    { kind: 'SetLinkUp', name: 'eth1' }, // after the failure: must not run
  ];
  const out = await runInNamespace(ns, steps);
  t.deepEqual(out.done, [0, 1, 2, 3, 4, 5, 6]);
  t.is(out.failed?.index, 7);
  t.regex(out.failed?.message ?? '', /^ip addr add 198\.18\.9\.1\/24 brd \+ dev nosuch0: .*Cannot find device "nosuch0"/);
  const { links, addresses, routes } = out.network;
  t.false(links.find((l) => l.name === 'eth1')?.adminUp, 'the step after the failure did not run');
  t.deepEqual(addresses.filter((a) => a.ifname === 'eth0' && !a.address.startsWith('fe80')).map((a) => `${a.address}/${a.prefix}`).sort(), ['198.18.0.1/24', 'fd00:5b::1/64']);
  t.deepEqual(routes.map((r) => `${r.family} ${r.dst} via ${r.via} dev ${r.dev} ${r.protocol}`).sort(), [
    '4 default via 198.18.0.254 dev eth0 static',
    '6 default via fd00:5b::fe dev eth0 static',
  ]);

  // Removing what was made, in one batch again: the defaults are named 0.0.0.0/0 and ::/0 to iproute2.
  const undo = await runInNamespace(ns, [
    { kind: 'RemoveRoute', route: { family: 6, dst: 'default', via: 'fd00:5b::fe', dev: 'eth0' } },
    { kind: 'RemoveRoute', route: { family: 4, dst: 'default', via: '198.18.0.254', dev: 'eth0' } },
    { kind: 'RemoveAddress', ifname: 'eth0', cidr: v4 },
    { kind: 'SetLinkUp', name: 'eth1' },
  ]);
  t.deepEqual(undo.done, [0, 1, 2, 3]);
  t.is(undo.failed, null);
  t.deepEqual(undo.network.routes, []);
  t.true(undo.network.links.find((l) => l.name === 'eth1')?.adminUp);
  t.deepEqual(undo.network.addresses.filter((a) => a.ifname === 'eth0' && !a.address.startsWith('fe80')).map((a) => a.address), ['fd00:5b::1']);
});
