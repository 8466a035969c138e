import test from 'ava';
import { parseNetworkConfig } from '../../runtime/netconf/parse';
import { factoryConfigText, firstNic } from './factory';

test('first NIC: ethernet, not virtual, natural name order; factory text', (t) => {
  const l = (name: string, kind = '', linkType = 'ether') => ({ name, kind, linkType });
  t.is(firstNic([l('lo', '', 'loopback'), l('eth10'), l('eth2'), l('bond0', 'bond'), l('br0', 'bridge')]), 'eth2');
  t.is(firstNic([l('enp3s0'), l('eno1')]), 'eno1');
  t.is(firstNic([l('lo', '', 'loopback')]), null);
  const c = parseNetworkConfig(factoryConfigText('eth0'), 'factory').config;
  t.deepEqual(c.links.map((x) => [x.name, x.addresses.map((a) => `${a.address}/${a.prefix}`)]), [['eth0', ['192.168.2.21/24']]]);
  t.deepEqual(parseNetworkConfig(factoryConfigText(null), 'factory').config.links, []);
});
