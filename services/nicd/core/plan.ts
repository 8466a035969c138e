/**
 * The reconciler's planner: plan(live, desired, owned) -> Step[], pure.
 *
 * Rules:
 * - Only what nicd owns (it added it, or the config asked for it and it was
 *   already there) is ever removed: a floating IP added by hbd or by hand is
 *   left alone, on any interface.
 * - Link-local IPv6 addresses (fe80::/10) and `lo` are never touched.
 * - Interfaces not in the config are left alone; so are the MTU and up/down
 *   of a configured interface when the config does not say.
 * - Re-planning after a successful apply gives [] (the tests assert it).
 *
 * Order: routes out, addresses out, links out (VLANs before bonds), bonds in,
 * slaves in, VLANs in, MTUs (a parent grows before its VLANs, a VLAN shrinks
 * before its parent), links up/down, addresses in, routes in (their next hops
 * are reachable by then), resolv.conf, hostname.
 */
import { isLinkLocal6 } from '../../runtime/netconf/ip';
import { addressKey, routeKey, type DesiredLink, type DesiredState, type LiveLink, type LiveState, type Owned, type Step } from './model';

/** A live virtual link that nicd made and that no longer matches the config. */
function needsRecreate(d: DesiredLink, l: LiveLink): boolean {
  if (d.kind === 'vlan') return l.kind !== 'vlan' || l.vlan?.parent !== d.vlan?.parent || l.vlan?.id !== d.vlan?.id;
  if (d.kind === 'bond') return l.kind !== 'bond' || l.bond?.mode !== d.bond?.mode;
  return false;
}

export function plan(live: LiveState, desired: DesiredState, owned: Owned): Step[] {
  const liveByName = new Map(live.links.map((l) => [l.name, l]));
  const desiredByName = new Map(desired.links.map((l) => [l.name, l]));
  const ownedAddresses = new Set(owned.addresses);
  const ownedRoutes = new Set(owned.routes);
  const ownedLinks = new Set(owned.links);

  // Virtual links to delete: ours, and gone from the config or changed in kind/parent/id/mode.
  const deleted = new Set<string>();
  for (const name of ownedLinks) {
    const l = liveByName.get(name);
    if (l === undefined) continue;
    const d = desiredByName.get(name);
    if (d === undefined || needsRecreate(d, l)) deleted.add(name);
  }
  const fresh = (d: DesiredLink): boolean => d.kind !== 'ethernet' && (deleted.has(d.name) || !liveByName.has(d.name));

  const steps: Step[] = [];
  const desiredRoutes = new Set(desired.routes.map(routeKey));
  for (const r of live.routes) {
    if (ownedRoutes.has(routeKey(r)) && !desiredRoutes.has(routeKey(r))) steps.push({ kind: 'RemoveRoute', route: { family: r.family, dst: r.dst, via: r.via, dev: r.dev } });
  }

  const desiredAddresses = new Set(desired.links.flatMap((d) => d.addresses.map((a) => addressKey(d.name, a))));
  for (const a of live.addresses) {
    if (a.ifname === 'lo' || isLinkLocal6(a.address) || deleted.has(a.ifname)) continue;
    const key = addressKey(a.ifname, a);
    if (ownedAddresses.has(key) && !desiredAddresses.has(key)) {
      steps.push({ kind: 'RemoveAddress', ifname: a.ifname, cidr: { address: a.address, prefix: a.prefix, family: a.family } });
    }
  }

  // Slaves leaving a bond we manage, or moving to another bond.
  const slaveOf = new Map(desired.links.flatMap((d) => (d.bond?.slaves ?? []).map((s) => [s, d.name] as const)));
  const managedBonds = new Set([...desired.links.filter((d) => d.kind === 'bond').map((d) => d.name), ...ownedLinks]);
  for (const l of live.links) {
    if (l.master === null || deleted.has(l.master)) continue;
    const want = slaveOf.get(l.name);
    if ((want === undefined && managedBonds.has(l.master)) || (want !== undefined && want !== l.master)) {
      steps.push({ kind: 'ReleaseSlave', name: l.name });
    }
  }

  const byKind = (k: string) => (name: string): boolean => liveByName.get(name)?.kind === k;
  for (const name of [...deleted].filter(byKind('vlan'))) steps.push({ kind: 'DeleteLink', name });
  for (const name of [...deleted].filter((n) => !byKind('vlan')(n))) steps.push({ kind: 'DeleteLink', name });

  const enslaved = new Set<string>();
  for (const d of desired.links) {
    if (d.bond === undefined) continue;
    if (fresh(d)) steps.push({ kind: 'CreateBond', name: d.name, mode: d.bond.mode });
    for (const s of d.bond.slaves) {
      if (fresh(d) || liveByName.get(s)?.master !== d.name) {
        steps.push({ kind: 'EnslaveLink', name: s, master: d.name });
        enslaved.add(s);
      }
    }
  }
  for (const d of desired.links) {
    if (d.vlan !== undefined && fresh(d)) steps.push({ kind: 'CreateVlan', name: d.name, parent: d.vlan.parent, id: d.vlan.id });
  }

  steps.push(...mtuSteps(desired, liveByName, fresh));
  steps.push(...adminSteps(desired, liveByName, fresh, enslaved));

  for (const d of desired.links) {
    const have = new Set(live.addresses.filter((a) => a.ifname === d.name).map((a) => addressKey(d.name, a)));
    for (const a of d.addresses) {
      if (fresh(d) || !have.has(addressKey(d.name, a))) steps.push({ kind: 'AddAddress', ifname: d.name, cidr: a });
    }
  }

  const liveRoutes = new Set(live.routes.filter((r) => !deleted.has(r.dev)).map(routeKey));
  for (const r of desired.routes) if (!liveRoutes.has(routeKey(r))) steps.push({ kind: 'AddRoute', route: r });

  if (desired.resolvConf !== null && desired.resolvConf !== live.resolvConf) steps.push({ kind: 'WriteResolvConf', text: desired.resolvConf });
  const h = desired.hostname;
  if (h !== null && (h !== live.hostname.kernel || h !== live.hostname.file?.trim())) steps.push({ kind: 'SetHostname', name: h });
  return steps;
}

function mtuSteps(desired: DesiredState, liveByName: Map<string, LiveLink>, fresh: (d: DesiredLink) => boolean): Step[] {
  const grow: Step[] = [];
  const shrinkVlans: Step[] = [];
  const growVlans: Step[] = [];
  for (const d of desired.links) {
    if (d.mtu === null) continue;
    const current = fresh(d) ? null : liveByName.get(d.name)?.mtu ?? null;
    if (current === d.mtu) continue;
    const step: Step = { kind: 'SetMtu', name: d.name, mtu: d.mtu };
    if (d.kind !== 'vlan') grow.push(step);
    else if (current !== null && d.mtu < current) shrinkVlans.push(step);
    else growVlans.push(step);
  }
  return [...shrinkVlans, ...grow, ...growVlans];
}

function adminSteps(desired: DesiredState, liveByName: Map<string, LiveLink>, fresh: (d: DesiredLink) => boolean, enslaved: Set<string>): Step[] {
  const out: Step[] = [];
  for (const s of enslaved) out.push({ kind: 'SetLinkUp', name: s });
  for (const d of desired.links) {
    if (d.bond === undefined) continue;
    for (const s of d.bond.slaves) if (!enslaved.has(s) && liveByName.get(s)?.adminUp === false) out.push({ kind: 'SetLinkUp', name: s });
  }
  const order = (d: DesiredLink): number => (d.kind === 'bond' ? 0 : d.kind === 'ethernet' ? 1 : 2);
  for (const d of [...desired.links].sort((a, b) => order(a) - order(b))) {
    const isUp = fresh(d) ? false : liveByName.get(d.name)?.adminUp ?? false;
    if (d.up && !isUp) out.push({ kind: 'SetLinkUp', name: d.name });
    if (!d.up && isUp) out.push({ kind: 'SetLinkDown', name: d.name });
  }
  return out;
}
