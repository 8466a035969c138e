import test from 'ava';
import { planSync, type PlanInput } from './sync-plan';
import type { SideFacts } from './status';

const H = (c: string): string => c.repeat(64);
const side = (sha: string, synced: string | null): SideFacts => ({ version: { counter: 1, node: 1, sha256: sha }, sha256: sha, saved: sha, synced });
const svc = (local: SideFacts, peer: SideFacts | 'missing' | null): PlanInput => ({ name: 's', local, peer });

test('planner table', (t) => {
  const table: [string, PlanInput, boolean, string][] = [
    ['equal and recorded: nothing', svc(side(H('a'), H('a')), side(H('a'), H('a'))), true, ''],
    ['equal, record stale: record', svc(side(H('a'), H('0')), side(H('a'), H('a'))), false, 'RecordSynced'],
    ['local change, auto: push', svc(side(H('b'), H('a')), side(H('a'), H('a'))), true, 'Push'],
    ['local change, manual: nothing', svc(side(H('b'), H('a')), side(H('a'), H('a'))), false, ''],
    ['peer change only: nothing here (the peer pushes)', svc(side(H('a'), H('a')), side(H('c'), H('a'))), true, ''],
    ['both changed: conflict reported', svc(side(H('b'), H('a')), side(H('c'), H('a'))), true, 'ReportConflict'],
    ['never synced: never automatic', svc(side(H('b'), null), side(H('c'), null)), true, ''],
    ['peer unreachable', svc(side(H('b'), H('a')), null), true, ''],
    ['not on peer', svc(side(H('b'), H('a')), 'missing'), true, ''],
  ];
  for (const [why, input, auto, want] of table) t.is(planSync([input], auto).map((s) => s.type).join(','), want, why);
});

test('re-planning after the steps ran is a no-op', (t) => {
  const after = svc(side(H('b'), H('b')), side(H('b'), H('b')));
  t.deepEqual(planSync([after], true), []);
});
