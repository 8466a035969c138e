import test from 'ava';
import { parseNetworkConfig } from '../../runtime/netconf/parse';
import { renderConfig } from '../../runtime/netconf/render';
import { defaultGateway4, setDefaultGateway, setManagementAddress } from './net-edit';

const BASE = `hostname lb1
dns 192.168.2.53
interface eth0
    address 192.168.2.21/24
    address 2001:db8:2::21/64
    gateway 192.168.2.1
    route 10.50.0.0/16 via 192.168.2.254
interface eth1
    address 10.0.1.1/24
`;
const base = () => parseNetworkConfig(BASE, 'in force').config;

test('new address on the same subnet keeps gateway, routes and IPv6', (t) => {
  const e = setManagementAddress(base(), 'eth0', { address: '192.168.2.25', prefix: 24, family: 4 });
  const text = renderConfig(e.config);
  t.regex(text, /interface eth0\n {4}address 192\.168\.2\.25\/24\n {4}address 2001:db8:2::21\/64\n {4}gateway 192\.168\.2\.1\n {4}route 10\.50\.0\.0\/16 via 192\.168\.2\.254\n/);
  t.deepEqual(e.notes, []);
  t.notThrows(() => parseNetworkConfig(text, 'new'));
  t.is(defaultGateway4(base()), '192.168.2.1');
});

test('new subnet drops the gateway and routes that are off it, and says so', (t) => {
  const e = setManagementAddress(base(), 'eth0', { address: '10.9.0.5', prefix: 24, family: 4 });
  t.deepEqual(e.notes, ['gateway 192.168.2.1 is off the new subnet and was removed', 'route via 192.168.2.254 is off the new subnet and was removed']);
  t.is(defaultGateway4(e.config), null);
  t.notThrows(() => parseNetworkConfig(renderConfig(e.config), 'new'));
});

test('gateway replaced; an interface not yet in the file is added', (t) => {
  t.is(defaultGateway4(setDefaultGateway(base(), 'eth0', '192.168.2.2').config), '192.168.2.2');
  const e = setManagementAddress(parseNetworkConfig('', 'empty').config, 'eth0', { address: '198.18.0.1', prefix: 24, family: 4 });
  t.regex(renderConfig(e.config), /interface eth0\n {4}address 198\.18\.0\.1\/24\n/);
});
