import test from 'ava';
import { applyChanges, deepEqual, diff, getAt, setAt, toJson, type JsonObject } from './json';

test('diff walks objects key by key and replaces arrays whole', (t) => {
  const prev: JsonObject = { state: 'active', links: [{ id: 'a', status: 'up' }], nics: { eth0: { carrier: true }, eth1: { carrier: true } } };
  const next: JsonObject = { state: 'passive', links: [{ id: 'a', status: 'down' }], nics: { eth0: { carrier: true }, eth2: { carrier: false } } };
  t.deepEqual(diff(prev, next, ['hbd']), [
    { path: ['hbd', 'state'], value: 'passive' },
    { path: ['hbd', 'links'], value: [{ id: 'a', status: 'down' }] },
    { path: ['hbd', 'nics', 'eth2'], value: { carrier: false } },
    { path: ['hbd', 'nics', 'eth1'], removed: true },
  ]);
});

test('diff: no change, no changes; undefined on either side', (t) => {
  t.deepEqual(diff({ a: [1, 2] }, { a: [1, 2] }, ['x']), []);
  t.deepEqual(diff(undefined, 5, ['x']), [{ path: ['x'], value: 5 }]);
  t.deepEqual(diff(5, undefined, ['x']), [{ path: ['x'], removed: true }]);
  t.deepEqual(diff(undefined, undefined, ['x']), []);
  t.deepEqual(diff({ a: 1 }, 'now a string', ['x']), [{ path: ['x'], value: 'now a string' }]);
});

test('applying a diff gives the new tree (keys with dots and odd names stay whole)', (t) => {
  const before: JsonObject = { systemd: { units: { 'hbd.service': { active: 'active' } } }, other: { keep: true } };
  const after: JsonObject = { systemd: { units: { 'hbd.service': { active: 'failed' }, 'eth0.100': { x: null } } }, other: { keep: true } };
  const changes = diff(before, after);
  t.deepEqual(applyChanges(before, changes), after);
  t.true(changes.every((c) => c.path.length > 0));
});

test('setAt is immutable and shares what it does not touch', (t) => {
  const root: JsonObject = { a: { b: 1 }, c: { d: 2 } };
  const next = setAt(root, ['a', 'b'], 5);
  t.deepEqual(root, { a: { b: 1 }, c: { d: 2 } });
  t.is(next.c, root.c);
  t.deepEqual(setAt(root, ['x', 'y', 'z'], true), { ...root, x: { y: { z: true } } });
  t.deepEqual(setAt(root, ['a', 'b'], undefined), { a: {}, c: { d: 2 } });
  t.is(setAt(root, ['nope', 'deeper'], undefined), root, 'removing below a missing key changes nothing');
});

test('getAt does not follow inherited keys', (t) => {
  t.is(getAt({ a: { b: 3 } }, ['a', 'b']), 3);
  t.is(getAt({ a: {} }, ['a', 'toString']), undefined);
  t.is(getAt({ a: [1] }, ['a', '0']), undefined);
});

test('deepEqual', (t) => {
  t.true(deepEqual({ a: [1, { b: null }] }, { a: [1, { b: null }] }));
  t.false(deepEqual({ a: 1 }, { a: 1, b: undefined as unknown as null }));
  t.false(deepEqual([1], { 0: 1 }));
});

test('toJson: D-Bus values become JSON without throwing', (t) => {
  t.deepEqual(toJson({ n: 5n, list: [[1n, 'x']], buf: Buffer.from([1, 255]), m: new Map([['k', true]]), nan: NaN, f: () => 1 }), {
    n: 5, list: [[1, 'x']], buf: '01ff', m: { k: true }, nan: null, f: null,
  });
  t.deepEqual(toJson({ signature: 's', value: 'variant' }), 'variant');
  const deep: Record<string, unknown> = {};
  let cur = deep;
  for (let i = 0; i < 40; i++) cur = (cur.x = {}) as Record<string, unknown>;
  t.notThrows(() => toJson(deep));
});
