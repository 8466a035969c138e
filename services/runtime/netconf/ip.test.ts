import test from 'ava';
import {
  canonicalIp,
  fromBigint,
  isLinkLocal6,
  isV4NetworkOrBroadcast,
  netmaskToPrefix,
  networkText,
  subnetContains,
  subnetsOverlap,
  toBigint,
  unusableReason,
  type Cidr,
} from './ip';

const c = (address: string, prefix: number): Cidr => ({ address, prefix, family: address.includes(':') ? 6 : 4 });

test('canonical IPv6 text is RFC 5952, as ip -j prints it', (t) => {
  t.is(canonicalIp('2001:DB8:0:0:0:0:0:10'), '2001:db8::10');
  t.is(canonicalIp('2001:db8:0:1:0:0:0:1'), '2001:db8:0:1::1', 'the longest zero run is compressed');
  t.is(canonicalIp('2001:db8:0:1:1:1:1:1'), '2001:db8:0:1:1:1:1:1', 'a single zero group is not compressed');
  t.is(canonicalIp('::'), '::');
  t.is(canonicalIp('::1'), '::1');
  t.is(canonicalIp('fe80::1'), 'fe80::1');
  t.is(canonicalIp('::ffff:192.0.2.1'), '::ffff:c000:201');
  t.is(canonicalIp('192.0.2.1'), '192.0.2.1');
  t.is(canonicalIp('garbage'), 'garbage');
});

test('bigint round trip', (t) => {
  t.is(toBigint('10.0.0.1'), 0x0a000001n);
  t.is(fromBigint(0x0a000001n, 4), '10.0.0.1');
  t.is(fromBigint(toBigint('2001:db8::53'), 6), '2001:db8::53');
});

test('subnets: contains, overlap, network text', (t) => {
  t.true(subnetContains(c('192.168.2.21', 24), '192.168.2.1'));
  t.false(subnetContains(c('192.168.2.21', 24), '192.168.3.1'));
  t.false(subnetContains(c('192.168.2.21', 24), '2001:db8::1'));
  t.true(subnetContains(c('2001:db8:1::1', 64), '2001:db8:1::fe'));
  t.true(subnetsOverlap(c('10.0.0.1', 8), c('10.200.0.1', 24)));
  t.false(subnetsOverlap(c('10.0.0.1', 24), c('10.0.1.1', 24)));
  t.false(subnetsOverlap(c('10.0.0.1', 24), c('2001:db8::1', 64)));
  t.is(networkText(c('192.168.67.23', 18)), '192.168.64.0/18');
  t.is(networkText(c('2001:db8:1::1', 48)), '2001:db8:1::/48');
});

test('unusable addresses are explained', (t) => {
  t.is(unusableReason('192.0.2.1'), null);
  t.regex(unusableReason('127.0.0.1') ?? '', /loopback/);
  t.regex(unusableReason('224.0.0.5') ?? '', /multicast/);
  t.regex(unusableReason('0.1.2.3') ?? '', /0\.0\.0\.0\/8/);
  t.regex(unusableReason('fe80::1') ?? '', /link-local/);
  t.regex(unusableReason('ff02::1') ?? '', /multicast/);
  t.true(isLinkLocal6('fe80::abcd'));
  t.true(isLinkLocal6('febf::1'));
  t.false(isLinkLocal6('fec0::1'));
});

test('IPv4 network and broadcast addresses; netmasks', (t) => {
  t.true(isV4NetworkOrBroadcast(c('192.168.2.0', 24)));
  t.true(isV4NetworkOrBroadcast(c('192.168.2.255', 24)));
  t.false(isV4NetworkOrBroadcast(c('192.168.2.1', 24)));
  t.false(isV4NetworkOrBroadcast(c('192.168.2.0', 31)));
  t.is(netmaskToPrefix('255.255.192.0'), 18);
  t.is(netmaskToPrefix('255.255.255.255'), 32);
  t.is(netmaskToPrefix('0.0.0.0'), 0);
  t.is(netmaskToPrefix('255.0.255.0'), null);
});
