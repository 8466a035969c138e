import test from 'ava';
import type { LedInfo, LedState } from '../../services/paneld/adapters/led-class';
import { runLedContract, type LedPort } from './led';

/** An in-memory LED as the LED class behaves; `stuck` ignores writes (a dead driver). */
function fakeLeds(names: string[], o: { stuck?: boolean; noBlink?: boolean } = {}): LedPort & { states: Map<string, LedState> } {
  const states = new Map<string, LedState>(names.map((n) => [n, { mode: 'on', brightness: 1 }]));
  return {
    states,
    has: (n) => Promise.resolve(states.has(n)),
    read: (n) => {
      const s = states.get(n) ?? { mode: 'off' };
      const info: LedInfo = { name: n, brightness: s.mode === 'off' ? 0 : s.brightness, maxBrightness: 255, trigger: s.mode === 'blink' ? 'timer' : 'none', triggers: [], state: s };
      return Promise.resolve(info);
    },
    apply: (n, s) => {
      if (o.stuck !== true) states.set(n, o.noBlink === true && s.mode === 'blink' ? { mode: 'on', brightness: s.brightness } : s);
      return Promise.resolve();
    },
  };
}

test('a working LED reads back every state and gets its old state back', async (t) => {
  const leds = fakeLeds(['status']);
  const r = await runLedContract(leds, 'status');
  t.true(r.present);
  t.deepEqual(r.steps.map((s) => [s.step, s.ok, s.problem]), [['on', true, ''], ['off', true, ''], ['blink', true, '']]);
  t.deepEqual(leds.states.get('status'), { mode: 'on', brightness: 1 });
});

test('an LED that ignores writes fails each step with what was set and read', async (t) => {
  const r = await runLedContract(fakeLeds(['status'], { stuck: true }), 'status');
  t.deepEqual(r.steps.map((s) => s.problem), ['set on at 255, read back on at 1', 'set off, read back on at 1', 'set blink 250/250 ms at 255, read back on at 1']);
});

test('no timer trigger: only blink fails', async (t) => {
  const r = await runLedContract(fakeLeds(['status'], { noBlink: true }), 'status');
  t.deepEqual(r.steps.map((s) => s.ok), [true, true, false]);
});

test('a missing LED is reported as absent; the technician\'s "no" fails a step that read back fine', async (t) => {
  t.deepEqual(await runLedContract(fakeLeds([]), 'status'), { present: false, steps: [] });
  const asked: string[] = [];
  const r = await runLedContract(fakeLeds(['status']), 'status', (q) => {
    asked.push(q);
    return Promise.resolve(!q.includes('blinking'));
  });
  t.deepEqual(asked, ['Is LED status lit?', 'Is LED status dark?', 'Is LED status blinking (about twice a second)?']);
  t.deepEqual(r.steps.map((s) => [s.ok, s.seen, s.problem]), [[true, true, ''], [true, true, ''], [false, false, 'technician: not blinking']]);
});
