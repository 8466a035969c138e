/**
 * Does this kernel do 802.1Q VLANs and bonding? Asked before anything is
 * changed, so a config nicd cannot carry out is refused whole.
 *
 * - VLAN: /proc/net/vlan exists (per network namespace) once 8021q is in the
 *   kernel, built in or loaded.
 * - Bonding: /sys/class/net/bonding_masters exists once bonding is.
 * When missing we try `modprobe` once (it fails harmlessly without
 * CAP_SYS_MODULE or without the module); the image should load both modules
 * at boot (modules-load.d) where its kernel builds them as modules.
 */
import { access } from 'node:fs/promises';
import { execFile } from 'node:child_process';
import type { KernelSupport } from '../core/probe';

const exists = (p: string): Promise<boolean> => access(p).then(() => true, () => false);

const modprobe = (module: string): Promise<void> =>
  new Promise((resolve) => {
    execFile('modprobe', ['-q', module], { timeout: 10_000 }, () => resolve());
  });

async function feature(marker: string, module: string): Promise<boolean> {
  if (await exists(marker)) return true;
  await modprobe(module);
  return exists(marker);
}

/** Probe only what is needed (a modprobe attempt costs a process). */
export async function kernelSupport(needs: { vlan: boolean; bond: boolean }): Promise<KernelSupport> {
  return {
    vlan: needs.vlan ? await feature('/proc/net/vlan', '8021q') : true,
    bond: needs.bond ? await feature('/sys/class/net/bonding_masters', 'bonding') : true,
  };
}
