/** Config -> election settings and resolved resources; shared by main.ts and --release-vips. */
import { AppError } from '../runtime/errors';
import * as os from 'node:os';
import type { HbdConfig } from './load';
import type { UcastLink } from './config/ha-cf';
import type { ElectionSettings } from './core/election-types';
import type { ScriptResource } from './adapters/resources';
import { findInterface, type Vip } from './adapters/vip';
import { resolveScript } from './adapters/scripts';

export function electionSettings(c: HbdConfig): ElectionSettings {
  const h = c.haCf;
  return {
    self: h.thisNode,
    peer: h.peerNode,
    priority: h.priority,
    ownerNode: c.haresources.owner,
    autoFailback: h.autoFailback,
    keepaliveMs: h.keepaliveMs,
    warntimeMs: h.warntimeMs,
    deadtimeMs: h.deadtimeMs,
    initdeadMs: h.initdeadMs,
    preemptDelayMs: h.preemptDelayMs,
    pingConfigured: h.ping.length,
  };
}

/** VIPs with their interface: as written, else the interface whose subnet holds them. */
export async function resolveVips(c: HbdConfig): Promise<Vip[]> {
  const out: Vip[] = [];
  for (const r of c.haresources.resources) {
    if (r.kind !== 'vip') continue;
    const iface = r.iface ?? (await findInterface(r.address, r.family));
    if (iface === null) throw new AppError('VIP_NO_INTERFACE', `no interface has a subnet containing ${r.address}; write it as IPaddr::${r.address}/${r.prefix}/IFACE`);
    out.push({ address: r.address, prefix: r.prefix, family: r.family, iface });
  }
  return out;
}

export async function resolveScripts(c: HbdConfig): Promise<ScriptResource[]> {
  const out: ScriptResource[] = [];
  for (const r of c.haresources.resources) {
    if (r.kind === 'script') out.push({ name: r.name, file: await resolveScript(r.name, c.dir), args: r.args });
  }
  return out;
}


/**
 * ucast lines that name one of our own addresses are skipped, as Heartbeat
 * does: the same ha.cf can then list both units' addresses on both units.
 */
export function ucastToPeer(ucast: readonly UcastLink[], localAddresses: ReadonlySet<string>): UcastLink[] {
  return ucast.filter((u) => !localAddresses.has(u.peerAddress));
}

export function localAddresses(): Set<string> {
  return new Set(Object.values(os.networkInterfaces()).flatMap((list) => (list ?? []).map((a) => a.address)));
}
