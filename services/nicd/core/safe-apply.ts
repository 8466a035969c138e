/**
 * Safe apply ("commit confirmed", as in JunOS `commit confirmed` and
 * Cisco `configure replace ... time`): a change made from the network runs
 * at once but is undone unless confirmed before its deadline. The saved
 * config file is replaced only when a change is final.
 *
 *            Apply(timeout 0) ok: save
 *          +-----------------------+
 *          |                       |
 *          v      Apply        +---------+   ok, timeout 0
 *   +-------------+ ---------> | applying | ---------------> idle (active = candidate, saved)
 *   |    idle     | <--------- +---------+
 *   +-------------+   failed       | ok, timeout > 0
 *      ^     ^     (nothing        v
 *      |     |      changed)  +---------+  Confirm()
 *      |     |                | pending | ----------------> idle (active = candidate, saved)
 *      |     |                +---------+
 *      |     |   Rollback() or   | deadline passed
 *      |     |                   v
 *      |     +------------- rolling-back   (re-applies active; saved file untouched)
 *
 * | state        | event              | next          | effects                                  |
 * |--------------|--------------------|---------------|------------------------------------------|
 * | idle         | ApplyRequested     | applying      | Reconcile(candidate)                     |
 * | applying     | ReconcileSucceeded | idle/pending  | SaveConfig, or ArmTimer(now + timeout)   |
 * | applying     | ReconcileFailed    | idle          | Report failed                            |
 * | pending      | ConfirmRequested   | idle          | CancelTimer, SaveConfig                  |
 * | pending      | RollbackRequested  | rolling-back  | CancelTimer, Reconcile(active, undoing)  |
 * | pending      | DeadlinePassed     | rolling-back  | Reconcile(active, undoing)               |
 * | rolling-back | Reconcile*         | idle          | Report rolled-back / rollback-failed     |
 * | otherwise    | Apply/Confirm/...  | unchanged     | Reject(code)                             |
 *
 * Pure: time comes in as `now` (monotonic ms), the timer goes out as an effect.
 */

export type SafeApplyState<C> =
  | { kind: 'idle'; active: C }
  | { kind: 'applying'; active: C; candidate: C; timeoutMs: number }
  | { kind: 'pending'; active: C; candidate: C; deadline: number }
  | { kind: 'rolling-back'; active: C; candidate: C; reason: 'requested' | 'timeout' };

export type SafeApplyEvent<C> =
  | { type: 'ApplyRequested'; candidate: C; timeoutMs: number }
  | { type: 'ReconcileSucceeded'; now: number }
  | { type: 'ReconcileFailed'; error: string }
  | { type: 'ConfirmRequested' }
  | { type: 'RollbackRequested' }
  | { type: 'DeadlinePassed'; now: number };

export type RejectCode = 'PENDING_CONFIRMATION' | 'BUSY' | 'NOT_PENDING';

export type Outcome = 'applied' | 'pending' | 'confirmed' | 'failed' | 'rolled-back' | 'rollback-failed';

export type SafeApplyEffect<C> =
  /** Bring the system to `to`; `undoing` is the candidate being rolled back. */
  | { type: 'Reconcile'; to: C; undoing: C | null }
  | { type: 'SaveConfig'; config: C }
  | { type: 'ArmTimer'; at: number }
  | { type: 'CancelTimer' }
  | { type: 'Reject'; code: RejectCode; message: string }
  | { type: 'Report'; outcome: Outcome; config: C; detail: string };

export type Transition<C> = [SafeApplyState<C>, SafeApplyEffect<C>[]];

const reject = <C>(s: SafeApplyState<C>, code: RejectCode, message: string): Transition<C> => [s, [{ type: 'Reject', code, message }]];

export function stepSafeApply<C>(s: SafeApplyState<C>, e: SafeApplyEvent<C>): Transition<C> {
  switch (e.type) {
    case 'ApplyRequested':
      if (s.kind === 'idle') return [{ kind: 'applying', active: s.active, candidate: e.candidate, timeoutMs: e.timeoutMs }, [{ type: 'Reconcile', to: e.candidate, undoing: null }]];
      if (s.kind === 'pending') return reject(s, 'PENDING_CONFIRMATION', 'a change is waiting for confirmation: confirm or roll it back first');
      return reject(s, 'BUSY', `another change is being ${s.kind === 'applying' ? 'applied' : 'rolled back'}`);
    case 'ReconcileSucceeded':
      if (s.kind === 'applying') {
        if (s.timeoutMs <= 0) return [{ kind: 'idle', active: s.candidate }, [{ type: 'SaveConfig', config: s.candidate }, { type: 'Report', outcome: 'applied', config: s.candidate, detail: '' }]];
        const deadline = e.now + s.timeoutMs;
        return [
          { kind: 'pending', active: s.active, candidate: s.candidate, deadline },
          [{ type: 'ArmTimer', at: deadline }, { type: 'Report', outcome: 'pending', config: s.candidate, detail: `rolls back in ${Math.round(s.timeoutMs / 1000)} s unless confirmed` }],
        ];
      }
      if (s.kind === 'rolling-back') return [{ kind: 'idle', active: s.active }, [{ type: 'Report', outcome: 'rolled-back', config: s.candidate, detail: s.reason === 'timeout' ? 'not confirmed in time' : 'rollback requested' }]];
      return [s, []];
    case 'ReconcileFailed':
      if (s.kind === 'applying') return [{ kind: 'idle', active: s.active }, [{ type: 'Report', outcome: 'failed', config: s.candidate, detail: e.error }]];
      if (s.kind === 'rolling-back') return [{ kind: 'idle', active: s.active }, [{ type: 'Report', outcome: 'rollback-failed', config: s.candidate, detail: e.error }]];
      return [s, []];
    case 'ConfirmRequested':
      if (s.kind !== 'pending') return reject(s, 'NOT_PENDING', notPendingWhy(s));
      return [{ kind: 'idle', active: s.candidate }, [{ type: 'CancelTimer' }, { type: 'SaveConfig', config: s.candidate }, { type: 'Report', outcome: 'confirmed', config: s.candidate, detail: '' }]];
    case 'RollbackRequested':
      if (s.kind !== 'pending') return reject(s, 'NOT_PENDING', notPendingWhy(s));
      return [{ kind: 'rolling-back', active: s.active, candidate: s.candidate, reason: 'requested' }, [{ type: 'CancelTimer' }, { type: 'Reconcile', to: s.active, undoing: s.candidate }]];
    case 'DeadlinePassed':
      if (s.kind !== 'pending' || e.now < s.deadline) return [s, []];
      return [{ kind: 'rolling-back', active: s.active, candidate: s.candidate, reason: 'timeout' }, [{ type: 'Reconcile', to: s.active, undoing: s.candidate }]];
  }
}

function notPendingWhy<C>(s: SafeApplyState<C>): string {
  switch (s.kind) {
    case 'idle':
      return 'no change is waiting for confirmation (it may have been rolled back already)';
    case 'applying':
      return 'the change is still being applied';
    case 'rolling-back':
      return 'the change is already being rolled back';
    case 'pending':
      return '';
  }
}
