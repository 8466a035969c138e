/** LedClass against a directory tree shaped like /sys/class/leds. */
import test from 'ava';
import * as fs from 'node:fs/promises';
import * as os from 'node:os';
import * as path from 'node:path';
import { LedClass } from './led-class';
import { ledFiles, makeLedTree } from '../testing/led-tree';
import { isAppError } from '../../runtime/errors';

async function tree(t: { teardown(fn: () => Promise<void>): void }): Promise<string> {
  const root = await fs.mkdtemp(path.join(os.tmpdir(), 'paneld-leds-'));
  t.teardown(() => fs.rm(root, { recursive: true, force: true }));
  await makeLedTree(root, [{ name: 'lbos:green:status' }, { name: 'lbos:amber:ha', maxBrightness: 1 }, { name: 'lbos:red:fault', triggers: ['none', 'heartbeat'] }]);
  await fs.mkdir(path.join(root, 'not-an-led'));
  return root;
}

test('list and read', async (t) => {
  const leds = new LedClass(await tree(t));
  t.deepEqual(await leds.list(), ['lbos:amber:ha', 'lbos:green:status', 'lbos:red:fault']);
  t.like(await leds.read('lbos:amber:ha'), { brightness: 0, maxBrightness: 1, trigger: 'none', state: { mode: 'off' } });
  t.deepEqual((await leds.read('lbos:green:status')).triggers, ['none', 'timer', 'heartbeat', 'default-on']);
});

test('on, blink (timer with delay_on/delay_off), off: the files and the state read back', async (t) => {
  const root = await tree(t);
  const leds = new LedClass(root);
  await leds.apply('lbos:green:status', { mode: 'on', brightness: 255 });
  t.like(await ledFiles(root, 'lbos:green:status'), { brightness: '255', trigger: 'none' });
  await leds.apply('lbos:green:status', { mode: 'blink', brightness: 255, onMs: 250, offMs: 750 });
  t.like(await ledFiles(root, 'lbos:green:status'), { brightness: '255', trigger: 'timer', delay_on: '250', delay_off: '750' });
  t.deepEqual(await leds.state('lbos:green:status'), { mode: 'blink', brightness: 255, onMs: 250, offMs: 750 });
  await leds.apply('lbos:green:status', { mode: 'off' });
  t.like(await ledFiles(root, 'lbos:green:status'), { brightness: '0', trigger: 'none' });
  t.deepEqual(await leds.state('lbos:green:status'), { mode: 'off' });
});

test('errors: missing LED, brightness out of range, a trigger the kernel does not offer', async (t) => {
  const leds = new LedClass(await tree(t));
  const missing = await t.throwsAsync(leds.apply('lbos:blue:nope', { mode: 'off' }));
  t.true(isAppError(missing, 'LED_MISSING'));
  t.regex(missing?.message ?? '', /no LED "lbos:blue:nope" under/);
  t.true(isAppError(await t.throwsAsync(leds.setBrightness('lbos:amber:ha', 2)), 'LED_INVALID'));
  const trig = await t.throwsAsync(leds.setTimer('lbos:red:fault', 100, 100));
  t.true(isAppError(trig, 'LED_INVALID'));
  t.regex(trig?.message ?? '', /offers: none heartbeat/);
  t.true(isAppError(await t.throwsAsync(leds.read('../etc')), 'LED_INVALID'));
  t.true(isAppError(await t.throwsAsync(new LedClass('/nonexistent/leds').list()), 'LED_MISSING'));
});
