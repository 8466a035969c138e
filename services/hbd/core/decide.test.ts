import test from 'ava';
import { type DecideOptions, type Decision, type NodeView, compareScore, decide } from './decide';
import type { ManualOverride } from './election-types';
import { NO_MANUAL, maxManual } from './manual';

const A: NodeView = { node: 'lb1', state: 'standby', priority: 100, pingReachable: 1, healthy: true, isOwner: true };
const B: NodeView = { node: 'lb2', state: 'standby', priority: 100, pingReachable: 1, healthy: true, isOwner: false };
const OFF: DecideOptions = { pingConfigured: 0, autoFailback: false };
const ON: DecideOptions = { pingConfigured: 0, autoFailback: true };
const PING: DecideOptions = { pingConfigured: 2, autoFailback: false };

interface Row {
  name: string;
  self: Partial<NodeView>;
  peer: Partial<NodeView> | null;
  opts?: DecideOptions;
  manual?: ManualOverride;
  want: Decision;
}

const ROWS: Row[] = [
  { name: 'peer dead, healthy', self: {}, peer: null, want: { winner: 'lb1', reason: 'peer-dead' } },
  { name: 'peer dead, track failed', self: { healthy: false }, peer: null, want: { winner: null, reason: 'peer-dead' } },
  { name: 'peer dead, no ping node reachable (split-brain guard)', self: { pingReachable: 0 }, peer: null, opts: PING, want: { winner: null, reason: 'peer-dead' } },
  { name: 'peer dead, ping reachable', self: { pingReachable: 1 }, peer: null, opts: PING, want: { winner: 'lb1', reason: 'peer-dead' } },
  { name: 'peer dead, ping not configured', self: { pingReachable: 0 }, peer: null, want: { winner: 'lb1', reason: 'peer-dead' } },
  { name: 'peer stopping counts as dead', self: {}, peer: { state: 'stopped', priority: 200 }, want: { winner: 'lb1', reason: 'peer-dead' } },
  { name: 'self in init never wins', self: { state: 'init' }, peer: null, want: { winner: null, reason: 'peer-dead' } },
  { name: 'peer in init, self standby: wait', self: {}, peer: { state: 'init' }, want: { winner: null, reason: 'peer-starting' } },
  { name: 'peer in init, self active: keep', self: { state: 'active' }, peer: { state: 'init', priority: 200 }, want: { winner: 'lb1', reason: 'peer-starting' } },
  { name: 'fewer ping nodes is ineligible', self: { pingReachable: 1 }, peer: { pingReachable: 2 }, opts: PING, want: { winner: 'lb2', reason: 'eligibility' } },
  { name: 'ping beats priority', self: { pingReachable: 2, priority: 1 }, peer: { pingReachable: 1, state: 'active' }, opts: PING, want: { winner: 'lb1', reason: 'eligibility' } },
  { name: 'both reach no ping node: ping does not discriminate', self: { pingReachable: 0 }, peer: { pingReachable: 0, state: 'active' }, opts: PING, want: { winner: 'lb2', reason: 'sticky' } },
  { name: 'unhealthy peer with more ping nodes does not disqualify self', self: { pingReachable: 1 }, peer: { pingReachable: 2, healthy: false }, opts: PING, want: { winner: 'lb1', reason: 'eligibility' } },
  { name: 'both unhealthy: nobody', self: { healthy: false, state: 'active' }, peer: { healthy: false }, want: { winner: null, reason: 'none-eligible' } },
  { name: 'manual names the peer', self: { state: 'active' }, peer: {}, manual: { epoch: 1, node: 'lb2' }, want: { winner: 'lb2', reason: 'manual' } },
  { name: 'manual names an ineligible node: ignored', self: {}, peer: { healthy: false }, manual: { epoch: 1, node: 'lb2' }, want: { winner: 'lb1', reason: 'eligibility' } },
  { name: 'manual cleared: normal rules', self: {}, peer: { state: 'active' }, manual: { epoch: 4, node: '' }, want: { winner: 'lb2', reason: 'sticky' } },
  { name: 'none active: owner wins on equal priority', self: {}, peer: {}, want: { winner: 'lb1', reason: 'score' } },
  { name: 'none active: priority beats owner', self: {}, peer: { priority: 101 }, want: { winner: 'lb2', reason: 'score' } },
  { name: 'auto_failback off: active peer keeps it', self: { priority: 200 }, peer: { state: 'active' }, want: { winner: 'lb2', reason: 'sticky' } },
  { name: 'auto_failback on: better self fails back', self: {}, peer: { state: 'active' }, opts: ON, want: { winner: 'lb1', reason: 'failback' } },
  { name: 'auto_failback on: active best keeps it', self: { state: 'active' }, peer: {}, opts: ON, want: { winner: 'lb1', reason: 'score' } },
  { name: 'both active (healed split brain): best score', self: { state: 'active' }, peer: { state: 'active', priority: 120 }, want: { winner: 'lb2', reason: 'split-brain' } },
];

for (const row of ROWS) {
  test(`decide: ${row.name}`, (t) => {
    const self = { ...A, ...row.self };
    const peer = row.peer === null ? null : { ...B, ...row.peer };
    t.deepEqual(decide(self, peer, row.manual ?? NO_MANUAL, row.opts ?? OFF), row.want);
  });
}

test('both nodes reach the same decision from their own point of view', (t) => {
  const states = ['standby', 'active'] as const;
  for (const sa of states) {
    for (const sb of states) {
      for (const opts of [OFF, ON, PING]) {
        for (const pb of [0, 1, 2]) {
          const a = { ...A, state: sa };
          const b = { ...B, state: sb, pingReachable: pb, priority: 100 + pb };
          t.deepEqual(decide(a, b, NO_MANUAL, opts).winner, decide(b, a, NO_MANUAL, opts).winner, `${sa}/${sb}/${pb}`);
        }
      }
    }
  }
});

test('score order and manual order are total and symmetric', (t) => {
  t.true(compareScore(A, B) < 0);
  t.true(compareScore(B, A) > 0);
  t.is(compareScore(A, A), 0);
  const x = { epoch: 3, node: 'lb1' };
  const y = { epoch: 3, node: 'lb2' };
  t.is(maxManual(x, y), x);
  t.is(maxManual(y, x), x);
  t.deepEqual(maxManual({ epoch: 4, node: '' }, x), { epoch: 4, node: '' });
  t.deepEqual(maxManual(x, { epoch: 3, node: '' }), { epoch: 3, node: '' });
});
