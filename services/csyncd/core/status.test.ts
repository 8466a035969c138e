import test from 'ava';
import { serviceState, statusColour, type SideFacts } from './status';

const H = (c: string): string => c.repeat(64);
const side = (sha: string, saved: string | null, synced: string | null): SideFacts => ({ version: { counter: 1, node: 1, sha256: sha }, sha256: sha, saved, synced });

test('service states', (t) => {
  const table: [string, SideFacts, SideFacts | 'missing' | null, string][] = [
    ['peer unreachable', side(H('a'), H('a'), H('a')), null, 'unknown'],
    ['not on the peer', side(H('a'), H('a'), H('a')), 'missing', 'not-on-peer'],
    ['in sync and saved', side(H('a'), H('a'), H('a')), side(H('a'), H('a'), H('a')), 'in-sync'],
    ['peer did not save', side(H('a'), H('a'), H('a')), side(H('a'), H('0'), H('a')), 'peer-unsaved'],
    ['we did not save', side(H('a'), null, H('a')), side(H('a'), H('a'), H('a')), 'local-unsaved'],
    ['local edit', side(H('b'), H('a'), H('a')), side(H('a'), H('a'), H('a')), 'differs:changed on this unit'],
    ['peer edit', side(H('a'), H('a'), H('a')), side(H('c'), H('a'), H('a')), 'differs:changed on the peer'],
    ['both edited', side(H('b'), H('a'), H('a')), side(H('c'), H('a'), H('a')), 'differs:conflict'],
    ['never synced', side(H('b'), null, null), side(H('c'), null, null), 'differs:never synced'],
  ];
  for (const [why, l, p, want] of table) {
    const s = serviceState('haproxy', l, p);
    const [state, detail] = want.split(':');
    t.is(s.state as string, state ?? '', why);
    if (detail !== undefined) t.true(s.detail.startsWith(detail), `${why}: ${s.detail}`);
  }
});

test('colours: red for link or stuck, orange for any difference, green only when all in sync', (t) => {
  const ok = { name: 'a', state: 'in-sync' as const, detail: '' };
  const diff = { name: 'b', state: 'differs' as const, detail: 'x' };
  t.is(statusColour({ link: null, services: [ok], stuck: [] }).colour, 'orange');
  t.deepEqual(statusColour({ link: { ok: false, code: 'HOST_KEY_CHANGED', message: 'm' }, services: [ok], stuck: [] }), { colour: 'red', reason: 'HOST_KEY_CHANGED: m' });
  t.is(statusColour({ link: { ok: true }, services: [ok], stuck: ['x'] }).colour, 'red');
  t.deepEqual(statusColour({ link: { ok: true }, services: [ok, diff], stuck: [] }), { colour: 'orange', reason: 'b: differs (x)' });
  t.deepEqual(statusColour({ link: { ok: true }, services: [ok], stuck: [] }), { colour: 'green', reason: '1 service in sync and saved on both units' });
  t.is(statusColour({ link: { ok: true }, services: [], stuck: [] }).colour, 'green');
});
