import test from 'ava';
import type { PanelSpec } from '../profile/types';
import { panelChecks, testPattern, type PanelLink, type PanelObserver } from './panel';
import { NOBODY, type Check, type Outcome, type Technician } from './types';

const SPEC: PanelSpec = { width: 16, height: 2, keys: ['Up', 'Enter'], host: '127.0.0.1', port: 13666, line: 1 };
const DISPLAY = { serverVersion: '0.5.9', protocolVersion: '0.3', width: 16, height: 2, cellWidth: 5, cellHeight: 8 };

/** An in-memory LCDd: what is shown is kept; pressed keys are reported unless `deadKeys`. */
function fakePanel(o: { width?: number; garble?: boolean; deadKeys?: string[] } = {}): { link: PanelLink; observer: PanelObserver; shown: () => string[] | null } {
  let rows: string[] | null = null;
  const waiters: ((k: string) => void)[] = [];
  const seen: string[] = [];
  const link: PanelLink = {
    display: { ...DISPLAY, width: o.width ?? 16 },
    keysSeen: seen,
    showPattern: (r) => {
      rows = o.garble === true ? r.map((x, i) => (i === 1 ? x.replace(/Q/g, ' ') : x)) : [...r];
      return Promise.resolve();
    },
    takeKeys: () => Promise.resolve(),
    waitKey: (key, ms) =>
      new Promise((resolve) => {
        const t = setTimeout(() => resolve(false), ms);
        waiters.push((k) => {
          if (k !== key) return;
          clearTimeout(t);
          resolve(true);
        });
      }),
    close: () => Promise.resolve(),
  };
  const observer: PanelObserver = {
    frame: () => Promise.resolve(rows),
    press: (key) => {
      if (!(o.deadKeys ?? []).includes(key)) {
        seen.push(key);
        for (const w of waiters) w(key);
      }
      return Promise.resolve();
    },
  };
  return { link, observer, shown: () => rows };
}

async function runAll(checks: Check[]): Promise<[string, Outcome['status'], string][]> {
  const out: [string, Outcome['status'], string][] = [];
  for (const c of checks) {
    const r = await c.run(new AbortController().signal);
    out.push([c.id, r.status, r.reason]);
  }
  return out;
}

const fast = { pollMs: 5, simWaitMs: 100, keyWaitMs: 100 };

test('simulated panel: size, pattern read back, keys reported', async (t) => {
  const p = fakePanel();
  const { checks } = panelChecks({ spec: SPEC, tech: NOBODY, observer: p.observer, open: () => Promise.resolve(p.link), ...fast });
  t.deepEqual(await runAll(checks), [
    ['panel.lcd.connect', 'pass', 'LCDd 0.5.9, 16x2'],
    ['panel.lcd.pattern', 'pass', 'test pattern read back from the panel'],
    ['panel.keys', 'pass', '2 keys answered'],
  ]);
  t.deepEqual(p.shown(), ['ABCDEFGHIJKLMNOP', 'QRSTUVWXYZABCDEF']);
});

test('a garbled row, a dead key, a wrong display size each fail with what was seen', async (t) => {
  const g = fakePanel({ garble: true, deadKeys: ['Enter'] });
  const r = await runAll(panelChecks({ spec: SPEC, tech: NOBODY, observer: g.observer, open: () => Promise.resolve(g.link), ...fast }).checks);
  t.deepEqual(r[1], ['panel.lcd.pattern', 'fail', 'the panel shows ["ABCDEFGHIJKLMNOP"," RSTUVWXYZABCDEF"] instead of the test pattern']);
  t.deepEqual(r[2], ['panel.keys', 'fail', "key(s) Enter pressed but LCDd reported nothing: keypad, its cable or the driver's key map"]);
  const w = fakePanel({ width: 20 });
  const [connect] = await runAll(panelChecks({ spec: SPEC, tech: NOBODY, open: () => Promise.resolve(w.link), ...fast }).checks.slice(0, 1));
  t.deepEqual(connect, ['panel.lcd.connect', 'fail', 'LCDd drives a 20x2 display, this model has 16x2: wrong LCDd.conf (Size=) or driver']);
});

test('no LCDd: connect fails with why, the other two point at it', async (t) => {
  const r = await runAll(panelChecks({ spec: SPEC, tech: NOBODY, open: () => Promise.reject(new Error('no answer from LCDd at 127.0.0.1:13666: ECONNREFUSED')), ...fast }).checks);
  t.deepEqual(r, [
    ['panel.lcd.connect', 'fail', 'no answer from LCDd at 127.0.0.1:13666: ECONNREFUSED'],
    ['panel.lcd.pattern', 'fail', 'no connection to LCDd (see panel.lcd.connect)'],
    ['panel.keys', 'fail', 'no connection to LCDd (see panel.lcd.connect)'],
  ]);
});

test('a unit without a technician skips what needs eyes and fingers; with one, their answer decides', async (t) => {
  const p = fakePanel();
  const alone = await runAll(panelChecks({ spec: SPEC, tech: NOBODY, open: () => Promise.resolve(p.link), ...fast }).checks);
  t.deepEqual(alone.map((x) => x[1]), ['pass', 'skip', 'skip']);
  t.is(alone[2]?.[2], 'pressing Up, Enter needs a technician (--interactive)');
  const q = fakePanel();
  const said: string[] = [];
  const tech: Technician = {
    present: true,
    instruct: () => Promise.resolve(),
    say: (text) => {
      said.push(text);
      // The technician presses the key they are asked for, except Enter (a dead key).
      const key = /Press the (\w+) key/.exec(text)?.[1] ?? '';
      if (key !== 'Enter') setTimeout(() => void q.observer.press(key), 5);
    },
    confirm: () => Promise.resolve(false),
  };
  const withTech = await runAll(panelChecks({ spec: SPEC, tech, open: () => Promise.resolve(q.link), ...fast }).checks);
  t.deepEqual(withTech.slice(1), [
    ['panel.lcd.pattern', 'fail', 'technician: the test pattern is wrong or missing (LCD, its cable or contrast)'],
    ['panel.keys', 'fail', "key(s) Enter pressed but LCDd reported nothing: keypad, its cable or the driver's key map"],
  ]);
  t.deepEqual(said, ['Press the Up key on the front panel (0 s)', 'Press the Enter key on the front panel (0 s)']);
});

test('the test pattern: walking letters, one row per display line', (t) => {
  t.deepEqual(testPattern(4, 3), ['ABCD', 'EFGH', 'IJKL']);
  t.deepEqual(testPattern(20, 4)[3], 'IJKLMNOPQRSTUVWXYZAB');
});
