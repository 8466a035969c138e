import test from 'ava';
import { sideBySide } from './panel-demo';

test('two displays side by side: names above, LED lines below, no trailing blanks', (t) => {
  const text = sideBySide(['u1', 'u2'], [['ab', 'cd'], null], 2, 2, ['L1', 'L2']);
  t.is(text, [
    'u1 LCD   u2 LCD',
    '+--+   +--+',
    '|ab|   |  |',
    '|cd|   |  |',
    '+--+   +--+',
    'L1     L2',
  ].join('\n'));
});
