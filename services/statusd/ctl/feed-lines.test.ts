import test from 'ava';
import { barText, changeText, humanLine, summary } from './feed-lines';
import type { JsonObject } from '../core/json';

const STATE: JsonObject = {
  hbd: { running: true, role: 'master', state: 'active', peer: 'u2', links: [{ id: 'ucast', status: 'up' }] },
  csyncd: { running: true, status: 'green' },
  nicd: { running: true, interfaces: { eth0: { carrier: true }, eth1: { carrier: false } } },
  systemd: { connected: true, units: { 'hbd.service': { active: 'active' }, 'nicd.service': { active: 'failed' } } },
};
const AT = new Date('2026-11-22T01:02:03.456Z');

test('status bar words, as the page shows them', (t) => {
  t.is(barText(STATE), 'Master Active Link');
  t.is(barText({ hbd: { running: true, role: 'slave', state: 'passive', peer: 'u1', links: [{ status: 'down' }] } }), 'Slave Passive NO LINK');
  t.is(barText({ hbd: { running: true, role: 'master', state: 'init', peer: '' } }), 'Master init no peer');
  t.is(barText({ hbd: { running: false } }), 'hbd not running');
  t.is(barText({}), 'hbd not running');
});

test('snapshot line: bar, sync, NICs, units', (t) => {
  t.is(summary(STATE), 'Master Active Link  |  sync green  |  nics eth0 up, eth1 down  |  units hbd active, nicd failed');
  t.is(humanLine({ t: 'snapshot', epoch: 'E', seq: 4, hbMs: 1, state: STATE }, STATE, AT), `01:02:03.456 snapshot #4 (epoch E)  ${summary(STATE)}`);
});

test('delta lines: path = value, removals, the bar after hbd changes', (t) => {
  t.is(changeText({ path: ['hbd', 'state'], value: 'passive' }), 'hbd.state = "passive"');
  t.is(changeText({ path: ['nicd', 'interfaces', 'eth2'], removed: true }), 'nicd.interfaces.eth2 removed');
  t.regex(changeText({ path: ['x'], value: 'y'.repeat(200) }), /…$/);
  t.is(humanLine({ t: 'delta', seq: 5, changes: [{ path: ['hbd', 'state'], value: 'active' }] }, STATE, AT), '01:02:03.456 #5 hbd.state = "active"   [Master Active Link]');
  t.is(humanLine({ t: 'delta', seq: 6, changes: [{ path: ['system', 'uptimeS'], value: 5 }] }, STATE, AT), '01:02:03.456 #6 system.uptimeS = 5');
  t.is(humanLine({ t: 'hb', seq: 6 }, STATE, AT), null);
  t.is(humanLine({ t: 'resumed', epoch: 'E', from: 3, seq: 6, hbMs: 1 }, STATE, AT), '01:02:03.456 resumed at #3; 3 missed change(s) follow');
});
