import test from 'ava';
import { isLedName, parseTriggerFile, parseUintFile, stateOf } from './led-sysfs';

test('trigger file: kernel list with the current one bracketed, or one written name', (t) => {
  t.deepEqual(parseTriggerFile('none [timer] heartbeat default-on\n'), { current: 'timer', available: ['none', 'timer', 'heartbeat', 'default-on'] });
  t.deepEqual(parseTriggerFile('[none] timer'), { current: 'none', available: ['none', 'timer'] });
  t.deepEqual(parseTriggerFile('timer\n'), { current: 'timer', available: [] });
  t.deepEqual(parseTriggerFile(''), { current: null, available: [] });
  t.deepEqual(parseTriggerFile('none timer'), { current: null, available: ['none', 'timer'] });
});

test('integer attributes', (t) => {
  t.is(parseUintFile('255\n'), 255);
  t.is(parseUintFile('0'), 0);
  for (const bad of ['', '-1', 'x', '1.5', '99999999999']) t.is(parseUintFile(bad), null, bad);
});

test('state from attributes', (t) => {
  t.deepEqual(stateOf('timer', 255, 100, 900), { mode: 'blink', brightness: 255, onMs: 100, offMs: 900 });
  t.deepEqual(stateOf('none', 1, null, null), { mode: 'on', brightness: 1 });
  t.deepEqual(stateOf('none', 0, null, null), { mode: 'off' });
  t.deepEqual(stateOf(null, 0, null, null), { mode: 'off' });
});

test('led names', (t) => {
  t.true(isLedName('apu2:green:led1'));
  for (const bad of ['', '.', '..', 'a/b']) t.false(isLedName(bad), bad);
});
