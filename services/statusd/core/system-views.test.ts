import test from 'ava';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { systemView, unitView, type SystemSample } from './system-views';

const fixture = (name: string): SystemSample => JSON.parse(readFileSync(path.join(__dirname, '..', '..', '..', '..', 'services', 'statusd', '__fixtures__', name), 'utf8')) as SystemSample;

test('appliance with sensors: rounded figures, pseudo file systems hidden', (t) => {
  t.deepEqual(systemView(fixture('si-appliance-sensors.json')), {
    cpu: { percent: 13, cores: 4, load1: 0.31 },
    memory: { totalMiB: 7932, usedMiB: 1224, percent: 15 },
    disks: [
      { mount: '/', fs: '/dev/sda2', sizeGiB: 29.4, usedPercent: 21 },
      { mount: '/var/log', fs: '/dev/sdb1', sizeGiB: 1000, usedPercent: 95 },
    ],
    uptimeS: 273784,
    temperatureC: { main: 48, max: 49 },
  });
});

test('VM without sensors: temperature null, the rest present', (t) => {
  const v = systemView(fixture('si-vm-no-sensors.json'));
  t.is(v.temperatureC, null);
  t.like(v, { cpu: { cores: 2 } });
  t.true(Array.isArray(v.disks) && v.disks.length >= 1);
});

test('figures that failed to read are null, never a throw', (t) => {
  t.deepEqual(systemView({}), {
    cpu: { percent: null, cores: null, load1: null },
    memory: { totalMiB: null, usedMiB: null, percent: null },
    disks: [],
    uptimeS: null,
    temperatureC: null,
  });
});

test('systemd unit view', (t) => {
  t.deepEqual(unitView({ LoadState: 'loaded', ActiveState: 'failed', SubState: 'failed' }, { NRestarts: 4 }), { load: 'loaded', active: 'failed', sub: 'failed', restarts: 4 });
  t.deepEqual(unitView({}, {}), { load: 'unknown', active: 'unknown', sub: 'unknown', restarts: null });
});
