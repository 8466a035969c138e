import test from 'ava';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { ConfigError, formatProblem } from '../../services/runtime/config/problems';
import { parseProfile } from './parse';
import { formatRange, parseRange, parseSize } from './values';

const ROOT = path.resolve(__dirname, '../../../hw-test');
const read = (rel: string): string => readFileSync(path.join(ROOT, rel), 'utf8');
const G = 2 ** 30;
const M = 2 ** 20;

test('the LB-2000 example profile', (t) => {
  const p = parseProfile(read('profiles/lb-2000.profile'), 'lb-2000.profile');
  t.is(p.model, 'LB-2000');
  t.is(p.kind, 'physical');
  t.deepEqual(p.match, ['LB-2000']);
  t.deepEqual(p.nics.map((n) => [n.name, n.speedMbps]), [['eth0', 1000], ['eth1', 1000], ['eth2', 1000], ['eth3', 1000]]);
  t.deepEqual(p.cables.map((c) => [c.a, c.b, c.packets, c.bytes, c.maxLossPct, c.minMbps]), [
    ['eth0', 'eth1', 1000, 256 * M, 0, 800],
    ['eth2', 'eth3', 1000, 256 * M, 0, 800],
  ]);
  t.deepEqual(p.serials.map((s) => [s.device, s.bauds, s.frames]), [['ttyS0', [9600, 19200, 38400, 57600, 115200], 50]]);
  t.like(p.panel, { width: 20, height: 2, keys: ['Up', 'Down', 'Enter', 'Escape'], host: '127.0.0.1', port: 13666, driver: 'CFontzPacket' });
  t.deepEqual(p.leds.map((l) => l.name), ['lbos:green:status', 'lbos:amber:fault', 'lbos:green:ha']);
  t.like(p.disks[0], { device: 'sda', minBytes: 60 * G, smart: 'required', readBytes: 256 * M });
  t.deepEqual(p.memory, { min: 7.5 * G, max: 8 * G });
  t.deepEqual(p.cpus, { min: 4, max: 4 });
  t.deepEqual(p.temperature, { min: 5, max: 85, required: true });
  t.is(p.hypervisor, undefined);
});

test('the sim and virtual appliance profiles parse; defaults fill what they leave out', (t) => {
  const sim = parseProfile(read('profiles/sim.profile'), 'sim.profile');
  t.is(sim.kind, 'sim');
  t.is(sim.cables.length, 2);
  t.like(sim.cables[0], { packets: 100, bytes: 8 * M, maxLossPct: 0, minMbps: 0 });
  t.like(sim.panel, { host: '127.0.0.1', port: 13666 });
  t.deepEqual(sim.temperature, { min: -20, max: 110, required: false });
  const va = parseProfile(read('profiles/lbos-va-kvm.profile'), 'va.profile');
  t.deepEqual(va.hypervisor, { name: 'kvm', agent: 'qemu-ga', line: 13 });
  t.deepEqual(va.match, ['Standard PC (Q35 + ICH9, 2009)', 'Standard PC (i440FX + PIIX, 1996)', 'KVM']);
  t.is(va.nics[0]?.speedMbps, undefined);
});

test('every problem of a bad profile, with file:line and a hint', (t) => {
  const err = t.throws(() => parseProfile(read('profile/__fixtures__/bad.profile'), 'bad.profile'), { instanceOf: ConfigError });
  t.deepEqual(err.problems.map(formatProblem), [
    'bad.profile:2: kind: "physcal" is not one of physical, virtual, sim',
    'bad.profile:3: nic: speed: "fast" is not a whole number (allowed 1..800000)',
    'bad.profile:5: cable: unexpected "packtes" (did you mean packets?); options: packets, bytes, max-loss, min-mbps',
    'bad.profile:6: serial: bauds: "12345" is not a standard baud rate (1200, 2400, 4800, 9600, 19200, 38400, 57600, 115200, 230400, 460800, 921600)',
    'bad.profile:7: panel: needs size WIDTHxHEIGHT (e.g. size 20x4), not "20by4"',
    'bad.profile:7: panel: keys: "Up,,Down" has an empty item (write a,b,c)',
    'bad.profile:8: led: "bad/name" is not an LED class name (e.g. lbos:green:status)',
    'bad.profile:9: disk: "../etc/passwd" is not a device name under /dev (e.g. ttyS0, sda, disk/by-id/ata-X)',
    'bad.profile:9: disk: read: "64Q" is not a size (e.g. 512, 64M, 7.5G)',
    'bad.profile:10: memory: "8G..4G": the lower end is above the upper end',
    'bad.profile:11: cpus: "zero" is not a whole number (allowed 1..4096)',
    'bad.profile:12: temperature: unexpected "extra"; options: required',
    'bad.profile:13: hypervisor: needs agent (e.g. `hypervisor kvm agent qemu-ga`)',
    'bad.profile:14: moddel: unknown directive (did you mean model?)',
    'bad.profile:15: model: given twice (first on line 1)',
    'bad.profile:4: nic: eth0 listed twice (first on line 3)',
  ]);
});

test('cables must join listed NICs, once each; hypervisor only on virtual models; model and kind required', (t) => {
  const text = ['nic a', 'nic b', 'nic c', 'cable a b', 'cable b c', 'cable c c', 'cable a z', 'hypervisor kvm agent qemu-ga'].join('\n');
  const err = t.throws(() => parseProfile(text, 'p'), { instanceOf: ConfigError });
  t.deepEqual(err.problems.map(formatProblem), [
    'p:6: cable: c is cabled to itself',
    'p: model: missing (e.g. `model LB-2000`)',
    'p: kind: missing (physical, virtual or sim)',
    'p:5: cable: b is already cabled on line 4',
    'p:7: cable: a is already cabled on line 4',
    'p:7: cable: z is not a listed nic (add `nic z`)',
    'p:8: hypervisor: only for kind virtual (this profile is physical)',
  ]);
});

test('sizes and ranges', (t) => {
  t.deepEqual(parseSize('7.5G'), { ok: true, value: 7.5 * G });
  t.deepEqual(parseSize('512'), { ok: true, value: 512 });
  t.deepEqual(parseSize('64MiB'), { ok: true, value: 64 * M });
  t.false(parseSize('-1').ok);
  t.deepEqual(parseRange('2..', (x) => ({ ok: true, value: Number(x) })), { ok: true, value: { min: 2 } });
  t.deepEqual(parseRange('..8', (x) => ({ ok: true, value: Number(x) })), { ok: true, value: { max: 8 } });
  t.false(parseRange('..', (x) => ({ ok: true, value: Number(x) })).ok);
  t.is(formatRange({ min: 5, max: 85 }, '°C'), '5..85 °C');
  t.is(formatRange({ min: 2 }), '>= 2');
});
