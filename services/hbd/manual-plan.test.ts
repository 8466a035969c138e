import test from 'ava';
import { planManual } from './manual-plan';
import type { StatusView } from './status-view';

const view = (o: Partial<StatusView>): StatusView => ({
  node: 'u1', peer: 'u2', role: 'master', state: 'active', peerStatus: 'up', peerState: 'standby', links: [], drops: {}, resources: [],
  pingReachable: 0, pingConfigured: 0, healthy: true, generation: 1, manual: { epoch: 0, node: '' }, ...o,
});

const table: [string, Parameters<typeof planManual>[0], Partial<StatusView>, ReturnType<typeof planManual>['kind'], RegExp][] = [
  ['takeover on the active unit', 'takeover', {}, 'nothing-to-do', /already active/],
  ['takeover on the active unit while a standby hands over', 'takeover', { manual: { epoch: 3, node: 'u2' } }, 'send', /takeover requested/],
  ['takeover on the passive unit', 'takeover', { state: 'passive' }, 'send', /takes the resources from u2/],
  ['takeover with the peer dead', 'takeover', { state: 'passive', peerStatus: 'dead' }, 'send', /takes the resources$/],
  ['standby on the passive unit', 'standby', { state: 'passive' }, 'nothing-to-do', /already passive, u2 holds/],
  ['standby on the passive unit pinned to itself', 'standby', { state: 'passive', manual: { epoch: 2, node: 'u1' } }, 'send', /standby requested/],
  ['standby on the active unit', 'standby', {}, 'send', /hands the resources to u2/],
  ['standby with the peer dead', 'standby', { peerStatus: 'dead' }, 'refused', /peer u2 is dead/],
  ['standby with the peer never heard', 'standby', { peerStatus: 'unknown' }, 'refused', /not heard/],
  ['anything in init', 'takeover', { state: 'init' }, 'refused', /still starting/],
  ['anything when stopped', 'standby', { state: 'stopped' }, 'refused', /is stopped/],
];

for (const [name, cmd, o, kind, msg] of table) {
  test(`${name}: ${kind}`, (t) => {
    const p = planManual(cmd, view(o));
    t.is(p.kind, kind);
    t.regex(p.message, msg);
  });
}
