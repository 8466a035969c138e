import test from 'ava';
import { busyPercent, currentLoad, parseProcStat } from './proc-stat';

const STAT_1 = `cpu  100 0 100 700 100 0 0 0 0 0
cpu0 50 0 50 350 50 0 0 0 0 0
cpu1 50 0 50 350 50 0 0 0 0 0
intr 12345 0 0
ctxt 999
`;
const STAT_2 = `cpu  250 0 150 800 100 0 0 0 0 0
cpu0 150 0 50 400 50 0 0 0 0 0
cpu1 100 0 100 400 50 0 0 0 0 0
`;

test('parse: the sum line and one entry per core; iowait counts as idle', (t) => {
  const s = parseProcStat(STAT_1);
  t.deepEqual(s, { all: { busy: 200, total: 1000 }, cores: [{ busy: 100, total: 500 }, { busy: 100, total: 500 }] });
});

test('parse: steal and irq are busy time', (t) => {
  t.deepEqual(parseProcStat('cpu 10 0 10 70 0 5 3 2\n')?.all, { busy: 30, total: 100 });
});

test('parse: no cpu line (or garbage) is null, not a throw', (t) => {
  t.is(parseProcStat(''), null);
  t.is(parseProcStat('intr 1 2 3\n'), null);
  t.is(parseProcStat('cpu x y z w\n'), null);
});

test('busy share of the interval between two readings', (t) => {
  const a = parseProcStat(STAT_1);
  const b = parseProcStat(STAT_2);
  if (a === null || b === null) return t.fail('fixtures did not parse');
  // all: busy +200 of total +300
  t.is(Math.round(busyPercent(a.all, b.all)), 67);
  t.deepEqual(currentLoad(a, b, 0.42).cpus.map((c) => Math.round(c.load)), [67, 67]);
  t.is(currentLoad(a, b, 0.42).avgLoad, 0.42);
});

test('first reading: since boot; a counter that did not move: 0, never NaN', (t) => {
  const a = parseProcStat(STAT_1);
  if (a === null) return t.fail('fixture did not parse');
  t.is(currentLoad(null, a, 0).currentLoad, 20);
  t.is(busyPercent(a.all, a.all), 0);
});
