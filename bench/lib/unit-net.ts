/** The few iproute2 facts a trial needs about a unit's LAN port. */
import { run, runSync } from '../../scripts/sim/exec';
import { LAN_PREFIX, VIP, type SimPair, type SimUnit } from '../../scripts/sim/pair';

/** MAC address of the unit's eth0, lower case: how the LAN tells the units apart. */
export function lanMac(u: SimUnit): string {
  const links = JSON.parse(runSync('ip', ['-n', u.ns, '-j', 'link', 'show', 'dev', 'eth0'])) as { address?: string }[];
  const mac = links[0]?.address;
  if (mac === undefined) throw new Error(`${u.name}: eth0 has no MAC`);
  return mac.toLowerCase();
}

/** Whether the VIP is configured on the unit's eth0. */
export async function holdsVip(u: SimUnit): Promise<boolean> {
  const { stdout } = await run('ip', ['-n', u.ns, '-4', '-j', 'addr', 'show', 'dev', 'eth0']);
  const ifs = JSON.parse(stdout) as { addr_info?: { local?: string }[] }[];
  return ifs.some((i) => (i.addr_info ?? []).some((a) => a.local === VIP));
}

/** Indexes of the units holding the VIP now. */
export async function vipHolders(pair: SimPair): Promise<number[]> {
  const [a, b] = await Promise.all(pair.units.map((u) => holdsVip(u)));
  return [a ? 0 : -1, b ? 1 : -1].filter((i) => i >= 0);
}

/** Remove the VIP a crashed daemon left behind (a reboot would too); no-op when absent. */
export async function dropVip(u: SimUnit): Promise<void> {
  if (await holdsVip(u)) await run('ip', ['-n', u.ns, '-4', 'addr', 'del', `${VIP}/${LAN_PREFIX}`, 'dev', 'eth0']);
}
