/**
 * Bad configurations are refused whole, with file:line reasons, and change
 * nothing: through nicctl (exit 78), through D-Bus (the web UI's path), at
 * --check-config, and at boot (where nicd falls back to the factory default
 * rather than leave the appliance unreachable).
 */
import test from 'ava';
import { copyFileSync, readFileSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { FIXTURES, NICD_MAIN, NicdUnit, lastNicdLog, runTool } from './testing/nicd-harness';
import { isAppError } from '../runtime/errors';

const GOOD = 'interface eth0\n    address 192.168.2.21/24\n    gateway 192.168.2.1\ninterface eth1\n    address 10.0.1.1/24\ninterface eth2\n    address 10.0.2.1/24\n';

let u: NicdUnit | null = null;

test.before(async () => {
  u = await NicdUnit.start({ config: GOOD, nics: ['eth2'] });
});

test.after.always(async () => {
  await u?.stop();
});

test.afterEach.always((t) => {
  if (!t.passed) t.log(u?.log().split('\n').slice(-40).join('\n') ?? lastNicdLog());
});

const unit = (): NicdUnit => {
  if (u === null) throw new Error('no unit');
  return u;
};

/** fixture -> stderr lines nicctl must print (after "nicctl: DIR/"). */
const CASES: [string, string[]][] = [
  ['network.conf.overlap', ['network.conf.overlap:4: address: subnet 192.168.2.0/25 of eth1 overlaps 192.168.2.0/24 of eth0 (line 2): a subnet belongs to one interface']],
  ['network.conf.gateway-off-subnet', ['network.conf.gateway-off-subnet:3: gateway: gateway 192.168.3.1 is not on any configured subnet of eth0 (192.168.2.0/24)']],
  ['network.conf.invalid-cidr', [
    'network.conf.invalid-cidr:2: address: "192.168.2.300" is not an IPv4 or IPv6 address',
    'network.conf.invalid-cidr:3: address: prefix of "192.168.2.21/33": 33 is out of range (allowed 0..32)',
    'network.conf.invalid-cidr:4: address: "192.168.2.21" has no /prefix (e.g. 192.0.2.10/24)',
  ]],
  ['network.conf.duplicate', ['network.conf.duplicate:4: address: duplicate address 192.168.2.21: already on eth0 (line 2)']],
  ['network.conf.mtu-range', [
    'network.conf.mtu-range:3: mtu: 1200 is too small for IPv6 (2001:db8::21/64 on line 2): IPv6 needs at least 1280',
    'network.conf.mtu-range:5: mtu: 9600 is out of range (allowed 68..9000)',
    'network.conf.mtu-range:7: mtu: 60 is out of range (allowed 68..9000)',
  ]],
];

for (const [fixture, lines] of CASES) {
  test.serial(`nicctl apply ${fixture}: exit 78, every problem with its line, nothing changed`, async (t) => {
    const n = unit();
    const before = await n.snapshot();
    const propsBefore = await n.props();
    const file = path.join(FIXTURES(), fixture);
    const r = await n.nicctl(['apply', file]);
    t.is(r.code, 78);
    t.is(r.stdout, '');
    t.deepEqual(r.stderr.trimEnd().split('\n'), lines.map((l) => `nicctl: ${FIXTURES()}/${l}`));
    t.is(await n.snapshot(), before);
    t.deepEqual(await n.props(), propsBefore, 'nicd was not even asked');
  });
}

test.serial('the same through D-Bus (the web UI path): CONFIG_INVALID with lines, nothing changed', async (t) => {
  const n = unit();
  const before = await n.snapshot();
  const err = await n.call('Apply', readFileSync(path.join(FIXTURES(), 'network.conf.overlap'), 'utf8'), 60).catch((e: unknown) => e);
  t.true(isAppError(err, 'CONFIG_INVALID'));
  t.is((err as Error).message, '(submitted):4: address: subnet 192.168.2.0/25 of eth1 overlaps 192.168.2.0/24 of eth0 (line 2): a subnet belongs to one interface');
  t.is(await n.snapshot(), before);
  t.like(await n.props(), { State: 'idle', Generation: 0 });
});

test.serial('an interface that does not exist: refused before anything changes (exit 2, IFACE_MISSING)', async (t) => {
  const n = unit();
  const before = await n.snapshot();
  writeFileSync(`${n.configFile}.missing`, `${GOOD.replace('10.0.2.1/24', '10.0.2.2/24')}interface eth7\n    address 10.0.7.1/24\n`);
  const r = await n.nicctl(['apply', `${n.configFile}.missing`]);
  t.is(r.code, 2);
  t.regex(r.stderr, /^nicctl: interface eth7 does not exist on this unit \(present: eth0, eth1, eth2, eth2p\)\nnothing was changed \(IFACE_MISSING\)\n$/);
  t.is(await n.snapshot(), before);
});

test.serial('an unreadable file: exit 65', async (t) => {
  const r = await unit().nicctl(['apply', '/nonexistent/network.conf']);
  t.is(r.code, 65);
  t.regex(r.stderr, /cannot read \/nonexistent\/network\.conf/);
});

test.serial('nicd --check-config: 0 on a good file, 78 with every problem on a bad one', async (t) => {
  const env = { ...process.env, DBUS_SYSTEM_BUS_ADDRESS: 'unix:path=/nonexistent' };
  const good = await runTool(process.execPath, [NICD_MAIN(), '--check-config', '-c', path.join(FIXTURES(), 'network.conf.full')], env);
  t.is(good.code, 0, good.stderr);
  t.regex(good.stdout, /nicd: configuration OK/);
  const bad = await runTool(process.execPath, [NICD_MAIN(), '--check-config', '-c', path.join(FIXTURES(), 'network.conf.many-problems')], env);
  t.is(bad.code, 78);
  t.is(bad.stderr.trimEnd().split('\n').length, 14);
  t.regex(bad.stderr, /^nicd: .*network\.conf\.many-problems:1: hostname: /);
  const none = await runTool(process.execPath, [NICD_MAIN(), '--check-config', '-c', '/nonexistent/network.conf'], env);
  t.is(none.code, 0);
  t.regex(none.stdout, /warning: \/nonexistent\/network\.conf: no such file: the factory default .* is used/);
});

test.serial('booting with an invalid file: nicd runs on the factory default and says why', async (t) => {
  const b = await NicdUnit.start({ config: null, nics: [] });
  t.teardown(() => b.stop());
  await b.stopNicd();
  copyFileSync(path.join(FIXTURES(), 'network.conf.duplicate'), b.configFile);
  await b.startNicd();
  t.true((await b.addrs('eth0')).includes('192.168.2.21/24'));
  const p = await b.props();
  t.like(p, { ConfigSource: 'factory-default', Generation: 0 });
  t.regex(String(p.LastResult), /network\.conf is refused \(1 problem\(s\), first: .*network\.conf:4: address: duplicate address 192\.168\.2\.21/);
  t.is(readFileSync(b.configFile, 'utf8'), readFileSync(path.join(FIXTURES(), 'network.conf.duplicate'), 'utf8'), 'the bad file is kept for the operator to fix');
});
