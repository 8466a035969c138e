import test from 'ava';
import { csyncdView, genericView, hbdView, nicdView, NOT_RUNNING, paneldView, pairdView, statusBar, viewFor } from './service-views';

/** What dbus-next hands over for hbd's GetAll (x and t come as bigint). */
const HBD_PROPS = {
  Node: 'u1', Peer: 'u2', Role: 'master', State: 'active', PeerStatus: 'up', PeerState: 'standby',
  Links: [['ucast:eth1:198.19.0.2', 'ucast', 'up', 1795300000123n, 42n, 0n], ['serial:/tmp/u1-ttyS0', 'serial', 'down', 0n, 0n, 3n]],
  Drops: { 'bad-mac': 0n }, Resources: [['IPaddr::198.18.0.100/24/eth0', 'held', '']], PingReachable: 1, Healthy: true, Generation: 7,
  Warnings: [['SINGLE_MEDIUM_NO_PING', '/etc/ha.d/ha.cf:7: ucast: one heartbeat medium (ucast eth1) and no ping node']],
};

test('hbd properties -> hbd subtree', (t) => {
  t.deepEqual(hbdView(HBD_PROPS), {
    running: true, node: 'u1', peer: 'u2', role: 'master', state: 'active', peerStatus: 'up', peerState: 'standby',
    links: [
      { id: 'ucast:eth1:198.19.0.2', kind: 'ucast', status: 'up', lastSeen: 1795300000123, received: 42, dropped: 0 },
      { id: 'serial:/tmp/u1-ttyS0', kind: 'serial', status: 'down', lastSeen: 0, received: 0, dropped: 3 },
    ],
    resources: [{ name: 'IPaddr::198.18.0.100/24/eth0', status: 'held', detail: '' }],
    healthy: true, pingReachable: 1,
    warnings: [{ code: 'SINGLE_MEDIUM_NO_PING', message: '/etc/ha.d/ha.cf:7: ucast: one heartbeat medium (ucast eth1) and no ping node' }],
  });
});

test('views tolerate wrong types and missing properties (another version on the bus)', (t) => {
  const odd = { Node: 5, Links: 'nope', Resources: [null, ['r']], State: ['x'], Interfaces: [[1, 2]], Status: 'purple', Services: {} };
  t.notThrows(() => hbdView(odd));
  t.notThrows(() => nicdView(odd));
  t.notThrows(() => csyncdView(odd));
  t.like(hbdView(odd), { node: '', state: '', links: [], resources: [{ name: 'r', status: '', detail: '' }], warnings: [] });
  t.is(csyncdView(odd).status, 'unknown');
  t.deepEqual(nicdView(odd).interfaces, {}, 'an interface without a name is skipped');
});

test('csyncd properties -> sync subtree', (t) => {
  t.deepEqual(csyncdView({ Status: 'orange', Reason: 'haproxy differs', Services: [['haproxy', 'differs', 'peer has 3']], PeerReachable: true, LastCheck: 1795300000000n, AutoSync: false }), {
    running: true, status: 'orange', reason: 'haproxy differs', peerReachable: true, lastCheck: 1795300000000, autoSync: false,
    services: [{ name: 'haproxy', state: 'differs', detail: 'peer has 3' }],
  });
});

test('nicd properties -> interfaces keyed by name', (t) => {
  const v = nicdView({ State: 'idle', ManagementInterface: 'eth0', Generation: 4, Interfaces: [['eth0', 'ethernet', 'up', true, true, 1500, '02:00:00:00:00:01', 1000, 'full', ['198.18.0.1/24']], ['eth1', 'veth', 'down', true, false, 1500, '02:00:00:00:00:02', -1, '', []]] });
  t.deepEqual(v.interfaces, {
    eth0: { kind: 'ethernet', operstate: 'up', up: true, carrier: true, mtu: 1500, mac: '02:00:00:00:00:01', speed: 1000, duplex: 'full', addresses: ['198.18.0.1/24'] },
    eth1: { kind: 'veth', operstate: 'down', up: true, carrier: false, mtu: 1500, mac: '02:00:00:00:00:02', speed: null, duplex: null, addresses: [] },
  });
  t.is(v.management, 'eth0');
});

test('paneld: LCD rows, LEDs and alerts as objects; an unknown mode or wrong types fall back', (t) => {
  t.deepEqual(paneldView({
    Lcd: ['lb1 MASTER ACTIVE', '10.0.0.1/24'], LcdSize: '16x2', LcdConnected: true, Mode: 'alert',
    Leds: [['ha', 'lbos:green:ha', 'on', ''], ['fault', 'lbos:red:fault', 'missing', 'no such LED']], Alerts: [['critical', 'PEER LOST', 'no heartbeat from lb2']], Banner: 'LBOS', BannerFile: '/run/issue',
  }), {
    running: true, lcd: ['lb1 MASTER ACTIVE', '10.0.0.1/24'], lcdSize: '16x2', lcdConnected: true, mode: 'alert',
    leds: [{ role: 'ha', name: 'lbos:green:ha', state: 'on', detail: '' }, { role: 'fault', name: 'lbos:red:fault', state: 'missing', detail: 'no such LED' }],
    alerts: [{ severity: 'critical', title: 'PEER LOST', detail: 'no heartbeat from lb2' }], banner: 'LBOS',
  });
  t.like(paneldView({ Lcd: 'x', Mode: 'disco', Leds: [1, 2] }), { lcd: [], mode: 'unknown', leds: [] });
  t.is(viewFor('paneld'), paneldView);
});

test('a service statusd does not know is shown with its properties as JSON', (t) => {
  t.deepEqual(genericView({ Screen: 'status', Counter: 3n }), { running: true, properties: { Screen: 'status', Counter: 3 } });
  t.is(viewFor('fand'), genericView);
  t.is(viewFor('hbd'), hbdView);
});

test('status bar: the reference appliance\'s states', (t) => {
  const h = hbdView(HBD_PROPS);
  const table: [string, unknown, string][] = [
    ['master, active, link up', h, 'M-A-up'],
    ['slave, active after a failover, link up', { ...h, role: 'slave' }, 'S-A-up'],
    ['master, passive', { ...h, state: 'passive' }, 'M-P-up'],
    ['link down to a defined peer', { ...h, links: [{ id: 'x', status: 'down' }] }, 'M-A-down'],
    ['no peer defined', { ...h, peer: '' }, 'M-A-none'],
    ['init: neither active nor passive', { ...h, state: 'init' }, 'M---up'],
    ['hbd not running: nothing lit', NOT_RUNNING, '----none'],
    ['nothing at all', undefined, '----none'],
  ];
  for (const [what, hbd, want] of table) {
    const b = statusBar(hbd as never);
    t.is(`${b.master ? 'M' : b.slave ? 'S' : '-'}-${b.active ? 'A' : b.passive ? 'P' : '-'}-${b.link}`, want, what);
  }
});

test('paird: paired, peer and the pairing progress (JSON in a string); junk is null, not a throw', (t) => {
  const progress = { state: 'running', peer: '10.0.32.12', steps: [{ id: 'connect', title: 'Connect', status: 'done', detail: '' }], error: null, warnings: [], startedAt: 1, finishedAt: 0 };
  t.deepEqual(pairdView({ Paired: false, Peer: '', Pairing: JSON.stringify(progress) }), { running: true, paired: false, peer: '', pairing: progress });
  t.deepEqual(pairdView({ Paired: 'x', Pairing: '{oops' }), { running: true, paired: false, peer: '', pairing: null });
});
