import test from 'ava';
import { decodeOffer, type UnitOffer } from './offer';
import { makePlan } from './plan';
import { renderUnitFiles } from './render';

const A: UnitOffer = {
  version: '0.1.0', node: 'lbos', pairedWith: null, gateway: '192.168.2.254', serialPorts: ['/dev/ttyS1'],
  interfaces: [{ name: 'eth0', addresses: ['192.168.2.21/24'] }, { name: 'eth1', addresses: ['10.0.32.11/24'] }],
};
const B: UnitOffer = { ...A, interfaces: [{ name: 'eth0', addresses: ['192.168.2.22/24'] }, { name: 'eth1', addresses: ['10.0.32.12/24'] }] };

test('two factory-fresh units: lbmaster/lbslave, ucast on both networks, serial, the gateway as ping node', (t) => {
  const r = makePlan(A, B, '10.0.32.12', { vips: ['192.168.2.100'] });
  if (!r.ok) return t.fail(r.reason);
  t.deepEqual(r.plan.nodes, ['lbmaster', 'lbslave']);
  t.deepEqual(r.plan.renames, ['lbmaster', 'lbslave']);
  t.deepEqual(r.plan.sync, { localIface: 'eth1', localIp: '10.0.32.11', peerIface: 'eth1', peerIp: '10.0.32.12' }, 'sync over the address given');
  t.is(r.plan.links.length, 2);
  t.deepEqual(r.plan.serial, ['/dev/ttyS1', '/dev/ttyS1']);
  t.is(r.plan.pingNode, '192.168.2.254');
  t.deepEqual(r.plan.warnings, []);
  const [f0, f1] = [renderUnitFiles(r.plan, 0, 'ab'.repeat(32), 'T'), renderUnitFiles(r.plan, 1, 'ab'.repeat(32), 'T')];
  t.is(f0.haCf, f1.haCf, 'one ha.cf for both (same serial port)');
  t.is(f0.haresources, f1.haresources);
  t.regex(f0.haCf, /^ucast eth1 10\.0\.32\.12\nucast eth1 10\.0\.32\.11\nucast eth0 192\.168\.2\.22\nucast eth0 192\.168\.2\.21\nbaud 19200\nserial \/dev\/ttyS1\nping 192\.168\.2\.254\nauto_failback off\nnode lbmaster\nnode lbslave\n$/m);
  t.regex(f0.haresources, /^lbmaster IPaddr2::192\.168\.2\.100\/24\/eth0$/m);
  t.is(f0.authkeys, `auth 1\n1 sha256 ${'ab'.repeat(32)}\n`);
  t.regex(f0.csyncdCfg, /LOCAL_IP=10\.0\.32\.11\nREMOTE_IP=10\.0\.32\.12\nLOCAL_NODE=1\nREMOTE_NODE=2/);
  t.regex(f1.csyncdCfg, /LOCAL_IP=10\.0\.32\.12\nREMOTE_IP=10\.0\.32\.11\nLOCAL_NODE=2\nREMOTE_NODE=1/);
});

test('named units keep their names; one network, no gateway, no serial: a warning about split brain', (t) => {
  const one = (o: UnitOffer, node: string, ip: string): UnitOffer => ({ ...o, node, gateway: null, serialPorts: [], interfaces: [{ name: 'eth0', addresses: [ip] }] });
  const r = makePlan(one(A, 'lb1', '192.168.2.21/24'), one(B, 'lb2', '192.168.2.22/24'), '192.168.2.22', { vips: ['192.168.2.100/24'] });
  if (!r.ok) return t.fail(r.reason);
  t.deepEqual(r.plan.nodes, ['lb1', 'lb2']);
  t.deepEqual(r.plan.renames, [null, null]);
  t.is(r.plan.pingNode, null);
  t.regex(r.plan.warnings[0] ?? '', /one heartbeat medium and no ping node/);
});

test('each refusal with its reason', (t) => {
  const cases: [UnitOffer, UnitOffer, string, string[], string, RegExp][] = [
    [A, { ...B, version: '0.2.0' }, '10.0.32.12', ['192.168.2.100'], 'VERSION_MISMATCH', /0\.1\.0 here, 0\.2\.0 on lbos/],
    [{ ...A, pairedWith: 'lbslave' }, B, '10.0.32.12', ['192.168.2.100'], 'ALREADY_PAIRED', /already paired \(with lbslave\)/],
    [A, { ...B, pairedWith: 'x' }, '10.0.32.12', ['192.168.2.100'], 'PEER_PAIRED', /lbos is already paired/],
    [A, B, '10.9.9.9', ['192.168.2.100'], 'NO_ROUTE', /10\.9\.9\.9 is on no subnet/],
    [A, B, '10.0.32.11', ['192.168.2.100'], 'SELF', /address of this unit/],
    [A, B, '10.0.32.12', [], 'NO_VIP', /at least one floating IP/],
    [A, B, '10.0.32.12', ['192.168.2.22'], 'VIP_CONFLICT', /192\.168\.2\.22 is lbos's eth0 address/],
    [A, B, '10.0.32.12', ['192.168.2.254'], 'VIP_CONFLICT', /gateway/],
    [A, B, '10.0.32.12', ['172.16.0.1'], 'BAD_VIP', /on no subnet/],
    [A, B, '10.0.32.12', ['192.168.2.100', '192.168.2.100'], 'BAD_VIP', /twice/],
    [A, B, '10.0.32.12', ['192.168.2.300'], 'BAD_VIP', /not an address/],
    [A, { ...B, interfaces: [{ name: 'eth1', addresses: ['10.0.32.12/24'] }] }, '10.0.32.12', ['192.168.2.100'], 'BAD_VIP', /has no address on that subnet on eth0/],
  ];
  for (const [l, p, addr, vips, code, reason] of cases) {
    const r = makePlan(l, p, addr, { vips });
    t.like(r, { ok: false, code }, code);
    if (!r.ok) t.regex(r.reason, reason);
  }
  t.like(makePlan(A, B, '10.0.32.12', { vips: ['192.168.2.100'], pingNode: 'x' }), { ok: false, code: 'BAD_PING_NODE' });
});

test('the peer\'s offer is outside input: every field checked, nothing thrown', (t) => {
  t.like(decodeOffer(JSON.parse(JSON.stringify(B))), { ok: true });
  const bad: [unknown, RegExp][] = [
    [null, /not a JSON object/], [[], /not a JSON object/], [{ ...B, version: 'x y' }, /version/], [{ ...B, node: 'Bad_Name' }, /node/],
    [{ ...B, gateway: '1.2.3' }, /gateway/], [{ ...B, serialPorts: ['ttyS1'] }, /serialPorts/], [{ ...B, serialPorts: ['/dev/../etc/passwd'] }, /serialPorts/], [{ ...B, serialPorts: 'x' }, /serialPorts/],
    [{ ...B, interfaces: [{ name: 'eth0', addresses: ['10.0.0.1'] }] }, /not an address\/prefix/], [{ ...B, interfaces: [{ name: 'a b', addresses: [] }] }, /interfaces/],
    [{ ...B, interfaces: Array(65).fill({ name: 'e', addresses: [] }) }, /interfaces/], [{ ...B, pairedWith: 5 }, /pairedWith/],
  ];
  for (const [v, m] of bad) {
    const r = decodeOffer(v);
    t.false(r.ok);
    if (!r.ok) t.regex(r.message, m);
  }
});
