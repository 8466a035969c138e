import test from 'ava';
import { applySteps, fitLine, fitScreen, planScreens, type ServerScreens } from './screen-diff';

const empty: ServerScreens = new Map();

test('fit: cut and pad to the width, rows to the height', (t) => {
  t.is(fitLine('abcdef', 4), 'abcd');
  t.is(fitLine('ab', 4), 'ab  ');
  t.deepEqual(fitScreen(['a', 'b', 'c'], 2, 2), ['a ', 'b ']);
  t.deepEqual(fitScreen([], 3, 2), ['   ', '   ']);
});

test('a new screen: add, set priority, one widget per row, set every row', (t) => {
  const steps = planScreens(empty, [{ id: 'main', priority: 'foreground', lines: ['LBOS', 'x'] }], 4, 2);
  t.deepEqual(steps.map((s) => s.op), ['screen_add', 'screen_set', 'widget_add', 'widget_add', 'widget_set', 'widget_set']);
  t.deepEqual(steps.at(-1), { op: 'widget_set', screen: 'main', widget: 'l2', x: 1, y: 2, text: 'x   ' });
});

test('planning again after applying is a no-op; one changed row is one widget_set', (t) => {
  const want = [{ id: 'main', priority: 'foreground' as const, lines: ['LBOS', 'active'] }];
  const after = applySteps(empty, planScreens(empty, want, 8, 2));
  t.deepEqual(planScreens(after, want, 8, 2), []);
  const next = [{ id: 'main', priority: 'foreground' as const, lines: ['LBOS', 'standby'] }];
  t.deepEqual(planScreens(after, next, 8, 2), [{ op: 'widget_set', screen: 'main', widget: 'l2', x: 1, y: 2, text: 'standby ' }]);
});

test('priority change and removed screens', (t) => {
  const have = applySteps(empty, planScreens(empty, [{ id: 'a', priority: 'info', lines: ['x'] }, { id: 'b', priority: 'info', lines: ['y'] }], 2, 1));
  const steps = planScreens(have, [{ id: 'a', priority: 'alert', lines: ['x'] }], 2, 1);
  t.deepEqual(steps, [{ op: 'screen_del', screen: 'b' }, { op: 'screen_set', screen: 'a', priority: 'alert' }]);
  t.deepEqual([...applySteps(have, steps).keys()], ['a']);
});
