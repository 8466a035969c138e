/** The transition table of core/safe-apply.ts, row by row. */
import test from 'ava';
import { stepSafeApply, type SafeApplyEffect, type SafeApplyEvent, type SafeApplyState } from './safe-apply';

type S = SafeApplyState<string>;
const run = (s: S, e: SafeApplyEvent<string>): [S['kind'], string[]] => {
  const [next, effects] = stepSafeApply(s, e);
  return [next.kind, effects.map(show)];
};
const show = (e: SafeApplyEffect<string>): string => {
  switch (e.type) {
    case 'Reconcile':
      return `Reconcile(${e.to}${e.undoing === null ? '' : `, undoing ${e.undoing}`})`;
    case 'SaveConfig':
      return `SaveConfig(${e.config})`;
    case 'ArmTimer':
      return `ArmTimer(${e.at})`;
    case 'CancelTimer':
      return 'CancelTimer';
    case 'Reject':
      return `Reject(${e.code})`;
    case 'Report':
      return `Report(${e.outcome}, ${e.config})`;
  }
};

const idle: S = { kind: 'idle', active: 'g1' };
const applying = (timeoutMs: number): S => ({ kind: 'applying', active: 'g1', candidate: 'g2', timeoutMs });
const pending: S = { kind: 'pending', active: 'g1', candidate: 'g2', deadline: 5000 };
const rolling: S = { kind: 'rolling-back', active: 'g1', candidate: 'g2', reason: 'timeout' };

test('idle + apply -> applying, reconcile to the candidate', (t) => {
  t.deepEqual(run(idle, { type: 'ApplyRequested', candidate: 'g2', timeoutMs: 0 }), ['applying', ['Reconcile(g2)']]);
});

test('applied without a timeout: saved at once', (t) => {
  t.deepEqual(run(applying(0), { type: 'ReconcileSucceeded', now: 100 }), ['idle', ['SaveConfig(g2)', 'Report(applied, g2)']]);
  const [next] = stepSafeApply(applying(0), { type: 'ReconcileSucceeded', now: 100 });
  t.is(next.active, 'g2');
});

test('applied with a timeout: pending, deadline armed, not saved', (t) => {
  t.deepEqual(run(applying(2000), { type: 'ReconcileSucceeded', now: 100 }), ['pending', ['ArmTimer(2100)', 'Report(pending, g2)']]);
  const [next] = stepSafeApply(applying(2000), { type: 'ReconcileSucceeded', now: 100 });
  t.is(next.active, 'g1', 'the saved/confirmed config is still g1');
});

test('a failed apply goes back to idle on the old config', (t) => {
  const [next, effects] = stepSafeApply(applying(2000), { type: 'ReconcileFailed', error: 'boom' });
  t.deepEqual([next.kind, next.active, effects.map(show)], ['idle', 'g1', ['Report(failed, g2)']]);
});

test('confirm while pending: saved, timer cancelled', (t) => {
  t.deepEqual(run(pending, { type: 'ConfirmRequested' }), ['idle', ['CancelTimer', 'SaveConfig(g2)', 'Report(confirmed, g2)']]);
});

test('rollback while pending, and the deadline: reconcile back to the active config', (t) => {
  t.deepEqual(run(pending, { type: 'RollbackRequested' }), ['rolling-back', ['CancelTimer', 'Reconcile(g1, undoing g2)']]);
  t.deepEqual(run(pending, { type: 'DeadlinePassed', now: 5000 }), ['rolling-back', ['Reconcile(g1, undoing g2)']]);
  t.deepEqual(run(pending, { type: 'DeadlinePassed', now: 4999 }), ['pending', []], 'an early timer does nothing');
  t.deepEqual(run(rolling, { type: 'ReconcileSucceeded', now: 6000 }), ['idle', ['Report(rolled-back, g2)']]);
  t.deepEqual(run(rolling, { type: 'ReconcileFailed', error: 'x' }), ['idle', ['Report(rollback-failed, g2)']]);
  t.is(stepSafeApply(rolling, { type: 'ReconcileSucceeded', now: 6000 })[0].active, 'g1');
});

test('requests in the wrong state are rejected with a code and change nothing', (t) => {
  t.deepEqual(run(pending, { type: 'ApplyRequested', candidate: 'g3', timeoutMs: 0 }), ['pending', ['Reject(PENDING_CONFIRMATION)']]);
  t.deepEqual(run(applying(0), { type: 'ApplyRequested', candidate: 'g3', timeoutMs: 0 }), ['applying', ['Reject(BUSY)']]);
  t.deepEqual(run(rolling, { type: 'ApplyRequested', candidate: 'g3', timeoutMs: 0 }), ['rolling-back', ['Reject(BUSY)']]);
  t.deepEqual(run(idle, { type: 'ConfirmRequested' }), ['idle', ['Reject(NOT_PENDING)']]);
  t.deepEqual(run(idle, { type: 'RollbackRequested' }), ['idle', ['Reject(NOT_PENDING)']]);
  t.deepEqual(run(rolling, { type: 'ConfirmRequested' }), ['rolling-back', ['Reject(NOT_PENDING)']]);
  t.deepEqual(run(idle, { type: 'DeadlinePassed', now: 1e9 }), ['idle', []], 'a stale timer is ignored');
});
