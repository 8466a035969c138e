import test from 'ava';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { ConfigError, formatProblem } from '../../runtime/config/problems';
import { parseHaresources, parseResource } from './haresources';

const FIXTURES = path.resolve(__dirname, '../../../../services/hbd/config/__fixtures__');
const fixture = (name: string): string => readFileSync(path.join(FIXTURES, name), 'utf8');
const NODES = ['lbmaster', 'lbslave'];

test('Heartbeat v1 haresources with IPv4/IPv6 VIPs, a bare address and scripts', (t) => {
  const hr = parseHaresources(fixture('haresources.lbo'), '/etc/ha.d/haresources', NODES);
  t.deepEqual(hr, {
    owner: 'lbmaster',
    resources: [
      { kind: 'vip', address: '192.168.2.100', prefix: 24, family: 4, iface: 'eth0' },
      { kind: 'vip', address: '2001:db8:2::100', prefix: 64, family: 6, iface: 'eth0' },
      { kind: 'vip', address: '192.168.2.101', prefix: 24, family: 4, iface: 'eth0' },
      { kind: 'script', name: 'haproxy', args: [] },
      { kind: 'script', name: 'Foo', args: ['arg1', 'arg2'] },
    ],
  });
});

test('every problem with file:line', (t) => {
  const err = t.throws(() => parseHaresources(fixture('haresources.bad'), 'haresources', NODES), {
    instanceOf: ConfigError,
  });
  t.deepEqual(err.problems.map(formatProblem), [
    'haresources:1: IPaddr::10.0.0.100: 10.0.0.100 has no /prefix; hbd does not guess netmasks (e.g. 10.0.0.100/24)',
    'haresources:2: lbslave: active/active resource groups are not supported (line 1 gives lbmaster); list every resource after one owner',
    'haresources:3: IPaddr2::2001:db8:2::100/64: VIP 2001:db8:2::100 listed twice (lines 3 and 3)',
    'haresources:3: bad/name: "bad/name" is not a resource name (letters, digits, _ . -)',
    'haresources:4: nobody: owner is not one of the nodes (lbmaster, lbslave)',
    'haresources:4: IPaddr::2001:db8::5/64: IPaddr is IPv4 only; use IPaddr2 for 2001:db8::5',
    'haresources:4: IPaddr2::10.0.0.7/255.255.255.0: /255.255.255.0 is a netmask; write the prefix length (e.g. /24)',
    'haresources:4: IPaddr2::10.0.0.8/24/eth0:0: "eth0:0": interface aliases are not needed; write eth0',
  ]);
});

test('empty file and owner without resources', (t) => {
  const empty = t.throws(() => parseHaresources('# nothing\n', 'hr', NODES), { instanceOf: ConfigError });
  t.deepEqual(empty.problems.map(formatProblem), [
    'hr: no resource group: expected e.g. `lb1 IPaddr2::192.0.2.10/24/eth0 haproxy`',
  ]);
  const bare = t.throws(() => parseHaresources('LBSLAVE\n', 'hr', NODES), { instanceOf: ConfigError });
  t.deepEqual(bare.problems.map(formatProblem), ['hr:1: LBSLAVE: no resources listed']);
});

test('resource words', (t) => {
  t.deepEqual(parseResource('IPv6addr::2001:db8::1/64'), {
    ok: true,
    value: { kind: 'vip', address: '2001:db8::1', prefix: 64, family: 6 },
  });
  t.deepEqual(parseResource('10.0.0.1/32/10.0.0.1'), {
    ok: true,
    value: { kind: 'vip', address: '10.0.0.1', prefix: 32, family: 4 },
  });
  t.like(parseResource('IPv6addr::10.0.0.1/24'), { ok: false });
  t.like(parseResource('IPaddr2'), { ok: false, message: 'IPaddr2 needs an address, e.g. IPaddr2::192.0.2.10/24/eth0' });
  t.like(parseResource('IPaddr2::10.0.0.1/33'), { ok: false, message: 'prefix of 10.0.0.1: 33 is out of range (allowed 1..32)' });
  t.like(parseResource('IPaddr2::10.0.0.1/24/eth0/1.2.3.4/x'), { ok: false });
  t.like(parseResource('IPaddr2::10.0.0.1/24/10.0.0.255/eth0'), { ok: false, message: 'broadcast must come after the interface' });
  t.like(parseResource('Foo::a::'), { ok: false });
  t.deepEqual(parseResource('ldirectord::ldirectord.cf'), {
    ok: true,
    value: { kind: 'script', name: 'ldirectord', args: ['ldirectord.cf'] },
  });
});
