/**
 * Per-service sync state and the red/orange/green status, as pure functions
 * of facts gathered by the periodic check.
 *
 *   red     the peer cannot be used: unreachable, our key refused, its host
 *           key changed, no keys exchanged, protocol error, or a local
 *           transaction stuck after a crash (reason says which)
 *   orange  sync works, but a service differs or is not saved on one side
 *           (or the first check has not finished)
 *   green   every service is identical on both units and saved on both
 */
import type { Version } from './version';

export type ServiceState = 'in-sync' | 'differs' | 'peer-unsaved' | 'local-unsaved' | 'not-on-peer' | 'unknown';
export type Colour = 'red' | 'orange' | 'green';

/** One unit's facts about one service. */
export interface SideFacts {
  version: Version;
  /** Content hash of the running (registered) files. */
  sha256: string;
  /** Content hash in the saved store; null: never saved. */
  saved: string | null;
  /** Content hash at the last sync; null: never synced. */
  synced: string | null;
}

export interface ServiceStatus {
  name: string;
  state: ServiceState;
  detail: string;
}

/** peer: its facts, 'missing' (not in its registry) or null (peer not reachable). */
export function serviceState(name: string, local: SideFacts, peer: SideFacts | 'missing' | null): ServiceStatus {
  const s = (state: ServiceState, detail: string): ServiceStatus => ({ name, state, detail });
  if (peer === null) return s('unknown', 'peer not reachable');
  if (peer === 'missing') return s('not-on-peer', 'the peer does not report this service: not in its services.conf, or its files cannot be read safely there (see its log)');
  if (local.sha256 !== peer.sha256) return s('differs', differsDetail(local, peer));
  if (peer.saved !== peer.sha256) return s('peer-unsaved', 'the peer runs a configuration it has not saved (csyncctl save --remote)');
  if (local.saved !== local.sha256) return s('local-unsaved', 'this unit runs a configuration it has not saved (csyncctl save)');
  return s('in-sync', 'identical on both units and saved');
}

function differsDetail(local: SideFacts, peer: SideFacts): string {
  if (local.synced === null && peer.synced === null) return 'never synced: push from the unit whose configuration is right';
  const localChanged = local.sha256 !== local.synced;
  const peerChanged = peer.sha256 !== peer.synced;
  if (localChanged && peerChanged) return 'conflict: changed on both units since the last sync (push --force from the right one)';
  if (localChanged) return 'changed on this unit since the last sync (csyncctl push)';
  if (peerChanged) return 'changed on the peer since the last sync (push from the peer)';
  return 'differs';
}

/** Why the peer could not be used, or ok. */
export type LinkFacts = { ok: true } | { ok: false; code: string; message: string };

export interface StatusFacts {
  /** null: no check has finished yet. */
  link: LinkFacts | null;
  services: readonly ServiceStatus[];
  /** Reasons of journals that could not be recovered. */
  stuck: readonly string[];
}

export function statusColour(f: StatusFacts): { colour: Colour; reason: string } {
  if (f.stuck.length > 0) return { colour: 'red', reason: `TRANSACTION_STUCK: ${f.stuck.join('; ')}` };
  if (f.link === null) return { colour: 'orange', reason: 'checking the peer' };
  if (!f.link.ok) return { colour: 'red', reason: `${f.link.code}: ${f.link.message}` };
  const bad = f.services.filter((s) => s.state !== 'in-sync');
  if (bad.length > 0) return { colour: 'orange', reason: bad.map((s) => `${s.name}: ${s.state} (${s.detail})`).join('; ') };
  const n = f.services.length;
  return { colour: 'green', reason: n === 0 ? 'peer reachable; no services registered' : `${n} service${n === 1 ? '' : 's'} in sync and saved on both units` };
}
