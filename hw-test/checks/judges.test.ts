import test from 'ava';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { HardwareFacts } from '../detect/facts';
import { parseProfile } from '../profile/parse';
import { judgeSmart } from './disk';
import { memtest } from './memtest';
import { judgeLink, judgeTraffic } from './nic';
import { judgeAgent, judgeCpus, judgeHypervisor, judgeMemory, judgeTemperature } from './system';

const FIX = path.resolve(__dirname, '../../../hw-test/checks/__fixtures__');
const smart = (name: string): unknown => JSON.parse(readFileSync(path.join(FIX, name), 'utf8'));
const G = 2 ** 30;

const LB = parseProfile(['model LB', 'kind physical', 'nic eth0 speed 1000', 'nic eth1 speed 1000', 'cable eth0 eth1 max-loss 1 min-mbps 800', 'memory 7.5G..8G', 'cpus 4', 'temperature 5..85 required'].join('\n'), 'lb');
const VA = parseProfile(['model VA', 'kind virtual', 'hypervisor kvm agent qemu-ga', 'temperature 0..100'].join('\n'), 'va');
const FACTS: HardwareFacts = {
  manufacturer: 'LBOS',
  model: 'LB-2000',
  serial: 'S1',
  cpu: { brand: 'Atom C3558', cores: 4, physicalCores: 4 },
  memoryBytes: 7.7 * G,
  temperatures: [41, 43, 44],
  disks: [],
  nics: [],
  virtual: false,
  hypervisor: '',
};
const eth0 = LB.nics[0]!;
const cable = LB.cables[0]!;

test('link: absent, down, no carrier, wrong speed, good', (t) => {
  const l = { exists: true, up: true, carrier: true, operstate: 'up', speedMbps: 1000 };
  t.is(judgeLink(eth0, { ...l, exists: false }).reason, 'eth0 not found: driver not loaded or the port is named differently (see `ip link`)');
  t.is(judgeLink(eth0, { ...l, up: false, carrier: false }).reason, 'eth0 is administratively down (ip link set eth0 up)');
  t.is(judgeLink(eth0, { ...l, carrier: false }).reason, 'eth0 has no link (no carrier): cable unplugged, or the port at the other end is dead');
  t.is(judgeLink(eth0, { ...l, speedMbps: 100 }).reason, 'eth0 negotiated 100 Mb/s, expected 1000 Mb/s: bad cable (pairs) or port');
  t.like(judgeLink(eth0, l), { status: 'pass', reason: 'link up at 1000 Mb/s', measurements: { speed_mbps: 1000, carrier: true } });
});

test('traffic: nothing back, loss over the limit, short transfer, slow, good', (t) => {
  const f = { packetsSent: 200, packetsReceived: 200, lossPct: 0, rttAvgMs: 0.1, rttMaxMs: 0.4, bytes: 1000, bytesReceived: 1000, transferMs: 5, mbps: 940 };
  t.is(judgeTraffic(cable, { ...f, packetsReceived: 0, lossPct: 100 }).reason, 'no traffic passes eth0 <-> eth1: 0 of 200 packets came back (cable, port or link down)');
  t.is(judgeTraffic(cable, { ...f, packetsReceived: 196, lossPct: 2 }).reason, 'eth0 <-> eth1 lost 4 of 200 packets (2%, allowed 1%)');
  t.like(judgeTraffic(cable, { ...f, packetsReceived: 199, lossPct: 0.5 }), { status: 'pass' });
  t.is(judgeTraffic(cable, { ...f, bytesReceived: 10 }).reason, 'eth0 <-> eth1: the far end received 10 of 1000 bytes');
  t.is(judgeTraffic(cable, { ...f, mbps: 95 }).reason, 'eth0 <-> eth1 carried 95 Mb/s, below 800 Mb/s');
  t.like(judgeTraffic(cable, f), { status: 'pass', reason: '200/200 packets, 940 Mb/s', measurements: { loss_pct: 0, throughput_mbps: 940 } });
});

test('SMART: passed, failing, disabled, unsupported (auto skips, required fails)', (t) => {
  t.like(judgeSmart('/dev/sda', 'required', smart('smartctl-ata-passed.json')), {
    status: 'pass',
    reason: 'SMART health PASSED (INTEL SSDSC2KB240G8)',
    measurements: { power_on_hours: 412, temperature_c: 29, reallocated_sectors: 0 },
  });
  t.like(judgeSmart('/dev/sda', 'auto', smart('smartctl-ata-failing.json')), {
    status: 'fail',
    reason: '/dev/sda: SMART health check FAILED (Reallocated_Sector_Ct): replace the disk',
    measurements: { reallocated_sectors: 2008 },
  });
  t.like(judgeSmart('/dev/sdb', 'required', smart('smartctl-smart-disabled.json')), { status: 'fail', reason: '/dev/sdb: SMART required but not available: SMART is disabled on the disk (smartctl -s on)' });
  t.like(judgeSmart('/dev/vda', 'auto', smart('smartctl-virtio.json')), { status: 'skip', reason: 'SMART not supported by this device: /dev/vda: Unable to detect device type' });
  t.like(judgeSmart('/dev/vda', 'required', smart('smartctl-virtio.json')), { status: 'fail' });
});

test('memory, CPUs, temperature against the profile', (t) => {
  t.like(judgeMemory(LB, FACTS), { status: 'pass', reason: '7.70 GiB' });
  t.is(judgeMemory(LB, { ...FACTS, memoryBytes: 3.8 * G }).reason, '3.80 GiB of memory, expected 7.5..8 GiB: a module missing, wrong size or not seated');
  t.like(judgeCpus(LB, FACTS), { status: 'pass' });
  t.is(judgeCpus(LB, { ...FACTS, cpu: { ...FACTS.cpu, cores: 2 } }).reason, '2 CPUs, expected 4: wrong CPU or cores disabled in the BIOS');
  t.like(judgeTemperature(LB, FACTS), { status: 'pass', reason: '3 sensor(s), 41..44 °C' });
  t.is(judgeTemperature(LB, { ...FACTS, temperatures: [41, 97] }).reason, 'CPU temperature 41..97 °C outside 5..85 °C: check the fan and heat sink');
  t.like(judgeTemperature(LB, { ...FACTS, temperatures: [] }), { status: 'fail' });
  t.like(judgeTemperature(VA, { ...FACTS, temperatures: [] }), { status: 'skip', reason: 'no CPU temperature sensor on this machine' });
});

test('virtual appliance: hypervisor by systeminformation name, guest agent by process name', (t) => {
  const kvm = { ...FACTS, virtual: true, hypervisor: 'kvm' };
  t.like(judgeHypervisor(VA, kvm), { status: 'pass', reason: 'on kvm' });
  t.like(judgeHypervisor(VA, { ...kvm, hypervisor: 'qemu' }), { status: 'pass' });
  t.is(judgeHypervisor(VA, { ...kvm, hypervisor: 'vmware' }).reason, 'running on "vmware", this image is for kvm');
  t.is(judgeHypervisor(VA, FACTS).reason, 'not running on a hypervisor (expected kvm)');
  t.like(judgeHypervisor(LB, FACTS), { status: 'skip' });
  t.like(judgeAgent(VA, ['bash', 'qemu-ga', 'systemd']), { status: 'pass' });
  t.is(judgeAgent(VA, ['bash']).reason, 'guest agent qemu-ga is not running (systemctl status qemu-guest-agent)');
});

test('memtest finds a flipped bit and where it is', (t) => {
  t.like(memtest(64 * 1024), { bytes: 65536, passes: 5, errors: 0, firstErrorAt: null });
  const bad = memtest(64 * 1024, (w, pass) => {
    if (pass === 2) w[100] = (w[100] ?? 0) ^ 4;
  });
  t.like(bad, { errors: 1, firstErrorAt: 400 });
});
