import test from 'ava';
import { fakeLink } from '../ports/fake-net';
import { diffSnapshots, interfacesView, type LinkSnapshot } from './link-events';

const a = (ifname: string, address: string, prefix: number) => ({ ifname, address, prefix, family: (address.includes(':') ? 6 : 4) as 4 | 6, scope: 'global', tentative: false });

const before: LinkSnapshot = {
  links: [fakeLink('lo', { linkType: 'loopback', kind: '' }), fakeLink('eth0', { kind: '' }), fakeLink('eth1', { speedMbps: null, duplex: null })],
  addresses: [a('eth0', '10.0.0.1', 24), a('eth1', '10.1.0.1', 24)],
};

test('carrier changes, addresses by others, links that come and go', (t) => {
  const after: LinkSnapshot = {
    links: [before.links[0]!, { ...before.links[1]!, carrier: false, operstate: 'lowerlayerdown' }, fakeLink('eth2', { carrier: false })],
    addresses: [a('eth0', '10.0.0.1', 24), a('eth0', '10.0.0.100', 24)],
  };
  t.deepEqual(diffSnapshots(before, after), [
    { type: 'CarrierChanged', name: 'eth0', carrier: false },
    { type: 'LinkAdded', name: 'eth2', carrier: false },
    { type: 'LinkRemoved', name: 'eth1' },
    { type: 'AddressAdded', ifname: 'eth0', cidr: '10.0.0.100/24' },
    { type: 'AddressRemoved', ifname: 'eth1', cidr: '10.1.0.1/24' },
  ]);
  t.deepEqual(diffSnapshots(before, before), []);
});

test('the published view: no lo, physical NICs called ethernet, unknown speed as null', (t) => {
  const v = interfacesView(before);
  t.deepEqual(v.map((i) => [i.name, i.kind, i.speedMbps, i.addresses]), [
    ['eth0', 'ethernet', 10000, ['10.0.0.1/24']],
    ['eth1', 'veth', null, ['10.1.0.1/24']],
  ]);
});
