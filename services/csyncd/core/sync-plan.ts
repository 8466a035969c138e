/**
 * The sync planner: from what the last check saw on both units, the steps
 * that bring the pair to the desired state, as plain data. The engine runs
 * them; planning again afterwards yields nothing.
 *
 *   local == peer, synced record stale      -> RecordSynced (e.g. the pusher died
 *                                              after the peer committed)
 *   auto_sync, local changed, peer did not  -> Push
 *   auto_sync, both changed (and differ)    -> ReportConflict (never resolved here)
 *   never synced                            -> nothing: the first push is an operator's choice
 */
import type { SideFacts } from './status';

export type SyncStep =
  | { type: 'RecordSynced'; service: string; sha256: string }
  | { type: 'Push'; service: string }
  | { type: 'ReportConflict'; service: string; detail: string };

export interface PlanInput {
  name: string;
  local: SideFacts;
  /** null: peer unreachable; 'missing': not in the peer's registry. */
  peer: SideFacts | 'missing' | null;
}

export function planSync(services: readonly PlanInput[], autoSync: boolean): SyncStep[] {
  const steps: SyncStep[] = [];
  for (const { name, local, peer } of services) {
    if (peer === null || peer === 'missing') continue;
    if (local.sha256 === peer.sha256) {
      if (local.synced !== local.sha256) steps.push({ type: 'RecordSynced', service: name, sha256: local.sha256 });
      continue;
    }
    if (!autoSync || local.synced === null) continue;
    const localChanged = local.sha256 !== local.synced;
    const peerChanged = peer.sha256 !== local.synced;
    if (localChanged && !peerChanged) steps.push({ type: 'Push', service: name });
    else if (localChanged && peerChanged) steps.push({ type: 'ReportConflict', service: name, detail: 'changed on both units since the last sync; auto_sync will not choose: push --force from the right unit' });
  }
  return steps;
}
