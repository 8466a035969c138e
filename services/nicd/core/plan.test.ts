/** Planner tables: given live + desired + owned, expect these steps (described); then re-planning is a no-op. */
import test from 'ava';
import { parseNetworkConfig } from '../../runtime/netconf/parse';
import { FakeNet, fakeLink } from '../ports/fake-net';
import { desiredFromConfig } from './desired';
import { describeStep, EMPTY_OWNED, type LiveState, type Owned } from './model';
import { ownedAfterApply } from './owned';
import { plan } from './plan';

const desired = (text: string) => desiredFromConfig(parseNetworkConfig(text, 'test').config);

function live(links: string[], extra: Partial<LiveState> = {}): LiveState {
  return { links: links.map((n, i) => fakeLink(n, { index: i + 1 })), addresses: [], routes: [], resolvConf: null, hostname: { kernel: 'localhost', file: null }, ...extra };
}

const addr = (ifname: string, cidr: string) => {
  const [address = '', prefix = ''] = cidr.split('/');
  return { ifname, address, prefix: Number(prefix), family: (address.includes(':') ? 6 : 4) as 4 | 6, scope: address.startsWith('fe80') ? 'link' : 'global', tentative: false };
};

/** Plan, check the steps, run them on a strict fake kernel, re-plan: must be empty. */
async function planApplyReplan(t: import('ava').ExecutionContext, l: LiveState, text: string, owned: Owned, expected: string[]): Promise<FakeNet> {
  const d = desired(text);
  const steps = plan(l, d, owned);
  t.deepEqual(steps.map(describeStep), expected);
  const net = new FakeNet(structuredClone(l));
  for (const s of steps) await net.execute(s);
  t.deepEqual(plan(await net.readLive(), d, ownedAfterApply(owned, steps, d)).map(describeStep), [], 're-plan after apply is empty');
  return net;
}

test('fresh interfaces: MTU, up, addresses v4+v6, default gateways and a route, resolv.conf, hostname; in order', async (t) => {
  const text = `hostname lb1
dns 192.0.2.53
interface eth2
  address 10.1.0.1/24
  address 2001:db8:1::1/64
  mtu 1400
  gateway 10.1.0.254
  gateway 2001:db8:1::fe
  route 10.50.0.0/16 via 10.1.0.253
interface eth3
  address 10.3.0.1/24
`;
  const l = live(['lo', 'eth2', 'eth3']);
  l.links[1]!.adminUp = false;
  await planApplyReplan(t, l, text, EMPTY_OWNED, [
    'set mtu of eth2 to 1400',
    'set eth2 up',
    'add address 10.1.0.1/24 to eth2',
    'add address 2001:db8:1::1/64 to eth2',
    'add address 10.3.0.1/24 to eth3',
    'add route default via 10.1.0.254 dev eth2',
    'add -6 route default via 2001:db8:1::fe dev eth2',
    'add route 10.50.0.0/16 via 10.1.0.253 dev eth2',
    'write resolv.conf',
    'set hostname to lb1',
  ]);
});

test('addresses nicd does not own are never removed (floating IPs, by hand); owned ones are', async (t) => {
  const l = live(['eth0'], { addresses: [addr('eth0', '192.168.2.21/24'), addr('eth0', '192.168.2.100/24'), addr('eth0', '10.7.0.1/24'), addr('eth0', 'fe80::1/64')] });
  const owned: Owned = { addresses: ['eth0|192.168.2.21/24', 'eth0|10.7.0.1/24', 'eth0|fe80::1/64'], routes: [], links: [] };
  const net = await planApplyReplan(t, l, 'interface eth0\n address 192.168.2.21/24\n', owned, ['remove address 10.7.0.1/24 from eth0']);
  t.deepEqual(net.live.addresses.map((a) => `${a.address}/${a.prefix}`), ['192.168.2.21/24', '192.168.2.100/24', 'fe80::1/64'], 'VIP and link-local stay');
});

test('an interface dropped from the config: only the addresses nicd owns there are removed', async (t) => {
  const l = live(['eth0', 'eth1'], { addresses: [addr('eth1', '10.1.0.1/24'), addr('eth1', '10.1.0.2/24')] });
  await planApplyReplan(t, l, 'interface eth0\n', { addresses: ['eth1|10.1.0.1/24'], routes: [], links: [] }, ['remove address 10.1.0.1/24 from eth1']);
});

test('a changed prefix is a remove and an add', async (t) => {
  const l = live(['eth0'], { addresses: [addr('eth0', '10.0.0.1/24')] });
  await planApplyReplan(t, l, 'interface eth0\n address 10.0.0.1/16\n', { addresses: ['eth0|10.0.0.1/24'], routes: [], links: [] }, ['remove address 10.0.0.1/24 from eth0', 'add address 10.0.0.1/16 to eth0']);
});

test('routes: an owned gateway that changed is replaced, a foreign route stays', async (t) => {
  const l = live(['eth0'], {
    addresses: [addr('eth0', '10.0.0.1/24')],
    routes: [
      { family: 4, dst: 'default', via: '10.0.0.254', dev: 'eth0', protocol: 'static' },
      { family: 4, dst: '10.99.0.0/16', via: '10.0.0.99', dev: 'eth0', protocol: 'boot' },
    ],
  });
  const owned: Owned = { addresses: ['eth0|10.0.0.1/24'], routes: ['4|default|10.0.0.254|eth0'], links: [] };
  const net = await planApplyReplan(t, l, 'interface eth0\n address 10.0.0.1/24\n gateway 10.0.0.253\n', owned, ['remove route default via 10.0.0.254 dev eth0', 'add route default via 10.0.0.253 dev eth0']);
  t.true(net.live.routes.some((r) => r.dst === '10.99.0.0/16'));
});

test('an existing foreign default route is taken over (the config names the gateway)', async (t) => {
  const l = live(['eth0'], { addresses: [addr('eth0', '10.0.0.1/24')], routes: [{ family: 4, dst: 'default', via: '10.0.0.7', dev: 'eth0', protocol: 'dhcp' }] });
  const net = await planApplyReplan(t, l, 'interface eth0\n address 10.0.0.1/24\n gateway 10.0.0.254\n', EMPTY_OWNED, ['add route default via 10.0.0.254 dev eth0']);
  t.deepEqual(net.live.routes.map((r) => r.via), ['10.0.0.254']);
});

test('VLAN and active-backup bond: bond, slaves (down, enslaved, up), VLAN, then addresses', async (t) => {
  const text = 'interface eth1\n mtu 9000\nvlan eth1.100 eth1 100\n address 10.100.0.1/24\nbond bond0 active-backup eth2 eth3\n address 10.20.0.1/24\n';
  await planApplyReplan(t, live(['eth1', 'eth2', 'eth3']), text, EMPTY_OWNED, [
    'create bond bond0 (active-backup)',
    'enslave eth2 to bond0',
    'enslave eth3 to bond0',
    'create VLAN eth1.100 (id 100 on eth1)',
    'set mtu of eth1 to 9000',
    'set eth2 up',
    'set eth3 up',
    'set bond0 up',
    'set eth1.100 up',
    'add address 10.100.0.1/24 to eth1.100',
    'add address 10.20.0.1/24 to bond0',
  ]);
});

test('VLAN on a bond: the bond comes first', async (t) => {
  const steps = plan(live(['eth2', 'eth3']), desired('bond bond0 802.3ad eth2 eth3\nvlan bond0.7 bond0 7\n address 10.7.0.1/24\n'), EMPTY_OWNED).map(describeStep);
  t.true(steps.indexOf('create bond bond0 (802.3ad)') < steps.indexOf('create VLAN bond0.7 (id 7 on bond0)'));
  t.true(steps.indexOf('set bond0 up') < steps.indexOf('set bond0.7 up'));
});

test('virtual links: changed mode/id recreated, removed ones deleted (VLANs first), foreign ones left', async (t) => {
  const l = live(['eth1', 'eth2', 'eth3']);
  l.links.push(fakeLink('bond0', { kind: 'bond', bond: { mode: 'active-backup' } }), fakeLink('eth1.5', { kind: 'vlan', vlan: { parent: 'eth1', id: 5 } }), fakeLink('eth1.6', { kind: 'vlan', vlan: { parent: 'eth1', id: 6 } }), fakeLink('theirs', { kind: 'vlan', vlan: { parent: 'eth1', id: 9 } }));
  l.links[1]!.master = 'bond0';
  l.links[2]!.master = 'bond0';
  const owned: Owned = { addresses: [], routes: [], links: ['bond0', 'eth1.5', 'eth1.6'] };
  const steps = plan(l, desired('interface eth1\nvlan eth1.6 eth1 66\nbond bond0 802.3ad eth2 eth3\n'), owned).map(describeStep);
  t.deepEqual(steps.slice(0, 3), ['delete interface eth1.5', 'delete interface eth1.6', 'delete interface bond0']);
  t.true(steps.includes('create bond bond0 (802.3ad)'));
  t.true(steps.includes('create VLAN eth1.6 (id 66 on eth1)'));
  t.false(steps.some((s) => s.includes('theirs')));
});

test('a slave removed from the bond config is released; one moved to an unmanaged state stays', async (t) => {
  const l = live(['eth2', 'eth3']);
  l.links.push(fakeLink('bond0', { kind: 'bond', bond: { mode: 'active-backup' } }));
  l.links[0]!.master = 'bond0';
  l.links[1]!.master = 'bond0';
  await planApplyReplan(t, l, 'bond bond0 active-backup eth2\n', { addresses: [], routes: [], links: ['bond0'] }, ['release eth3 from its bond']);
});

test('MTU order: a VLAN shrinks before its parent, grows after it', (t) => {
  const l = live(['eth1']);
  l.links[0]!.mtu = 9000;
  l.links.push(fakeLink('eth1.5', { kind: 'vlan', vlan: { parent: 'eth1', id: 5 }, mtu: 9000 }));
  const owned = { addresses: [], routes: [], links: ['eth1.5'] };
  t.deepEqual(plan(l, desired('interface eth1\n mtu 1500\nvlan eth1.5 eth1 5\n mtu 1400\n'), owned).map(describeStep), ['set mtu of eth1.5 to 1400', 'set mtu of eth1 to 1500']);
  l.links[0]!.mtu = 1500;
  l.links[1]!.mtu = 1500;
  t.deepEqual(plan(l, desired('interface eth1\n mtu 9000\nvlan eth1.5 eth1 5\n mtu 9000\n'), owned).map(describeStep), ['set mtu of eth1 to 9000', 'set mtu of eth1.5 to 9000']);
});

test('up/down and MTU are left alone when the config does not say; down when it does', async (t) => {
  const l = live(['eth0', 'eth4']);
  l.links[0]!.mtu = 1450;
  l.links[0]!.adminUp = true;
  await planApplyReplan(t, l, 'interface eth0\ninterface eth4\n down\n', EMPTY_OWNED, ['set eth4 down']);
});

test('resolv.conf and hostname: written only when different; left alone when the config says nothing', (t) => {
  const d = desired('hostname lb1\ndns 192.0.2.53\n');
  const same = live([], { resolvConf: d.resolvConf, hostname: { kernel: 'lb1', file: 'lb1\n' } });
  t.deepEqual(plan(same, d, EMPTY_OWNED), []);
  t.deepEqual(plan({ ...same, hostname: { kernel: 'lb1', file: null } }, d, EMPTY_OWNED).map(describeStep), ['set hostname to lb1']);
  t.deepEqual(plan(live([], { resolvConf: 'nameserver 1.1.1.1\n' }), desired('interface eth0\n'), EMPTY_OWNED).filter((s) => s.kind === 'WriteResolvConf'), []);
});

test('lo and link-local addresses are never planned for removal, even if recorded as owned', (t) => {
  const l = live(['lo', 'eth0'], { addresses: [addr('lo', '127.0.0.1/8'), addr('eth0', 'fe80::1/64')] });
  t.deepEqual(plan(l, desired('interface eth0\n'), { addresses: ['lo|127.0.0.1/8', 'eth0|fe80::1/64'], routes: [], links: [] }), []);
});
