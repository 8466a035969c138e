/**
 * Does this kernel do 802.1Q VLANs and bonding? Asked before anything is
 * changed, so a config nicd cannot carry out is refused whole.
 *
 * - VLAN: /proc/net/vlan exists (per network namespace) once 8021q is in the
 *   kernel, built in or loaded.
 * - Bonding: /sys/class/net/bonding_masters exists once bonding is.
 * When missing, the kernel is asked to load the module the way the first
 * `ip link add ... type vlan|bond` would: rtnetlink requests the module
 * (`rtnl-link-vlan`, `rtnl-link-bond`) itself, also for a caller without
 * CAP_SYS_MODULE, which nicd's unit is (ProtectKernelModules=yes). So the
 * image loads neither module at boot (~1-2 s of CPU under emulation, on
 * every unit, for a feature few use). The VLAN probe asks for one on the
 * loopback, which refuses VLANs: nothing is created. The bond probe makes a
 * bond named PROBE_LINK and deletes it at once.
 */
import { access } from 'node:fs/promises';
import type { KernelSupport } from '../core/probe';
import { ip } from './iproute2';

export const PROBE_LINK = 'lbosprobe0';

const exists = (p: string): Promise<boolean> => access(p).then(() => true, () => false);

const REQUEST: Record<'vlan' | 'bond', readonly string[]> = {
  vlan: ['link', 'add', 'link', 'lo', 'name', PROBE_LINK, 'type', 'vlan', 'id', '1'],
  bond: ['link', 'add', PROBE_LINK, 'type', 'bond'],
};

/** The kernel loads the module for `kind` if it has one; whatever the probe made is removed. */
async function requestModule(kind: 'vlan' | 'bond'): Promise<void> {
  const made = await ip(REQUEST[kind]).then(() => true, () => false);
  if (made) await ip(['link', 'del', PROBE_LINK]).catch(() => undefined);
}

async function feature(marker: string, kind: 'vlan' | 'bond'): Promise<boolean> {
  if (await exists(marker)) return true;
  await requestModule(kind);
  return exists(marker);
}

/** Probe only what is needed (a module request costs an `ip` process or two). */
export async function kernelSupport(needs: { vlan: boolean; bond: boolean }): Promise<KernelSupport> {
  return {
    vlan: needs.vlan ? await feature('/proc/net/vlan', 'vlan') : true,
    bond: needs.bond ? await feature('/sys/class/net/bonding_masters', 'bond') : true,
  };
}
