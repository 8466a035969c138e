/**
 * Bookkeeping of what nicd owns (see model.ts Owned). Pure set arithmetic,
 * kept apart from the planner so the rules are testable on their own:
 *
 * - a step that adds something makes it ours; one that removes it forgets it;
 * - after a successful apply everything the config asked for is ours, also
 *   what was already there (adopted);
 * - a rollback must not remove what was there, unowned, before the change it
 *   undoes (a floating IP the candidate config happened to name).
 */
import { isLinkLocal6 } from '../../runtime/netconf/ip';
import { addressKey, routeKey, type DesiredState, type LiveState, type Owned, type Step } from './model';

const sorted = (s: Set<string>): string[] => [...s].sort();

/** Owned after one executed step. */
export function ownedAfterStep(owned: Owned, step: Step): Owned {
  const a = new Set(owned.addresses);
  const r = new Set(owned.routes);
  const l = new Set(owned.links);
  switch (step.kind) {
    case 'AddAddress':
      a.add(addressKey(step.ifname, step.cidr));
      break;
    case 'RemoveAddress':
      a.delete(addressKey(step.ifname, step.cidr));
      break;
    case 'AddRoute':
      r.add(routeKey(step.route));
      break;
    case 'RemoveRoute':
      r.delete(routeKey(step.route));
      break;
    case 'CreateBond':
    case 'CreateVlan':
      l.add(step.name);
      break;
    case 'DeleteLink':
      l.delete(step.name);
      for (const k of [...a]) if (k.startsWith(`${step.name}|`)) a.delete(k);
      for (const k of [...r]) if (k.endsWith(`|${step.name}`)) r.delete(k);
      break;
    case 'ReleaseSlave':
    case 'EnslaveLink':
    case 'SetMtu':
    case 'SetLinkUp':
    case 'SetLinkDown':
    case 'WriteResolvConf':
    case 'SetHostname':
      break;
  }
  return { addresses: sorted(a), routes: sorted(r), links: sorted(l) };
}

/** Everything the config asks for becomes ours once it is in place. */
export function adopt(owned: Owned, desired: DesiredState): Owned {
  const a = new Set(owned.addresses);
  const r = new Set(owned.routes);
  const l = new Set(owned.links);
  for (const d of desired.links) {
    for (const c of d.addresses) a.add(addressKey(d.name, c));
    if (d.kind !== 'ethernet') l.add(d.name);
  }
  for (const route of desired.routes) r.add(routeKey(route));
  return { addresses: sorted(a), routes: sorted(r), links: sorted(l) };
}

/** Addresses and routes that were live but not ours: a rollback leaves them. */
export function foreignIn(live: LiveState, owned: Owned): Owned {
  const oa = new Set(owned.addresses);
  const or = new Set(owned.routes);
  const ol = new Set(owned.links);
  return {
    addresses: live.addresses.filter((x) => !isLinkLocal6(x.address)).map((x) => addressKey(x.ifname, x)).filter((k) => !oa.has(k)).sort(),
    routes: live.routes.map(routeKey).filter((k) => !or.has(k)).sort(),
    links: live.links.map((x) => x.name).filter((n) => !ol.has(n)).sort(),
  };
}

/** owned minus the foreign set. */
export function without(owned: Owned, foreign: Owned): Owned {
  const fa = new Set(foreign.addresses);
  const fr = new Set(foreign.routes);
  const fl = new Set(foreign.links);
  return {
    addresses: owned.addresses.filter((k) => !fa.has(k)),
    routes: owned.routes.filter((k) => !fr.has(k)),
    links: owned.links.filter((k) => !fl.has(k)),
  };
}

/** Steps + adoption: the record after a successful apply of `desired`. */
export function ownedAfterApply(owned: Owned, steps: readonly Step[], desired: DesiredState): Owned {
  return adopt(steps.reduce(ownedAfterStep, owned), desired);
}

/** Owned plus everything a plan is about to add: written before executing, so a crash never loses track. */
export function ownedIntent(owned: Owned, steps: readonly Step[]): Owned {
  return steps.filter((s) => s.kind === 'AddAddress' || s.kind === 'AddRoute' || s.kind === 'CreateBond' || s.kind === 'CreateVlan').reduce(ownedAfterStep, owned);
}
