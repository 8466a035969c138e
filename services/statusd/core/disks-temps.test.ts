import test from 'ava';
import { cpuTemperature, diskFigures, parseMounts, type TempReading } from './disks-temps';

const MOUNTS = [
  'sysfs /sys sysfs rw,nosuid,nodev,noexec,relatime 0 0',
  'proc /proc proc rw,nosuid,nodev,noexec,relatime 0 0',
  '/dev/vda3 / ext4 ro,relatime 0 0',
  'tmpfs /run tmpfs rw,nosuid,nodev,size=202400k,mode=755 0 0',
  '/dev/vda5 /data ext4 rw,relatime 0 0',
  'overlay /etc overlay rw,relatime,lowerdir=/etc,upperdir=/data/etc,workdir=/data/.etc 0 0',
  '/dev/vda2 /boot/efi vfat rw,relatime,fmask=0077 0 0',
  '/dev/vda5 /var/lib/lbos ext4 rw,relatime 0 0',
  '/dev/vda5 /data ext4 rw,relatime 0 0',
  '/dev/sdb1 /mnt/my\\040disk xfs rw 0 0',
  '10.0.0.1:/export /mnt/nfs nfs4 rw 0 0',
  '',
].join('\n');

test('mounts: data file systems only, each mount point once, escapes undone', (t) => {
  t.deepEqual(parseMounts(MOUNTS), [
    { fs: '/dev/vda3', type: 'ext4', mount: '/' },
    { fs: '/dev/vda5', type: 'ext4', mount: '/data' },
    { fs: '/dev/vda2', type: 'vfat', mount: '/boot/efi' },
    { fs: '/dev/vda5', type: 'ext4', mount: '/var/lib/lbos' },
    { fs: '/dev/sdb1', type: 'xfs', mount: '/mnt/my disk' },
  ]);
  t.deepEqual(parseMounts('garbage\n\n/dev/sda1\n'), []);
});

test('disk figures: size and used from statfs, use% as df computes it (of what users may fill)', (t) => {
  const d = diskFigures({ fs: '/dev/vda5', type: 'ext4', mount: '/data' }, { bsize: 4096, blocks: 1000, bfree: 300, bavail: 250 });
  t.deepEqual(d, { fs: '/dev/vda5', type: 'ext4', mount: '/data', size: 4_096_000, used: 2_867_200, use: 73.7 });
  t.is(diskFigures({ fs: 'x', type: 'vfat', mount: '/e' }, { bsize: 512, blocks: 0, bfree: 0, bavail: 0 }).use, 0);
});

const r = (source: TempReading['source'], chip: string, label: string, milliC: number): TempReading => ({ source, chip, label, milliC });

test('temperatures: the package sensor is main, the hottest is max, cores listed', (t) => {
  t.deepEqual(cpuTemperature([
    r('hwmon', 'coretemp', 'Package id 0', 51000), r('hwmon', 'coretemp', 'Core 0', 47000), r('hwmon', 'coretemp', 'Core 1', 49500),
    r('hwmon', 'nvme', 'Composite', 58850), r('thermal', 'acpitz', '', 27800),
  ]), { main: 51, max: 58.9, cores: [47, 49.5] });
  t.deepEqual(cpuTemperature([r('hwmon', 'k10temp', 'Tctl', 63250)]), { main: 63.3, max: 63.3, cores: [] });
});

test('temperatures: cores averaged without a package sensor, else the first thermal zone; none -> null', (t) => {
  t.deepEqual(cpuTemperature([r('hwmon', 'coretemp', 'Core 0', 40000), r('hwmon', 'coretemp', 'Core 1', 43000)]), { main: 41.5, max: 43, cores: [40, 43] });
  t.deepEqual(cpuTemperature([r('hwmon', 'drivetemp', '', 35000), r('thermal', 'acpitz', '', 30000)]), { main: 30, max: 35, cores: [] });
  t.is(cpuTemperature([]), null);
  t.is(cpuTemperature([r('thermal', 'acpitz', '', -273000), r('hwmon', 'x', '', NaN)]), null, 'absurd readings ignored');
});
