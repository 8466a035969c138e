/**
 * VLANs and bonds against the kernel we run on. Whether the kernel has
 * 802.1Q / bonding is found out independently of nicd (by trying to create
 * one in a scratch namespace). Without support — as on the CI machine, whose
 * kernel has neither — nicd must refuse the whole config with a specific code
 * and message and change nothing. With support the same test expects the
 * VLAN / bond to be built (that branch has not run on the CI kernel; see README).
 */
import test from 'ava';
import { writeFileSync } from 'node:fs';
import { NicdUnit, lastNicdLog } from './testing/nicd-harness';
import { run } from '../../scripts/sim/exec';

test.afterEach.always((t) => {
  if (!t.passed) t.log(lastNicdLog());
});

/** Can this kernel create a link of `type` (vlan | bond)? Tried in a namespace of our own. */
async function kernelCan(type: 'vlan' | 'bond'): Promise<boolean> {
  const ns = `nicd-kprobe-${process.pid}`;
  await run('ip', ['netns', 'add', ns]);
  try {
    await run('ip', ['-n', ns, 'link', 'add', 'kp0', 'type', 'veth', 'peer', 'name', 'kp1']);
    const args = type === 'vlan' ? ['link', 'add', 'link', 'kp0', 'name', 'kp0.5', 'type', 'vlan', 'id', '5'] : ['link', 'add', 'name', 'kpbond', 'type', 'bond'];
    return await run('ip', ['-n', ns, ...args]).then(() => true, () => false);
  } finally {
    await run('ip', ['netns', 'del', ns]);
  }
}

const BASE = 'interface eth2\n    address 10.2.0.1/24\ninterface eth3\ninterface eth4\n';

async function started(t: import('ava').ExecutionContext): Promise<NicdUnit> {
  const u = await NicdUnit.start({ config: BASE, nics: ['eth2', 'eth3', 'eth4'] });
  t.teardown(() => u.stop());
  return u;
}

test('a VLAN: refused with KERNEL_NO_VLAN and nothing changed on a kernel without 802.1Q (built otherwise)', async (t) => {
  const u = await started(t);
  const conf = 'interface eth2\n    address 10.2.0.9/24\n    mtu 1400\nvlan eth2.100 eth2 100\n    address 10.100.0.1/24\ninterface eth3\ninterface eth4\n';
  writeFileSync(`${u.configFile}.vlan`, conf);
  const before = await u.snapshot();
  const r = await u.nicctl(['apply', `${u.configFile}.vlan`]);
  if (await kernelCan('vlan')) {
    t.is(r.code, 0, r.stderr);
    t.regex(await u.ip('-d', 'link', 'show', 'dev', 'eth2.100'), /vlan protocol 802\.1Q id 100/);
    t.deepEqual(await u.addrs('eth2.100'), ['10.100.0.1/24']);
    return;
  }
  t.is(r.code, 2);
  t.is(r.stderr, 'nicctl: this kernel has no 802.1Q VLAN support (CONFIG_VLAN_8021Q, module 8021q): cannot create eth2.100\nnothing was changed (KERNEL_NO_VLAN)\n');
  t.is(await u.snapshot(), before, 'not even the address and MTU of eth2 changed');
  const err = await u.call('Plan', conf).catch((e: unknown) => e as Error);
  t.regex(String(err), /KERNEL_NO_VLAN|802\.1Q/, 'the dry run says the same');
  t.like(await u.props(), { State: 'idle', Generation: 0 });
});

test('bonds (active-backup, 802.3ad): refused with KERNEL_NO_BOND and nothing changed on a kernel without bonding (built otherwise)', async (t) => {
  const u = await started(t);
  const can = await kernelCan('bond');
  for (const mode of ['active-backup', '802.3ad']) {
    const conf = `interface eth2\n    address 10.2.0.9/24\nbond bond0 ${mode} eth3 eth4\n    address 10.20.0.1/24\n    mtu 1500\n`;
    writeFileSync(`${u.configFile}.bond`, conf);
    const before = await u.snapshot();
    const r = await u.nicctl(['apply', `${u.configFile}.bond`]);
    if (can) {
      t.is(r.code, 0, r.stderr);
      t.regex(await u.ip('-d', 'link', 'show', 'dev', 'bond0'), new RegExp(`bond mode ${mode}`));
      t.regex(await u.ip('link', 'show', 'dev', 'eth3'), /master bond0/);
      t.deepEqual(await u.addrs('bond0'), ['10.20.0.1/24']);
      continue;
    }
    t.is(r.code, 2, mode);
    t.is(r.stderr, 'nicctl: this kernel has no bonding support (CONFIG_BONDING, module bonding): cannot create bond0\nnothing was changed (KERNEL_NO_BOND)\n');
    t.is(await u.snapshot(), before, `${mode}: nothing changed`);
  }
});

test('both in one config: both reasons reported at once', async (t) => {
  const u = await started(t);
  if ((await kernelCan('vlan')) || (await kernelCan('bond'))) {
    t.pass('this kernel has VLAN or bonding support; the single-feature tests above cover it');
    return;
  }
  writeFileSync(`${u.configFile}.both`, 'interface eth2\nvlan eth2.7 eth2 7\nbond bond0 active-backup eth3 eth4\n');
  const r = await u.nicctl(['apply', `${u.configFile}.both`]);
  t.is(r.code, 2);
  t.regex(r.stderr, /no 802\.1Q VLAN support[\s\S]*no bonding support[\s\S]*nothing was changed \(KERNEL_NO_VLAN\)/);
});

test('at boot, a saved config with a VLAN and a bond on a kernel without them: everything else is applied and the reason shown', async (t) => {
  const conf = 'interface eth2\n    address 10.2.0.1/24\n    gateway 10.2.0.254\nvlan eth2.100 eth2 100\n    address 10.100.0.1/24\nbond bond0 active-backup eth3 eth4\n    address 10.20.0.1/24\n';
  const u = await NicdUnit.start({ config: conf, nics: ['eth2', 'eth3', 'eth4'] });
  t.teardown(() => u.stop());
  const vlan = await kernelCan('vlan');
  const bond = await kernelCan('bond');
  t.deepEqual(await u.addrs('eth2'), ['10.2.0.1/24'], 'the plain interface is configured either way');
  t.deepEqual(await u.routes(), ['-4 default via 10.2.0.254 dev eth2']);
  const last = String((await u.props()).LastResult);
  if (!vlan) t.regex(last, /without eth2\.100.*this kernel has no 802\.1Q VLAN support/);
  if (!bond) t.regex(last, /without .*bond0.*this kernel has no bonding support/);
  if (vlan && bond) t.regex(last, /applied at start \(\d+ changes\)/);
});
