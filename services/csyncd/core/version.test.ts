import test from 'ava';
import { acceptedVersion, contentHash, decidePush, observeLocal, type PushFacts } from './version';

const H = (c: string): string => c.repeat(64);

test('decidePush: the documented table', (t) => {
  const base: PushFacts = { current: H('a'), synced: H('a'), expect: H('a'), incoming: H('b'), force: false };
  const table: [string, Partial<PushFacts>, string][] = [
    ['peer already has it', { current: H('b') }, 'unchanged'],
    ['unchanged since the sync, expected', {}, 'accept:expected'],
    ['pusher record stale, peer unchanged since its sync', { expect: H('9') }, 'accept:unchanged-since-sync'],
    ['first sync on both', { synced: null, expect: null }, 'accept:first-sync'],
    ['peer edited since the sync', { current: H('c') }, 'conflict'],
    ['peer edited since the sync, forced', { current: H('c'), force: true }, 'accept:forced'],
    ['peer lost its record, files differ from what the pusher expects', { synced: null, current: H('c') }, 'conflict'],
    ['peer lost its record, files are what the pusher expects', { synced: null }, 'accept:expected'],
    ['pusher never synced, peer did (with someone)', { expect: null, current: H('c') }, 'conflict'],
  ];
  for (const [why, over, want] of table) {
    const d = decidePush({ ...base, ...over });
    t.is(d.verdict === 'accept' ? `accept:${d.reason}` : d.verdict, want, why);
  }
});

test('contentHash does not depend on the order of the files, and marks missing ones', (t) => {
  const a = { path: '/etc/a', sha256: H('1') };
  const b = { path: '/etc/b', sha256: H('2') };
  t.is(contentHash([a, b]), contentHash([b, a]));
  t.not(contentHash([a, b]), contentHash([a, { ...b, sha256: null }]));
  t.not(contentHash([a]), contentHash([{ ...a, path: '/etc/c' }]));
});

test('observeLocal: a changed hash is a new version by this node; the same hash is not', (t) => {
  const first = observeLocal(null, H('a'), 1);
  t.deepEqual(first, { meta: { version: { counter: 1, node: 1, sha256: H('a') }, synced: null }, changed: true });
  t.false(observeLocal(first.meta, H('a'), 1).changed);
  const synced = { ...first.meta, version: { counter: 4, node: 2, sha256: H('a') }, synced: { counter: 4, node: 2, sha256: H('a') } };
  const edited = observeLocal(synced, H('b'), 1).meta;
  t.deepEqual(edited.version, { counter: 5, node: 1, sha256: H('b') });
  t.deepEqual(observeLocal(edited, H('a'), 1).meta.version, { counter: 4, node: 2, sha256: H('a') }, 'an edit undone is the synced version again');
});

test('acceptedVersion keeps the pusher stamp and never goes back', (t) => {
  t.deepEqual(acceptedVersion(null, { counter: 3, node: 1, sha256: H('x') }), { counter: 3, node: 1, sha256: H('x') });
  t.deepEqual(acceptedVersion({ counter: 7, node: 2, sha256: H('y') }, { counter: 3, node: 1, sha256: H('x') }), { counter: 8, node: 1, sha256: H('x') });
});
