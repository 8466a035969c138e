import test from 'ava';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { repoRoot } from '../cli';
import { ConfigError, formatProblem } from '../config/problems';
import { parseNetworkConfig } from './parse';

const FIXTURES = path.join(repoRoot(), 'services', 'runtime', 'netconf', '__fixtures__');
const fixture = (name: string): string => readFileSync(path.join(FIXTURES, name), 'utf8');

/** The formatted problems of a file that must be refused. */
function problemsOf(text: string, file = 'network.conf'): string[] {
  try {
    parseNetworkConfig(text, file);
  } catch (e) {
    if (e instanceof ConfigError) return e.problems.map(formatProblem);
    throw e;
  }
  throw new Error('expected a ConfigError');
}

test('the full example parses: globals, blocks, VLAN, bond, lines kept', (t) => {
  const { config, warnings } = parseNetworkConfig(fixture('network.conf.full'), 'network.conf');
  t.deepEqual(warnings, []);
  t.is(config.generation, 12);
  t.is(config.hostname?.value, 'lbmaster');
  t.deepEqual(config.dns.map((d) => d.address), ['192.168.2.53', '2001:db8:2::53']);
  t.deepEqual(config.search.map((s) => s.domain), ['example.com', 'lan.example.com']);
  t.deepEqual(config.links.map((l) => [l.name, l.kind, l.line]), [
    ['eth0', 'ethernet', 8],
    ['eth1', 'ethernet', 17],
    ['eth1.100', 'vlan', 21],
    ['bond0', 'bond', 25],
    ['eth4', 'ethernet', 29],
  ]);
  const eth0 = config.links[0]!;
  t.deepEqual(eth0.addresses.map((a) => `${a.address}/${a.prefix}@${a.line}`), ['192.168.2.21/24@9', '192.168.2.22/24@10', '2001:db8:2::21/64@11']);
  t.deepEqual(eth0.gateways.map((g) => [g.via, g.family]), [['192.168.2.1', 4], ['fe80::1', 6]]);
  t.deepEqual(eth0.routes.map((r) => [`${r.dst.address}/${r.dst.prefix}`, r.via]), [['10.50.0.0/16', '192.168.2.254']]);
  t.deepEqual(config.links[2]!.vlan, { parent: 'eth1', id: 100 });
  t.deepEqual(config.links[3]!.bond, { mode: 'active-backup', slaves: ['eth2', 'eth3'] });
  t.is(config.links[4]!.admin.value, 'down');
  t.is(config.links[1]!.mtu?.value, 9000);
});

test('IPv6 addresses are read in canonical form', (t) => {
  const { config } = parseNetworkConfig('interface eth0\n address 2001:DB8:0:0::21/64\n gateway 2001:db8::0:1\n', 'f');
  t.is(config.links[0]!.addresses[0]!.address, '2001:db8::21');
  t.is(config.links[0]!.gateways[0]!.via, '2001:db8::1');
});

test('overlapping subnets on different interfaces: both lines named', (t) => {
  t.deepEqual(problemsOf(fixture('network.conf.overlap')), [
    'network.conf:4: address: subnet 192.168.2.0/25 of eth1 overlaps 192.168.2.0/24 of eth0 (line 2): a subnet belongs to one interface',
  ]);
});

test('a gateway on no configured subnet', (t) => {
  t.deepEqual(problemsOf(fixture('network.conf.gateway-off-subnet')), [
    'network.conf:3: gateway: gateway 192.168.3.1 is not on any configured subnet of eth0 (192.168.2.0/24)',
  ]);
  const moved = problemsOf('interface eth0\n address 10.0.0.1/24\n gateway 10.1.0.1\ninterface eth1\n address 10.1.0.2/24\n');
  t.regex(moved[0] ?? '', /:3: gateway: .*10\.1\.0\.1 is not on a subnet of eth0 but of eth1 \(10\.1\.0\.0\/24\)/);
  t.regex(problemsOf('interface eth0\n gateway 10.0.0.1\n')[0] ?? '', /eth0 has no IPv4 address/);
});

test('invalid CIDRs: each line, each reason', (t) => {
  t.deepEqual(problemsOf(fixture('network.conf.invalid-cidr')), [
    'network.conf:2: address: "192.168.2.300" is not an IPv4 or IPv6 address',
    'network.conf:3: address: prefix of "192.168.2.21/33": 33 is out of range (allowed 0..32)',
    'network.conf:4: address: "192.168.2.21" has no /prefix (e.g. 192.0.2.10/24)',
  ]);
});

test('the same address twice, also across interfaces and prefixes', (t) => {
  t.deepEqual(problemsOf(fixture('network.conf.duplicate')), ['network.conf:4: address: duplicate address 192.168.2.21: already on eth0 (line 2)']);
});

test('MTU out of range, and too small for IPv6', (t) => {
  t.deepEqual(problemsOf(fixture('network.conf.mtu-range')), [
    'network.conf:3: mtu: 1200 is too small for IPv6 (2001:db8::21/64 on line 2): IPv6 needs at least 1280',
    'network.conf:5: mtu: 9600 is out of range (allowed 68..9000)',
    'network.conf:7: mtu: 60 is out of range (allowed 68..9000)',
  ]);
});

test('every problem of a bad file at once, in line order', (t) => {
  const p = problemsOf(fixture('network.conf.many-problems'));
  const expected: [number, RegExp][] = [
    [1, /hostname: "-bad-" is not a hostname/],
    [2, /dns: 192\.0\.2\.4: at most 3 DNS servers/],
    [3, /adress: unknown directive; did you mean "address"\?/],
    [6, /address: fe80::5 is link-local/],
    [7, /gateway: gateway 10\.0\.0\.1 is this unit's own address/],
    [8, /route: 10\.60\.0\.1\/16 has host bits set: did you mean 10\.60\.0\.0\/16\?/],
    [9, /route: next hop 10\.9\.9\.9 is not on any configured subnet of eth0/],
    [11, /down: contradicts `up` on line 10/],
    [12, /interface: eth0 is already configured on line 4/],
    [13, /vlan: VLAN id: 5000 is out of range \(allowed 1\.\.4094\)/],
    [13, /vlan: parent eth9 is not configured/],
    [14, /bond: mode "round-robin" is not one of active-backup, 802\.3ad/],
    [14, /bond: slave eth5 is listed twice/],
    [14, /bond: slave eth5 is also configured on line 15/],
  ];
  t.is(p.length, expected.length, p.join('\n'));
  expected.forEach(([line, re], i) => {
    t.true((p[i] ?? '').startsWith(`network.conf:${line}: `), p[i]);
    t.regex(p[i] ?? '', re);
  });
});

test('block structure: a block directive outside a block, wrong arity, a top-level directive ends a block', (t) => {
  t.deepEqual(problemsOf('address 10.0.0.1/24\n'), ['network.conf:1: address: outside a block: put it under an `interface NAME` (or vlan/bond) line']);
  t.regex(problemsOf('interface\n')[0] ?? '', /wrong number of arguments; usage: interface NAME/);
  t.regex(problemsOf('interface eth0\nhostname a\n  mtu 1500\n')[0] ?? '', /:3: mtu: outside a block/);
  t.regex(problemsOf('interface lo\n')[0] ?? '', /loopback/);
  t.regex(problemsOf('interface eth0\n route default via 10.0.0.1\n')[0] ?? '', /write the default route as `gateway IP`/);
});

test('gateways: one per family per interface, one default per family in all', (t) => {
  const p = problemsOf('interface eth0\n address 10.0.0.1/24\n gateway 10.0.0.254\n gateway 10.0.0.253\ninterface eth1\n address 10.1.0.1/24\n gateway 10.1.0.254\n');
  t.regex(p[0] ?? '', /:4: gateway: a second IPv4 gateway on eth0; the first is on line 3/);
  t.regex(p[1] ?? '', /:7: gateway: a second IPv4 default gateway; the first is on line 3 \(eth0\)/);
});

test('a link that is down carries no gateway, route or IPv6 address', (t) => {
  const p = problemsOf('interface eth0\n down\n address 10.0.0.1/24\n address 2001:db8::1/64\n gateway 10.0.0.254\n');
  t.deepEqual(p.map((x) => x.split(':')[1]), ['4', '5']);
  t.regex(p[0] ?? '', /kernel drops IPv6 addresses of a link that is down/);
});

test('VLANs and bonds: parents, slaves, MTU against the parent, one-slave warning', (t) => {
  const p = problemsOf('interface eth1\n mtu 1500\nvlan v1 eth1 7\n mtu 9000\nvlan v2 eth1 7\nvlan v3 v1 8\nbond bond0 802.3ad eth2\nvlan v4 eth2 9\n');
  t.regex(p.join('\n'), /:4: mtu: 9000 is larger than the MTU of parent eth1 \(1500\)/);
  t.regex(p.join('\n'), /:5: vlan: VLAN 7 on eth1 is already defined on line 3/);
  t.regex(p.join('\n'), /:6: vlan: parent v1 is itself a VLAN/);
  t.regex(p.join('\n'), /:8: vlan: parent eth2 is a slave of bond0: put the VLAN on bond0/);
  const ok = parseNetworkConfig('bond bond0 802.3ad eth2\n address 10.0.0.1/24\n', 'f');
  t.deepEqual(ok.warnings.map(formatProblem), ['f:1: bond: bond0 has one slave: no redundancy']);
});

test('unusable host addresses are refused with the reason', (t) => {
  const p = problemsOf('interface eth0\n address 127.0.0.2/8\n address 224.0.0.1/24\n address 192.168.9.0/24\n address 192.168.8.255/24\n');
  t.regex(p[0] ?? '', /loopback/);
  t.regex(p[1] ?? '', /multicast/);
  t.regex(p[2] ?? '', /network or broadcast address of 192\.168\.9\.0\/24/);
  t.regex(p[3] ?? '', /network or broadcast address of 192\.168\.8\.0\/24/);
});

test('an empty network.conf parses, with a warning that it configures nothing', (t) => {
  for (const text of ['', '# nothing here\n\n', 'hostname lb1\n']) {
    const r = parseNetworkConfig(text, 'network.conf');
    t.deepEqual(r.warnings.map((w) => [w.code, w.message.split(':')[0]]), [['NO_INTERFACES', 'no interface, vlan or bond block']]);
  }
});

test('a 10 MB junk line and a control character are refused with short messages', (t) => {
  const err = t.throws(() => parseNetworkConfig(`interface eth0\n    address 192.0.2.1/24\f    mtu 9000\n${'n'.repeat(10 * 1024 * 1024)}\n`, 'network.conf'), { instanceOf: ConfigError });
  const lines = err.problems.map(formatProblem);
  t.regex(lines[0] ?? '', /^network\.conf:2: a form feed \(U\+000C\) at column 25/);
  t.regex(lines[1] ?? '', /^network\.conf:3: line is 10485760 characters long/);
  t.true(lines.every((l) => l.length < 300));
});
