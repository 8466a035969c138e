import test from 'ava';
import { parseNetworkConfig } from '../../runtime/netconf/parse';
import { fakeLink } from '../ports/fake-net';
import { desiredFromConfig } from './desired';
import { EMPTY_OWNED, type LiveState } from './model';
import { featuresNeeded, probe, withoutBlocked, type KernelSupport } from './probe';

const desired = (text: string) => desiredFromConfig(parseNetworkConfig(text, 'f').config);
const live = (...names: string[]): LiveState => ({ links: names.map((n) => fakeLink(n)), addresses: [], routes: [], resolvConf: null, hostname: { kernel: 'x', file: null } });
const ALL: KernelSupport = { vlan: true, bond: true };
const NONE: KernelSupport = { vlan: false, bond: false };

test('a kernel without 802.1Q or bonding: specific codes and messages', (t) => {
  const d = desired('interface eth1\nvlan eth1.100 eth1 100\nbond bond0 active-backup eth2 eth3\n');
  const p = probe(live('eth1', 'eth2', 'eth3'), d, EMPTY_OWNED, NONE);
  t.deepEqual(p.map((x) => x.code), ['KERNEL_NO_VLAN', 'KERNEL_NO_BOND']);
  t.regex(p[0]?.message ?? '', /^this kernel has no 802\.1Q VLAN support .*eth1\.100/);
  t.regex(p[1]?.message ?? '', /^this kernel has no bonding support .*bond0/);
  t.deepEqual(probe(live('eth1', 'eth2', 'eth3'), d, EMPTY_OWNED, ALL), []);
});

test('features are needed only for links that do not exist yet', (t) => {
  const l = live('eth1');
  l.links.push(fakeLink('eth1.100', { kind: 'vlan', vlan: { parent: 'eth1', id: 100 } }));
  t.deepEqual(featuresNeeded(l, desired('interface eth1\nvlan eth1.100 eth1 100\n')), { vlan: false, bond: false });
  t.deepEqual(featuresNeeded(live('eth1'), desired('interface eth1\nvlan eth1.100 eth1 100\n')), { vlan: true, bond: false });
});

test('missing interfaces and bond slaves are named with what exists', (t) => {
  const p = probe(live('lo', 'eth0', 'eth7'), desired('interface eth0\ninterface eth5\nbond bond0 active-backup eth6 eth7\n'), EMPTY_OWNED, ALL);
  t.deepEqual(p.map((x) => x.message), ['interface eth5 does not exist on this unit (present: eth0, eth7)', 'interface eth6 does not exist on this unit (present: eth0, eth7)']);
});

test('a name taken by an interface nicd did not make; an MTU the driver refuses', (t) => {
  const l = live('eth0', 'eth0.5');
  l.links[0]!.maxMtu = 1500;
  const p = probe(l, desired('interface eth0\n mtu 9000\nvlan eth0.5 eth0 5\n'), EMPTY_OWNED, ALL);
  t.deepEqual(p.map((x) => x.code), ['MTU_UNSUPPORTED', 'LINK_CONFLICT']);
  t.regex(p[0]?.message ?? '', /eth0 accepts an MTU of at most 1500 \(asked for 9000\)/);
  t.regex(p[1]?.message ?? '', /eth0\.5 already exists \(veth\) and was not made by nicd/);
});

test('boot without what is blocked: dependants go too, a refused MTU goes alone', (t) => {
  const d = desired('interface eth0\n address 10.0.0.1/24\n mtu 9000\n gateway 10.0.0.254\ninterface eth5\n address 10.5.0.1/24\n route 10.55.0.0/16 via 10.5.0.254\nvlan eth5.7 eth5 7\nbond bond0 active-backup eth6 eth7\nvlan bond0.8 bond0 8\n');
  const l = live('eth0', 'eth7');
  l.links[0]!.maxMtu = 1500;
  const problems = probe(l, d, EMPTY_OWNED, ALL);
  t.deepEqual(problems.map((p) => [p.code, p.links]), [['IFACE_MISSING', ['eth5']], ['IFACE_MISSING', ['eth6']], ['MTU_UNSUPPORTED', ['eth0']]]);
  const r = withoutBlocked(d, problems);
  t.deepEqual(r.skipped, ['eth5', 'eth5.7', 'bond0', 'bond0.8']);
  t.deepEqual(r.desired.links.map((x) => [x.name, x.mtu, x.addresses.length]), [['eth0', null, 1]]);
  t.deepEqual(r.desired.routes.map((x) => x.dev), ['eth0']);
  t.deepEqual(probe(l, r.desired, EMPTY_OWNED, ALL), [], 'what is left can be applied');
});
