import test from 'ava';
import { alertsOf } from './alerts';
import { ledStates } from './leds';
import { alertPages, justify, normalPages, pagesOf, pick, wrap } from './screens';
import { healthy, withHa, withNet } from '../testing/inputs';
import { haFromProps, vipOf } from './panel-input';

test('helpers: pick, justify, wrap', (t) => {
  t.is(pick(5, 'too long', 'ok'), 'ok');
  t.is(pick(3, 'abcdef', 'ghijkl'), 'ghi');
  t.is(justify('lb1', 'ACTIVE', 16), 'lb1       ACTIVE');
  t.is(justify('a-very-long-hostname', 'ACTIVE', 16), 'a-very-lo ACTIVE');
  t.is(justify('hostname12345', 'STANDBY', 16), 'hostname STANDBY');
  t.deepEqual(wrap('peer lb2 not heard', 10), ['peer lb2', 'not heard']);
  t.deepEqual(wrap('2001:db8:2::21/64', 8), ['2001:db8', ':2::21/6', '4']);
});

test('20x4: one page with hostname, address, HA and sync', (t) => {
  t.deepEqual(normalPages(healthy(), { width: 20, height: 4 }), [[
    'lb1           ACTIVE',
    'IP 192.168.2.21/24',
    'HA Master Active Lnk',
    'Sync green',
  ]]);
});

test('16x2: pages with the hostname on each', (t) => {
  t.deepEqual(normalPages(healthy(), { width: 16, height: 2 }), [
    ['lb1       ACTIVE', '192.168.2.21/24'],
    // The state is in the badge above.
    ['lb1       ACTIVE', 'Master Link'],
    ['lb1       ACTIVE', 'Sync green'],
  ]);
});

test('40x2: rows packed in pairs', (t) => {
  t.deepEqual(normalPages(healthy(), { width: 40, height: 2 }), [['lb1 ACTIVE  IP 192.168.2.21/24', 'HA Master Active Link  Sync green']]);
});

test('standby slave: one management address (IPv4 first), floating IPs left out; IPv6-only shows IPv6', (t) => {
  const i = withNet({ addresses: ['192.168.2.22/24', '192.168.2.100/24', '2001:db8:2::22/64', 'fe80::1/64'] }, withHa({ role: 'slave', state: 'passive', linksUp: 0, node: 'lb2', peer: 'lb1' }, healthy({ hostname: 'lb2' })));
  t.deepEqual(normalPages(i, { width: 20, height: 4 }), [['lb2          STANDBY', 'IP 192.168.2.22/24', 'Slave Passive NoLnk', 'Sync green']]);
  const v6 = withNet({ addresses: ['2001:db8:2::22/64', 'fe80::1/64'] });
  t.is(normalPages(v6, { width: 20, height: 4 })[0]?.[1], 'IP 2001:db8:2::22/64');
  t.is(normalPages(v6, { width: 16, height: 2 })[0]?.[1], '2001:db8:2::22');
  t.deepEqual(normalPages(withNet({ addresses: ['192.168.2.100/24'] }), { width: 20, height: 4 })[0]?.[1], 'eth0 no address yet', 'only the VIP: the unit has no address of its own');
});

test('VIPs from hbd resource names', (t) => {
  t.deepEqual(haFromProps({ Resources: [['IPaddr::198.18.0.100/24/eth0', 'held', ''], ['IPaddr2::fd00:5b::100/64/eth0', 'held', ''], ['10.0.0.9', 'released', ''], ['haproxy', 'held', '']] }).vips, ['198.18.0.100', 'fd00:5b::100', '10.0.0.9']);
  t.is(vipOf('apache'), null);
});

test('no address yet, nicd down, hbd down', (t) => {
  t.is(normalPages(withNet({ addresses: [] }), { width: 20, height: 4 })[0]?.[1], 'eth0 no address yet');
  t.is(normalPages(withNet({ addresses: [] }), { width: 16, height: 2 })[0]?.[1], 'no address yet');
  t.is(normalPages(withNet({ running: false }), { width: 20, height: 4 })[0]?.[1], 'IP ? (nicd down)');
  t.deepEqual(normalPages(withHa({ running: false }), { width: 20, height: 4 })[0]?.slice(0, 1), ['lb1            NO HA']);
});

test('alerts: most serious first, each a page that replaces the normal ones; the address stays on 4-row displays', (t) => {
  const i = withNet({ carrier: false }, withHa({ peerStatus: 'dead', failedResources: ['IPaddr::198.18.0.100'] }));
  const alerts = alertsOf(i);
  t.deepEqual(alerts.map((a) => `${a.severity} ${a.title}`), ['fault Resource failed', 'warn Peer lost', 'warn Link down']);
  const p = pagesOf(i, alerts, { width: 20, height: 4 });
  t.is(p.kind, 'alert');
  t.deepEqual(p.pages[0], ['!1/3 Resource failed', 'IPaddr::198.18.0.100', '', 'IP 192.168.2.21/24']);
  t.deepEqual(alertPages(i, alerts, { width: 16, height: 2 })[1], ['!2/3 Peer lost', 'lb2 not heard']);
  t.deepEqual(pagesOf(healthy(), alertsOf(healthy()), { width: 16, height: 2 }).kind, 'normal');
});

test('service down alerts follow the expected list', (t) => {
  const down = healthy({ sync: { running: false, status: 'unknown', reason: '' } });
  t.deepEqual(alertsOf(down).map((a) => a.title), ['SYNC service down']);
  t.deepEqual(alertsOf({ ...down, expected: ['hbd', 'nicd'] }), []);
  t.deepEqual(alertsOf(withNet({ linksDown: ['eth2'] })).map((a) => a.detail), ['eth2']);
  t.deepEqual(alertsOf(healthy({ sync: { running: true, status: 'red', reason: 'haproxy differs' } })).map((a) => a.detail), ['haproxy differs']);
});

test('LEDs: healthy steady, degraded blinking, HA on when active, fault on a fault alert', (t) => {
  const led = (i: ReturnType<typeof healthy>) => ledStates(i, alertsOf(i));
  t.deepEqual(led(healthy()), { status: 'on', ha: 'on', fault: 'off' });
  t.deepEqual(led(withHa({ peerStatus: 'dead' })), { status: 'blink', ha: 'on', fault: 'off' });
  t.deepEqual(led(withHa({ state: 'passive', role: 'slave' })), { status: 'on', ha: 'off', fault: 'off' });
  t.deepEqual(led(withHa({ state: 'init' })), { status: 'on', ha: 'blink', fault: 'off' });
  t.deepEqual(led(withHa({ running: false })), { status: 'blink', ha: 'off', fault: 'on' });
});
