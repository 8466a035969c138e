import test from 'ava';
import { GapCounter } from './advert-gaps';
import { parseHbdLog } from './hbd-log';
import { groupIncidents, type UnitEvent } from './incidents';

test('advert gaps per sender, over warntime and deadtime', (t) => {
  const c = new GapCounter(40, 60);
  const udp = (s: number, src: string): string => `${s.toFixed(6)} IP ${src}.694 > 198.19.0.9.694: UDP, length 59`;
  for (const s of [100.0, 100.02, 100.04, 100.09, 100.16]) c.line(udp(s, '198.19.0.1'));
  c.line(udp(100.0, '198.19.0.2'));
  c.line(udp(100.021, '198.19.0.2'));
  c.line('tcpdump: verbose output suppressed');
  const [a, b] = c.snapshot();
  t.is(a?.source, '198.19.0.1');
  t.is(a?.packets, 5);
  t.true(Math.abs((a?.maxGapMs ?? 0) - 70) < 0.01);
  t.is(a?.overWarn, 2);
  t.is(a?.overDead, 1);
  t.is(b?.overWarn, 0);
  t.is(c.allGaps().length, 5);
  c.reset();
  t.deepEqual(c.snapshot(), []);
});

// hbd's pino lines as logged on the kit.
const LOG = [
  '{"level":30,"time":"2026-11-21T23:46:21.086Z","svc":"hbd","mod":"election","peer":"u1","status":"up","msg":"peer status"}',
  '{"level":40,"time":"2026-11-21T23:50:31.079Z","svc":"hbd","mod":"election","peer":"u2","status":"warn","msg":"peer status"}',
  '{"level":40,"time":"2026-11-21T23:50:31.099Z","svc":"hbd","mod":"election","link":"ucast:eth1:198.19.0.2","msg":"link dead"}',
  '{"level":40,"time":"2026-11-21T23:50:31.100Z","svc":"hbd","mod":"election","peer":"u2","status":"dead","msg":"peer status"}',
  '{"level":30,"time":"2026-11-21T23:50:31.110Z","svc":"hbd","mod":"election","from":"standby","to":"active","reason":"peer-dead","msg":"state change"}',
  'TypeError: boom',
  '    at x (main.js:1:1)',
].join('\n');

test('hbd log: peer, state, link and crash lines after the start', (t) => {
  const evs = parseHbdLog(LOG, Date.parse('2026-11-21T23:50:00Z'));
  t.deepEqual(
    evs.map((e) => e.kind),
    ['peer-warn', 'link-dead', 'peer-dead', 'became-active', 'error', 'error'],
  );
  t.is(parseHbdLog(LOG, Date.parse('2026-11-22T00:00:00Z')).length, 0);
});

test('events close together are one incident; warnings make none', (t) => {
  const ev = (tMs: number, kind: UnitEvent['kind'], unit: string): UnitEvent => ({ tMs, kind, unit, line: '' });
  const incidents = groupIncidents([ev(1000, 'peer-dead', 'u2'), ev(1010, 'became-active', 'u2'), ev(1500, 'peer-dead', 'u1'), ev(9000, 'peer-warn', 'u1'), ev(20_000, 'became-active', 'u1')], 2_060, 0);
  t.is(incidents.length, 2);
  t.is(incidents[0]?.events.length, 3);
  t.is(incidents[1]?.atS, 20);
});
