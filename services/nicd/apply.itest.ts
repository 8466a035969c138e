/**
 * Apply by difference on real interfaces (veths in a unit namespace): several
 * IPv4/IPv6 addresses, MTU, default gateways v4+v6 and a static route,
 * resolv.conf and hostname; re-apply is a no-op; a floating IP added by
 * another process is left alone; factory default; restart and SIGHUP.
 */
import test from 'ava';
import { readFileSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import { NicdUnit, lastNicdLog } from './testing/nicd-harness';
import { waitFor } from '../../scripts/sim/exec';

test.afterEach.always((t) => {
  if (!t.passed) t.log(lastNicdLog());
});

const CONF = `hostname lbtest
dns 192.0.2.53 2001:db8::53
search example.com
interface eth2
    address 10.1.0.1/24
    address 10.1.1.1/24
    address 2001:db8:1::1/64
    address 2001:db8:1:1::1/64
    mtu 1400
    gateway 10.1.0.254
    gateway 2001:db8:1::fe
    route 10.50.0.0/16 via 10.1.0.253
    route 2001:db8:50::/48 via 2001:db8:1::fd
interface eth3
    address 10.3.0.1/24
    address 2001:db8:3::1/64
    mtu 9000
`;

async function started(t: import('ava').ExecutionContext, config: string | null, nics = ['eth2', 'eth3']): Promise<NicdUnit> {
  const u = await NicdUnit.start({ config, nics });
  t.teardown(() => u.stop());
  return u;
}

test('a config with several IPv4/IPv6 addresses, MTUs, default routes v4+v6 and static routes is applied at start', async (t) => {
  const hostBefore = os.hostname();
  const u = await started(t, CONF);
  t.deepEqual(await u.addrs('eth2'), ['10.1.0.1/24', '10.1.1.1/24', '2001:db8:1:1::1/64', '2001:db8:1::1/64']);
  t.deepEqual(await u.addrs('eth3'), ['10.3.0.1/24', '2001:db8:3::1/64']);
  t.is(await u.mtu('eth2'), 1400);
  t.is(await u.mtu('eth3'), 9000);
  t.deepEqual(await u.routes(), [
    '-4 10.50.0.0/16 via 10.1.0.253 dev eth2',
    '-4 default via 10.1.0.254 dev eth2',
    '-6 2001:db8:50::/48 via 2001:db8:1::fd dev eth2',
    '-6 default via 2001:db8:1::fe dev eth2',
  ]);
  const resolv = readFileSync(u.resolvConf, 'utf8');
  t.regex(resolv, /^nameserver 192\.0\.2\.53\nnameserver 2001:db8::53\nsearch example\.com\n$/m);
  t.is(readFileSync(u.hostnameFile, 'utf8'), 'lbtest\n');
  t.is(await u.kernelHostname(), 'lbtest');
  t.is(os.hostname(), hostBefore, 'the test machine keeps its name (nicd has its own UTS namespace)');
  t.deepEqual(await u.addrs('eth0'), ['198.18.0.1/24', 'fd00:5b::1/64'], 'an interface not in the config is untouched');
  const p = await u.props();
  t.like(p, { Generation: 0, ConfigSource: 'file', State: 'idle', ManagementInterface: 'eth0' });
  t.regex(String(p.LastResult), /applied at start \(1\d changes\)/);
});

test('re-apply is a no-op: empty plan, nothing executed, nothing changed', async (t) => {
  const u = await started(t, CONF);
  const before = await u.snapshot();
  const changesLogged = (): number => u.log().split('\n').filter((l) => l.includes('"msg":"changed"')).length;
  const logged = changesLogged();
  t.deepEqual(await u.call('Plan', CONF), [], 'Plan (dry run) is empty');
  const r = await u.nicctl(['apply', u.configFile]);
  t.is(r.code, 0, r.stderr);
  t.is(r.stdout, 'generation 0: nothing to change\n');
  const [generation, steps, pending] = (await u.call('Apply', CONF, 30)) as [number, string[], boolean];
  t.deepEqual([generation, steps, pending], [0, [], false], 'the same config again: no new generation, nothing to confirm');
  t.is(await u.snapshot(), before);
  t.is(changesLogged(), logged, 'no step executed after start');
});

test('a changed config is applied by difference, and a floating IP added by another process is left alone', async (t) => {
  const u = await started(t, CONF);
  await u.ip('addr', 'add', '10.1.0.100/24', 'dev', 'eth2'); // hbd or an operator, not nicd
  await u.ip('-6', 'addr', 'add', '2001:db8:1::100/64', 'dev', 'eth2', 'nodad');
  const next = CONF.replace('    address 10.1.1.1/24\n', '').replace('mtu 1400', 'mtu 1500').replace('    address 2001:db8:3::1/64\n', '    address 2001:db8:3::2/64\n');
  writeFileSync(`${u.configFile}.new`, next);
  const r = await u.nicctl(['apply', `${u.configFile}.new`]);
  t.is(r.code, 0, r.stderr);
  t.is(r.stdout, [
    'generation 1 applied: 4 change(s)',
    '  remove address 10.1.1.1/24 from eth2',
    '  remove address 2001:db8:3::1/64 from eth3',
    '  set mtu of eth2 to 1500',
    '  add address 2001:db8:3::2/64 to eth3',
    '',
  ].join('\n'));
  t.deepEqual(await u.addrs('eth2'), ['10.1.0.1/24', '10.1.0.100/24', '2001:db8:1:1::1/64', '2001:db8:1::1/64', '2001:db8:1::100/64']);
  t.true(readFileSync(u.configFile, 'utf8').startsWith('generation 1\nhostname lbtest\n'), 'saved at once (not over SSH)');
  const show = await u.nicctl(['show']);
  t.regex(show.stdout, /eth2 .* 10\.1\.0\.1\/24 10\.1\.0\.100\/24\* /, 'nicctl show marks the floating IP as not nicd\'s');
  const json = JSON.parse((await u.nicctl(['show', '--json'])).stdout) as { generation: number; interfaces: { name: string; mtu: number }[] };
  t.is(json.generation, 1);
  t.is(json.interfaces.find((i) => i.name === 'eth2')?.mtu, 1500);
});

test('first boot without a config file: the factory default 192.168.2.21/24 on the first NIC', async (t) => {
  const u = await started(t, null);
  t.deepEqual(await u.addrs('eth0'), ['192.168.2.21/24', '198.18.0.1/24', 'fd00:5b::1/64']);
  t.like(await u.props(), { ConfigSource: 'factory-default', Generation: 0, ManagementInterface: 'eth0' });
  const r = await u.nicctl(['config']);
  t.regex(r.stdout, /^generation 0\n# Factory default[\s\S]*interface eth0\n {4}address 192\.168\.2\.21\/24\n$/);
  t.regex((await u.nicctl(['show'])).stdout, /Configuration: generation 0, factory default \(no .*network\.conf yet\)/);
});

test('restart: nicd comes back on the saved config and changes nothing; SIGHUP applies an edited file', async (t) => {
  // No hostname here: each start of the harness gets a fresh UTS namespace, so
  // the kernel hostname would differ after a restart, unlike on the appliance.
  const u = await started(t, CONF.replace('hostname lbtest\n', ''));
  const before = await u.snapshot();
  t.is(await u.stopNicd(), 0, 'SIGTERM: clean exit');
  t.is(await u.snapshot(), before, 'stopping nicd leaves the network as it is');
  await u.startNicd();
  t.regex(String((await u.props()).LastResult), /applied at start \(0 changes\)/);
  t.is(await u.snapshot(), before);
  writeFileSync(u.configFile, CONF.replace('hostname lbtest\n', '').replace('10.3.0.1/24', '10.3.0.2/24'));
  u.proc?.child.kill('SIGHUP');
  await waitFor('reload applied', async () => (await u.addrs('eth3')).includes('10.3.0.2/24'), 5000);
  t.false((await u.addrs('eth3')).includes('10.3.0.1/24'));
  // The next edit after nicd has saved this one (an edit made while it applies is kept, not stamped over: controller tests).
  await waitFor('reload saved', () => u.log().includes('configuration reloaded'), 5000);
  writeFileSync(u.configFile, 'interface eth3\n address 10.3.0.300/24\n');
  u.proc?.child.kill('SIGHUP');
  await waitFor('reload refused in the log', () => u.log().includes('reload refused; keeping the running configuration'), 5000);
  t.true((await u.addrs('eth3')).includes('10.3.0.2/24'), 'a bad file on SIGHUP changes nothing');
  t.is(u.proc?.child.exitCode, null, 'still running');
});

test('boot with a NIC missing: the rest is configured now, that NIC as soon as it appears (hot-plug, late driver)', async (t) => {
  const u = await started(t, `${CONF.replace('hostname lbtest\n', '')}interface eth5\n    address 10.5.0.1/24\n`);
  t.deepEqual(await u.addrs('eth2'), ['10.1.0.1/24', '10.1.1.1/24', '2001:db8:1:1::1/64', '2001:db8:1::1/64']);
  t.regex(String((await u.props()).LastResult), /applied at start without eth5 \(\d+ changes\): interface eth5 does not exist on this unit/);
  const t0 = Date.now();
  await u.ip('link', 'add', 'eth5', 'type', 'veth', 'peer', 'name', 'eth5p');
  await waitFor('eth5 configured', async () => (await u.addrs('eth5')).includes('10.5.0.1/24'), 5000, 20);
  t.log(`eth5 configured ${Date.now() - t0} ms after it appeared`);
  await waitFor('LastResult updated', async () => /applied when eth5 appeared/.test(String((await u.props()).LastResult)), 5000, 20);
  t.regex(String((await u.props()).LastResult), /applied when eth5 appeared/);
});
