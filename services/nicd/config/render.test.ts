import test from 'ava';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { repoRoot } from '../../runtime/cli';
import { parseNetworkConfig } from './parse';
import { renderConfig, renderResolvConf, withGeneration, withoutGeneration } from './render';
import { factoryConfigText, firstNic } from './factory';
import { applyWizardSettings } from './wizard-edit';
import type { NetConfig } from './types';

const full = readFileSync(path.join(repoRoot(), 'services', 'nicd', 'config', '__fixtures__', 'network.conf.full'), 'utf8');

/** A config without line numbers, to compare two parses of different texts. */
const shape = (c: NetConfig): unknown => JSON.parse(JSON.stringify({ ...c, file: '' }, (k, v: unknown) => (k === 'line' ? undefined : v)));

test('render -> parse gives the same config', (t) => {
  const a = parseNetworkConfig(full, 'a').config;
  const text = renderConfig(a, ['header']);
  t.true(text.startsWith('# header\ngeneration 12\nhostname lbmaster\n'));
  t.deepEqual(shape(parseNetworkConfig(text, 'b').config), shape(a));
});

test('withGeneration replaces every generation line by one on top and keeps comments', (t) => {
  const text = '# mine\ngeneration 3\ninterface eth0 # the LAN\n  address 10.0.0.1/24\n  generation 9\n';
  t.is(withGeneration(text, 4), 'generation 4\n# mine\ninterface eth0 # the LAN\n  address 10.0.0.1/24\n');
  t.is(withGeneration('interface eth0', 1), 'generation 1\ninterface eth0\n');
  t.is(withoutGeneration(withGeneration(text, 4)), withoutGeneration(withGeneration(text, 5)));
});

test('resolv.conf from dns and search; none when the config names neither', (t) => {
  const c = parseNetworkConfig('dns 192.0.2.53 2001:db8::53\nsearch example.com b.example.com\n', 'f').config;
  t.is(renderResolvConf(c)?.split('\n').filter((l) => !l.startsWith('#')).join('\n'), 'nameserver 192.0.2.53\nnameserver 2001:db8::53\nsearch example.com b.example.com\n');
  t.is(renderResolvConf(parseNetworkConfig('interface eth0\n', 'f').config), null);
});

test('first NIC: ethernet, not virtual, natural name order; factory text', (t) => {
  const l = (name: string, kind = '', linkType = 'ether') => ({ name, kind, linkType });
  t.is(firstNic([l('lo', '', 'loopback'), l('eth10'), l('eth2'), l('bond0', 'bond'), l('br0', 'bridge')]), 'eth2');
  t.is(firstNic([l('enp3s0'), l('eno1')]), 'eno1');
  t.is(firstNic([l('lo', '', 'loopback')]), null);
  const c = parseNetworkConfig(factoryConfigText('eth0'), 'factory').config;
  t.deepEqual(c.links.map((x) => [x.name, x.addresses.map((a) => `${a.address}/${a.prefix}`)]), [['eth0', ['192.168.2.21/24']]]);
  t.deepEqual(parseNetworkConfig(factoryConfigText(null), 'factory').config.links, []);
});

test('wizard edit: replaces the IPv4 side of the management interface only', (t) => {
  const base = parseNetworkConfig(full, 'a').config;
  const { config, droppedRoutes } = applyWizardSettings(base, { iface: 'eth0', address: { address: '192.168.67.23', prefix: 18, family: 4 }, gateway: '192.168.64.1', dns: ['192.168.64.1'] });
  const eth0 = config.links.find((l) => l.name === 'eth0')!;
  t.deepEqual(eth0.addresses.map((a) => `${a.address}/${a.prefix}`), ['192.168.67.23/18', '2001:db8:2::21/64']);
  t.deepEqual(eth0.gateways.map((g) => g.via), ['192.168.64.1', 'fe80::1']);
  t.deepEqual(droppedRoutes, ['10.50.0.0/16 via 192.168.2.254']);
  t.deepEqual(config.dns.map((d) => d.address), ['192.168.64.1']);
  t.is(config.links.length, base.links.length, 'other interfaces kept');
  t.is(config.hostname?.value, 'lbmaster');
  t.is(config.generation, 12, 'the edit is based on the generation in force');
  t.notThrows(() => parseNetworkConfig(renderConfig(config), 'edited'));
  t.is(base.links[0]!.addresses.length, 3, 'the base config is not modified');
});

test('wizard edit on the factory default and on a config without that interface', (t) => {
  const w = { iface: 'eth0', address: { address: '10.9.0.21', prefix: 24, family: 4 as const }, gateway: '10.9.0.1', dns: ['10.9.0.53', '2001:db8::53'] };
  const f = applyWizardSettings(parseNetworkConfig(factoryConfigText('eth0'), 'f').config, w).config;
  t.deepEqual(f.links.map((l) => [l.name, l.addresses.map((a) => a.address)]), [['eth0', ['10.9.0.21']]]);
  const other = applyWizardSettings(parseNetworkConfig('interface eth1\n address 10.1.0.1/24\n gateway 10.1.0.254\n', 'f').config, w).config;
  t.deepEqual(other.links.map((l) => [l.name, l.gateways.map((g) => g.via)]), [['eth0', ['10.9.0.1']], ['eth1', []]], 'one IPv4 default gateway, now on eth0');
});
