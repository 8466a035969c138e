/** Recorded `ip -j` output decodes into the live state; every step kind maps to the right command line. */
import test from 'ava';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { repoRoot } from '../../runtime/cli';
import { decodeAddresses, decodeLinks, decodeRoutes } from './ip-json';
import { batchFailure, stepCommands } from './iproute2';
import { decodeOwned } from './state-dir';
import type { Step } from '../core/model';

const fixture = (name: string): unknown => JSON.parse(readFileSync(path.join(repoRoot(), 'services', 'nicd', 'adapters', '__fixtures__', name), 'utf8'));

test('ip -j -d link: kind, flags, MTU limits, master; peers and bridges', (t) => {
  const links = decodeLinks(fixture('ip-link.json'));
  const by = new Map(links.map((l) => [l.name, l]));
  t.deepEqual(links.map((l) => l.name).sort(), ['br9', 'eth2', 'eth2p', 'eth3', 'eth3p', 'lo', 'mv0']);
  const eth2 = by.get('eth2')!;
  t.like(eth2, { kind: 'veth', linkType: 'ether', mtu: 1400, maxMtu: 65535, adminUp: true, carrier: true, operstate: 'up', master: null });
  t.regex(eth2.mac, /^([0-9a-f]{2}:){5}[0-9a-f]{2}$/);
  t.like(by.get('lo')!, { linkType: 'loopback', kind: '', maxMtu: null });
  t.like(by.get('eth3p')!, { master: 'br9' });
  t.like(by.get('br9')!, { kind: 'bridge' });
  t.like(by.get('mv0')!, { kind: 'macvlan', adminUp: false });
});

test('ip -j addr: canonical addresses with scope and tentative flag', (t) => {
  const a = decodeAddresses(fixture('ip-addr.json'));
  const eth2 = a.filter((x) => x.ifname === 'eth2').map((x) => `${x.address}/${x.prefix} ${x.scope}`);
  t.true(eth2.includes('10.1.0.1/24 global'));
  t.true(eth2.includes('2001:db8:1::1/64 global'));
  t.true(eth2.some((x) => x.startsWith('fe80::') && x.endsWith(' link')));
  t.true(a.some((x) => x.ifname === 'lo' && x.address === '127.0.0.1'));
});

test('ip -j route: only unicast routes with a gateway; host routes get /32; protocol defaults to boot', (t) => {
  const r4 = decodeRoutes(fixture('ip-route4.json'));
  t.deepEqual(r4.map((r) => `${r.dst} via ${r.via} dev ${r.dev} ${r.protocol}`), [
    'default via 10.1.0.254 dev eth2 static',
    '10.9.9.9/32 via 10.1.0.252 dev eth2 boot',
    '10.50.0.0/16 via 10.1.0.253 dev eth2 static',
  ]);
  t.deepEqual(decodeRoutes(fixture('ip-route6.json')).map((r) => `${r.family} ${r.dst} via ${r.via}`), ['6 default via fe80::1']);
  t.deepEqual(decodeLinks({ not: 'an array' }), []);
  t.deepEqual(decodeAddresses([{ ifname: 'x', addr_info: [{ family: 'inet', local: 'garbage', prefixlen: 1 }] }]), []);
});

const v4 = { address: '10.0.0.1', prefix: 24, family: 4 as const };
const table: [Step, string[]][] = [
  [{ kind: 'AddAddress', ifname: 'eth0', cidr: v4 }, ['ip addr add 10.0.0.1/24 brd + dev eth0']],
  [{ kind: 'AddAddress', ifname: 'eth0', cidr: { address: '2001:db8::1', prefix: 64, family: 6 } }, ['ip addr add 2001:db8::1/64 dev eth0']],
  [{ kind: 'RemoveAddress', ifname: 'eth0', cidr: v4 }, ['ip addr del 10.0.0.1/24 dev eth0']],
  [{ kind: 'AddRoute', route: { family: 4, dst: 'default', via: '10.0.0.254', dev: 'eth0' } }, ['ip route replace 0.0.0.0/0 via 10.0.0.254 dev eth0 proto static']],
  [{ kind: 'AddRoute', route: { family: 6, dst: '2001:db8:50::/48', via: 'fe80::1', dev: 'eth0' } }, ['ip route replace 2001:db8:50::/48 via fe80::1 dev eth0 proto static']],
  [{ kind: 'RemoveRoute', route: { family: 4, dst: 'default', via: '10.0.0.254', dev: 'eth0' } }, ['ip route del 0.0.0.0/0 via 10.0.0.254 dev eth0']],
  [{ kind: 'AddRoute', route: { family: 6, dst: 'default', via: 'fe80::1', dev: 'eth0' } }, ['ip route replace ::/0 via fe80::1 dev eth0 proto static']],
  [{ kind: 'CreateVlan', name: 'eth0.100', parent: 'eth0', id: 100 }, ['ip link add link eth0 name eth0.100 type vlan id 100']],
  [{ kind: 'CreateBond', name: 'bond0', mode: '802.3ad' }, ['ip link add name bond0 type bond mode 802.3ad miimon 100']],
  [{ kind: 'EnslaveLink', name: 'eth2', master: 'bond0' }, ['ip link set dev eth2 down', 'ip link set dev eth2 master bond0']],
  [{ kind: 'ReleaseSlave', name: 'eth2' }, ['ip link set dev eth2 nomaster']],
  [{ kind: 'DeleteLink', name: 'bond0' }, ['ip link del dev bond0']],
  [{ kind: 'SetMtu', name: 'eth0', mtu: 9000 }, ['ip link set dev eth0 mtu 9000']],
  [{ kind: 'SetLinkUp', name: 'eth0' }, ['ip link set dev eth0 up']],
  [{ kind: 'SetLinkDown', name: 'eth0' }, ['ip link set dev eth0 down']],
  [{ kind: 'WriteResolvConf', text: 'x' }, []],
  [{ kind: 'SetHostname', name: 'lb' }, []],
];

for (const [step, expected] of table) {
  test(`step ${step.kind} -> ${expected[0] ?? '(not iproute2)'}`, (t) => {
    t.deepEqual(stepCommands(step).map((args) => `ip ${args.join(' ')}`), expected);
  });
}

test('ip -j route show table all: both families in one list, each route taking its gateway\'s family; other tables and kinds skipped', (t) => {
  const all = [
    { type: 'unicast', dst: 'default', gateway: '10.0.2.2', dev: 'eth0', table: 'main', protocol: 'static' },
    { dst: '2001:db8:50::/48', gateway: 'fe80::1', dev: 'eth0', protocol: 'static' },
    { type: 'local', dst: '10.0.2.15', dev: 'eth0', table: 'local' },
    { dst: '10.0.2.0/24', dev: 'eth0', protocol: 'kernel' },
    { dst: '10.7.0.0/16', gateway: '10.0.2.3', dev: 'eth0', table: '100' },
    { dst: '10.8.0.0/16', gateway: 'not-an-address', dev: 'eth0' },
  ];
  t.deepEqual(decodeRoutes(all).map((r) => `${r.family} ${r.dst} via ${r.via} dev ${r.dev} ${r.protocol}`), [
    '4 default via 10.0.2.2 dev eth0 static',
    '6 2001:db8:50::/48 via fe80::1 dev eth0 static',
  ]);
});

test('ip -batch failures: the line and iproute2\'s message; anything else is not a batch failure', (t) => {
  t.deepEqual(batchFailure('Error: ipv4: Address already assigned.\nCommand failed -:2\n'), { line: 2, message: 'Error: ipv4: Address already assigned.' });
  t.deepEqual(batchFailure('RTNETLINK answers: File exists\nCommand failed -:13'), { line: 13, message: 'RTNETLINK answers: File exists' });
  t.deepEqual(batchFailure('Command failed -:1\n'), { line: 1, message: 'failed without a message' });
  t.is(batchFailure('spawn ip ENOENT'), null);
  t.is(batchFailure(''), null);
});

test('a damaged owned.json reads as empty (nicd then removes nothing it did not re-add)', (t) => {
  t.deepEqual(decodeOwned('{"addresses":["eth0|10.0.0.1/24"],"routes":[],"links":[]}'), { addresses: ['eth0|10.0.0.1/24'], routes: [], links: [] });
  t.deepEqual(decodeOwned('{"addr'), { addresses: [], routes: [], links: [] });
  t.deepEqual(decodeOwned('{"addresses":[1,2]}'), { addresses: [], routes: [], links: [] });
  t.deepEqual(decodeOwned(null), { addresses: [], routes: [], links: [] });
});
