import test from 'ava';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { repoRoot } from '../../runtime/cli';
import { parseNetworkConfig } from '../../runtime/netconf/parse';
import { renderConfig } from '../../runtime/netconf/render';
import { factoryConfigText } from './factory';
import { applyWizardSettings } from './wizard-edit';

const full = readFileSync(path.join(repoRoot(), 'services', 'runtime', 'netconf', '__fixtures__', 'network.conf.full'), 'utf8');

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
