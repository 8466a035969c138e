import test from 'ava';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { factsFrom, meaningful, type SiDump } from './detect';
import { selectProfile } from './select';
import { parseProfile } from '../profile/parse';

const FIX = path.resolve(__dirname, '../../../hw-test/detect/__fixtures__');
/** Recorded on the development machine (systeminformation 5.x, a Docker container in a VM; CPU flags cut short). */
const DOCKER = JSON.parse(readFileSync(path.join(FIX, 'si-docker-dev.json'), 'utf8')) as SiDump;

test('facts from a recorded dump: placeholders dropped, loopback left out, no sensor means no temperatures', (t) => {
  const f = factsFrom(DOCKER);
  t.is(f.model, 'Docker Container');
  t.is(f.serial, '', 'systeminformation says "-"');
  t.is(f.cpu.cores, 2);
  t.true(f.memoryBytes > 2 ** 30);
  t.deepEqual(f.temperatures, []);
  t.false(f.nics.some((n) => n.name === 'lo'));
  t.like(f.nics.find((n) => n.name === 'eth0'), { mac: '02:fc:00:00:00:01', speedMbps: null });
  t.like(f.disks.find((d) => d.name === 'vda'), { device: '/dev/vda', type: 'disk', sizeBytes: 274877906944 });
  t.false(f.virtual);
});

test('a virtual machine: hypervisor from system().virtualHost, lower case; the model selects the VA profile', (t) => {
  const kvm: SiDump = { ...DOCKER, system: { ...(DOCKER.system as NonNullable<SiDump['system']>), model: 'Standard PC (Q35 + ICH9, 2009)', virtual: true, virtualHost: 'KVM' } };
  const f = factsFrom(kvm);
  t.like(f, { virtual: true, hypervisor: 'kvm', model: 'Standard PC (Q35 + ICH9, 2009)' });
  const va = parseProfile(readFileSync(path.resolve(FIX, '../../profiles/lbos-va-kvm.profile'), 'utf8'), 'va');
  const sim = parseProfile(readFileSync(path.resolve(FIX, '../../profiles/sim.profile'), 'utf8'), 'sim');
  t.like(selectProfile('auto', f.model, [sim, va]), { ok: true, mode: 'real', profile: { model: 'LBOS-VA-KVM' } });
  t.like(selectProfile('auto', factsFrom(DOCKER).model, [sim, va]), { ok: true, mode: 'sim' });
});

test('failed calls leave empty facts, never a crash', (t) => {
  const f = factsFrom({ system: null, cpu: null, mem: null, temperature: null, blockDevices: [], diskLayout: [], networkInterfaces: [] });
  t.like(f, { model: '', serial: '', memoryBytes: 0, cpu: { cores: 0 }, virtual: false, hypervisor: '' });
});

test('firmware placeholders are not serial numbers', (t) => {
  for (const p of ['-', 'Default string', 'To be filled by O.E.M.', '0000000', ' Not Specified ', 'System Serial Number']) t.is(meaningful(p), '', p);
  t.is(meaningful(' LB2K-000123 '), 'LB2K-000123');
});
