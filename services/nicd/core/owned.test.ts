import test from 'ava';
import { parseNetworkConfig } from '../../runtime/netconf/parse';
import { desiredFromConfig } from './desired';
import { EMPTY_OWNED, type LiveState, type Owned, type Step } from './model';
import { adopt, foreignIn, ownedAfterApply, ownedAfterStep, ownedIntent, without } from './owned';

const v4 = (address: string, prefix: number) => ({ address, prefix, family: 4 as const });

test('steps add and forget what they make and remove', (t) => {
  const steps: Step[] = [
    { kind: 'AddAddress', ifname: 'eth0', cidr: v4('10.0.0.1', 24) },
    { kind: 'AddRoute', route: { family: 4, dst: 'default', via: '10.0.0.254', dev: 'eth0' } },
    { kind: 'CreateVlan', name: 'eth0.5', parent: 'eth0', id: 5 },
    { kind: 'AddAddress', ifname: 'eth0.5', cidr: v4('10.5.0.1', 24) },
    { kind: 'AddRoute', route: { family: 4, dst: '10.6.0.0/16', via: '10.5.0.254', dev: 'eth0.5' } },
  ];
  const o = steps.reduce(ownedAfterStep, EMPTY_OWNED);
  t.deepEqual(o, { addresses: ['eth0.5|10.5.0.1/24', 'eth0|10.0.0.1/24'], routes: ['4|10.6.0.0/16|10.5.0.254|eth0.5', '4|default|10.0.0.254|eth0'], links: ['eth0.5'] });
  const gone = ownedAfterStep(o, { kind: 'DeleteLink', name: 'eth0.5' });
  t.deepEqual(gone, { addresses: ['eth0|10.0.0.1/24'], routes: ['4|default|10.0.0.254|eth0'], links: [] }, 'deleting a link forgets its addresses and routes');
  t.deepEqual(ownedAfterStep(gone, { kind: 'RemoveAddress', ifname: 'eth0', cidr: v4('10.0.0.1', 24) }).addresses, []);
});

test('after an apply everything the config names is owned (adopted)', (t) => {
  const d = desiredFromConfig(parseNetworkConfig('interface eth0\n address 10.0.0.1/24\n gateway 10.0.0.254\nbond bond0 active-backup eth1 eth2\n', 'f').config);
  t.deepEqual(adopt(EMPTY_OWNED, d), { addresses: ['eth0|10.0.0.1/24'], routes: ['4|default|10.0.0.254|eth0'], links: ['bond0'] });
  t.deepEqual(ownedAfterApply(EMPTY_OWNED, [], d), adopt(EMPTY_OWNED, d));
});

test('the intent record holds what a plan is about to add, before it runs', (t) => {
  const o = ownedIntent(EMPTY_OWNED, [
    { kind: 'RemoveAddress', ifname: 'eth0', cidr: v4('10.9.0.1', 24) },
    { kind: 'AddAddress', ifname: 'eth0', cidr: v4('10.0.0.1', 24) },
    { kind: 'SetLinkUp', name: 'eth0' },
  ]);
  t.deepEqual(o.addresses, ['eth0|10.0.0.1/24']);
});

test('a rollback leaves what was live and foreign before the change it undoes', (t) => {
  const before: LiveState = {
    links: [],
    addresses: [
      { ifname: 'eth0', ...v4('192.168.2.100', 24), scope: 'global', tentative: false },
      { ifname: 'eth0', ...v4('192.168.2.21', 24), scope: 'global', tentative: false },
      { ifname: 'eth0', address: 'fe80::1', prefix: 64, family: 6, scope: 'link', tentative: false },
    ],
    routes: [],
    resolvConf: null,
    hostname: { kernel: 'x', file: null },
  };
  const ownedBefore: Owned = { addresses: ['eth0|192.168.2.21/24'], routes: [], links: [] };
  const foreign = foreignIn(before, ownedBefore);
  t.deepEqual(foreign.addresses, ['eth0|192.168.2.100/24'], 'link-local is never listed');
  // The candidate adopted the VIP by naming it; the rollback must not remove it.
  const ownedNow: Owned = { addresses: ['eth0|192.168.2.100/24', 'eth0|192.168.2.21/24', 'eth0|192.168.2.50/24'], routes: [], links: [] };
  t.deepEqual(without(ownedNow, foreign).addresses, ['eth0|192.168.2.21/24', 'eth0|192.168.2.50/24']);
});
