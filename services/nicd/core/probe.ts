/**
 * Checks of a desired state against this machine, before anything is
 * touched: interfaces that do not exist, kernel features that are missing
 * (this appliance's kernel may lack 802.1Q or bonding), names taken by
 * interfaces nicd did not make, MTUs the driver refuses. Pure: the kernel's
 * abilities come in as data.
 */
import { byName, type DesiredState, type LiveState, type Owned } from './model';

/** What the kernel can do, as probed by adapters/kernel.ts. */
export interface KernelSupport {
  vlan: boolean;
  bond: boolean;
}

export type ProbeCode = 'IFACE_MISSING' | 'KERNEL_NO_VLAN' | 'KERNEL_NO_BOND' | 'LINK_CONFLICT' | 'MTU_UNSUPPORTED';

export interface ProbeProblem {
  code: ProbeCode;
  message: string;
  /** The interfaces (configured links or bond slaves) it is about. */
  links: string[];
}

/** Which kernel features the desired state needs that the live state does not already show. */
export function featuresNeeded(live: LiveState, desired: DesiredState): { vlan: boolean; bond: boolean } {
  const exists = (name: string, kind: string): boolean => live.links.some((l) => l.name === name && l.kind === kind);
  return {
    vlan: desired.links.some((d) => d.kind === 'vlan' && !exists(d.name, 'vlan')),
    bond: desired.links.some((d) => d.kind === 'bond' && !exists(d.name, 'bond')),
  };
}

export function probe(live: LiveState, desired: DesiredState, owned: Owned, kernel: KernelSupport): ProbeProblem[] {
  const out: ProbeProblem[] = [];
  const liveByName = new Map(live.links.map((l) => [l.name, l]));
  const present = live.links.filter((l) => l.name !== 'lo').map((l) => l.name).sort(byName).join(', ') || 'none';
  const needs = featuresNeeded(live, desired);
  const vlans = desired.links.filter((d) => d.kind === 'vlan').map((d) => d.name);
  const bonds = desired.links.filter((d) => d.kind === 'bond').map((d) => d.name);
  if (needs.vlan && !kernel.vlan) {
    out.push({ code: 'KERNEL_NO_VLAN', message: `this kernel has no 802.1Q VLAN support (CONFIG_VLAN_8021Q, module 8021q): cannot create ${vlans.join(', ')}`, links: vlans });
  }
  if (needs.bond && !kernel.bond) {
    out.push({ code: 'KERNEL_NO_BOND', message: `this kernel has no bonding support (CONFIG_BONDING, module bonding): cannot create ${bonds.join(', ')}`, links: bonds });
  }
  const physical = [...desired.links.filter((d) => d.kind === 'ethernet').map((d) => d.name), ...desired.links.flatMap((d) => d.bond?.slaves ?? [])];
  for (const name of physical) {
    if (!liveByName.has(name)) out.push({ code: 'IFACE_MISSING', message: `interface ${name} does not exist on this unit (present: ${present})`, links: [name] });
  }
  for (const d of desired.links) {
    const l = liveByName.get(d.name);
    if (d.kind !== 'ethernet' && l !== undefined && !owned.links.includes(d.name)) {
      const same = d.kind === 'vlan' ? l.kind === 'vlan' && l.vlan?.parent === d.vlan?.parent && l.vlan?.id === d.vlan?.id : l.kind === 'bond' && l.bond?.mode === d.bond?.mode;
      if (!same) {
        out.push({ code: 'LINK_CONFLICT', message: `${d.name} already exists (${l.kind || 'a physical NIC'}) and was not made by nicd: choose another name or remove it`, links: [d.name] });
      }
    }
    if (d.mtu !== null && l?.maxMtu != null && d.mtu > l.maxMtu) {
      out.push({ code: 'MTU_UNSUPPORTED', message: `${d.name} accepts an MTU of at most ${l.maxMtu} (asked for ${d.mtu})`, links: [d.name] });
    }
  }
  return out;
}

/**
 * The desired state without what the problems block, for boot only: a NIC
 * that died, or a kernel without VLANs, must not keep the management
 * interface from getting its address. Missing or unbuildable links are
 * dropped with what depends on them (a VLAN on a dropped parent, a bond
 * missing a slave, their routes); a refused MTU is dropped alone, so the
 * link keeps its addresses. A name clash drops that link.
 */
export function withoutBlocked(desired: DesiredState, problems: readonly ProbeProblem[]): { desired: DesiredState; skipped: string[] } {
  const mtuOnly = new Set(problems.filter((p) => p.code === 'MTU_UNSUPPORTED').flatMap((p) => p.links));
  const blocked = new Set(problems.filter((p) => p.code !== 'MTU_UNSUPPORTED').flatMap((p) => p.links));
  let links = desired.links.map((d) => (mtuOnly.has(d.name) ? { ...d, mtu: null } : d));
  for (;;) {
    const keep = links.filter((d) => !blocked.has(d.name) && !(d.vlan !== undefined && blocked.has(d.vlan.parent)) && !(d.bond?.slaves ?? []).some((s) => blocked.has(s)));
    if (keep.length === links.length) break;
    for (const d of links) if (!keep.includes(d)) blocked.add(d.name);
    links = keep;
  }
  const skipped = desired.links.filter((d) => blocked.has(d.name)).map((d) => d.name);
  return { desired: { ...desired, links, routes: desired.routes.filter((r) => !blocked.has(r.dev)) }, skipped };
}
