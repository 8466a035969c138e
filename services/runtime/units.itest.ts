/**
 * Every unit file under rootfs/ passes `systemd-analyze verify`. The units
 * name paths of the image (/opt/lbos, /usr/lib/lbos, /usr/sbin/lbos-update);
 * we point those at this checkout so verify also proves every ExecStart
 * binary exists. The services (Type=notify daemons) must also carry the
 * watchdog, restart and sandboxing settings; the one-shot units must not
 * claim to be daemons.
 */
import test from 'ava';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { repoRoot } from './cli';
import { run } from '../../scripts/sim/exec';

const UNIT_DIR = path.join(repoRoot(), 'rootfs', 'overlay', 'etc', 'systemd', 'system');
const units = readdirSync(UNIT_DIR).filter((f) => f.endsWith('.service'));
const DAEMONS = ['hbd', 'nicd', 'csyncd', 'statusd', 'paneld', 'paird'].map((s) => `${s}.service`);

/** The unit with the image's paths replaced by where the files are in this checkout. */
function localised(text: string): string {
  const root = repoRoot();
  return text
    .replaceAll('/opt/lbos/', `${root}/`)
    .replaceAll('/usr/lib/lbos/', `${root}/rootfs/overlay/usr/lib/lbos/`)
    .replaceAll('/usr/sbin/lbos-update', `${root}/firmware/lbos-update`);
}

test('every service of the product has its unit file', (t) => {
  t.deepEqual(DAEMONS.filter((d) => !units.includes(d)), []);
});

for (const unit of units) {
  test(`systemd-analyze verify ${unit}`, async (t) => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'lbos-units-'));
    t.teardown(() => rmSync(dir, { recursive: true, force: true }));
    const text = localised(readFileSync(path.join(UNIT_DIR, unit), 'utf8'));
    writeFileSync(path.join(dir, unit), text);
    const r = await run('systemd-analyze', ['verify', path.join(dir, unit)]);
    t.is(r.stderr.trim(), '', 'verify prints nothing for a clean unit');
    if (DAEMONS.includes(unit)) {
      for (const key of ['Type=notify', 'WatchdogSec=', 'Restart=on-failure', 'NoNewPrivileges=yes', 'ProtectSystem=', 'CapabilityBoundingSet=']) {
        t.true(text.includes(key), `${unit} sets ${key}`);
      }
    } else {
      t.regex(text, /^Type=oneshot$/m, `${unit} is a one-shot job`);
    }
  });
}

// lbos-ready.service's script, with a stand-in systemctl that answers what
// the test says (pure formatting and matching of states to units).
test('ready-report: one line, on stdout (the journal) and the console, for all active, for some not, and for no answer', async (t) => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'lbos-ready-'));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  const script = path.join(repoRoot(), 'rootfs', 'overlay', 'usr', 'lib', 'lbos', 'ready-report');
  const consoleFile = path.join(dir, 'console');
  const report = async (answer: string): Promise<string> => {
    // is-active: the test's answer; show -p ConditionResult: "no" for csyncd only (a unit never paired).
    const show = '[ "$1" = show ] && { [ "$5" = csyncd.service ] && echo no || echo yes; exit 0; }';
    writeFileSync(path.join(dir, 'systemctl'), `#!/bin/sh\n${show}\n[ "$1" = is-active ] || exit 64\nshift\n${answer}\n`, { mode: 0o755 });
    writeFileSync(consoleFile, '');
    const env = { ...process.env, PATH: `${dir}:${process.env.PATH ?? ''}`, LBOS_UNITS: 'nicd csyncd statusd', LBOS_CONSOLE: consoleFile };
    const line = (await run('sh', [script], { env })).stdout.trim();
    t.is(readFileSync(consoleFile, 'utf8'), `${line}\n`, 'the same line on the console');
    return line;
  };
  t.regex(await report('for u; do echo active; done'), /^LBOS: all services ready after \d+\.\d+ s \(nicd csyncd statusd\)$/);
  const states = 'for u; do case $u in nicd.service) echo inactive;; statusd.service) echo failed;; *) echo active;; esac; done; exit 3';
  t.regex(await report(states), /^LBOS: services NOT all ready after \d+\.\d+ s: nicd inactive, statusd failed$/);
  const unpaired = 'for u; do case $u in csyncd.service) echo inactive;; *) echo active;; esac; done; exit 3';
  t.regex(await report(unpaired), /^LBOS: all services ready after \d+\.\d+ s \(nicd statusd\); not paired yet: csyncd$/, 'a unit never paired is ready');
  t.regex(await report('exit 1'), /^LBOS: services NOT all ready after \d+\.\d+ s: nicd csyncd statusd \(no answer from systemd\)$/);
});

// lbos-update-confirm.service's command at boot, with the slot file, the
// kernel command line and systemctl standing in: GRUB's lbos.confirmed=
// naming the booted slot means nothing to write (no ESP mount); a try boot
// of the other slot, or no grubenv (empty value), goes on to wait for nicd
// and statusd (inactive here, so it gives up after --wait's second).
test('lbos-update confirm --wait: done at once when the boot loader booted the confirmed slot; a try boot goes on', async (t) => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'lbos-confirm-'));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  writeFileSync(path.join(dir, 'systemctl'), '#!/bin/sh\nexit 3\n', { mode: 0o755 });
  const confirm = (slot: string, cmdline: string): Promise<string> => {
    writeFileSync(path.join(dir, 'slot'), `${slot}\n`);
    writeFileSync(path.join(dir, 'cmdline'), `${cmdline}\n`);
    const env = { ...process.env, PATH: `${dir}:${process.env.PATH ?? ''}`, LBOS_RUN_DIR: dir, LBOS_CMDLINE: path.join(dir, 'cmdline') };
    return run(path.join(repoRoot(), 'firmware', 'lbos-update'), ['confirm', '--wait', '1'], { env }).then((r) => r.stdout.trim());
  };
  t.is(await confirm('A', 'ro root=PARTUUID=x lbos.slot=A lbos.confirmed=A quiet'), 'lbos-update: slot A already confirmed (boot loader)');
  t.is(await confirm('B', 'lbos.slot=B lbos.confirmed=B'), 'lbos-update: slot B already confirmed (boot loader)');
  await t.throwsAsync(confirm('B', 'ro lbos.slot=B lbos.confirmed=A quiet'), { message: /nicd\/statusd not active after 1 s/ });
  await t.throwsAsync(confirm('A', 'ro lbos.slot=A lbos.confirmed= quiet'), { message: /nicd\/statusd not active after 1 s/ });
});

// lbos-seed.service's script, and a writer of files under a stand-in tree.
const SEED_SCRIPT = path.join(repoRoot(), 'rootfs', 'overlay', 'usr', 'lib', 'lbos', 'seed');
const putUnder = (top: string) => (rel: string, text: string): void => {
  mkdirSync(path.dirname(path.join(top, rel)), { recursive: true });
  writeFileSync(path.join(top, rel), text);
};

// lbos-seed.service's script with a directory standing in for the mounted
// seed disk and another for / (LBOS_SEED_DIR, LBOS_SEED_ROOT): accepted
// files land byte for byte with their modes, others are reported and left
// out, a file that is not text is refused (nothing recorded: read again at
// the next boot), and a seed already applied is not applied twice.
test('seed: installs the accepted files with their modes, ignores the rest, refuses a NUL byte, applies a seed once', async (t) => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'lbos-seed-'));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  const seed = path.join(dir, 'seed');
  const root = path.join(dir, 'root');
  const put = putUnder(seed);
  put('etc/ha.d/ha.cf', 'node a\nnode b\n\n');
  put('etc/ha.d/authkeys', 'auth 3\n3 sha256 secret');
  put('root/.ssh/authorized_keys', 'ssh-ed25519 AAAA test\n');
  put('etc/passwd', 'evil::0:0::/:/bin/sh\n');
  put('etc/lbos/network.conf', 'interface eth0\0\n');
  const script = SEED_SCRIPT;
  const env = { ...process.env, LBOS_SEED_DIR: seed, LBOS_SEED_ROOT: root };
  // Its exit status as the last line, so a refusal (exit 1) is read like a success.
  const seedRun = async (): Promise<{ code: number; out: string }> => {
    const { stdout } = await run('bash', ['-c', 'bash "$0"; echo "exit $?"', script], { env });
    const m = /exit (\d+)\n$/.exec(stdout);
    return { code: m === null ? -1 : Number(m[1]), out: stdout };
  };
  const mode = (rel: string): number => statSync(path.join(root, rel)).mode & 0o777;

  const refused = await seedRun();
  t.is(refused.code, 1);
  t.regex(refused.out, /refused: etc\/lbos\/network\.conf has a NUL byte/);
  t.regex(refused.out, /ignored: etc\/passwd \(not a provisioning file\)/);
  t.false(existsSync(path.join(root, 'etc', 'lbos', 'network.conf')));
  t.false(existsSync(path.join(root, 'etc', 'passwd')));
  t.false(existsSync(path.join(root, 'var', 'lib', 'lbos', 'seed.applied')), 'nothing recorded: the seed is read again');

  rmSync(path.join(seed, 'etc', 'lbos', 'network.conf'));
  const applied = await seedRun();
  t.is(applied.code, 0, applied.out);
  t.regex(applied.out, /seed [0-9a-f]{64} applied \(3 files\)/);
  t.is(readFileSync(path.join(root, 'etc', 'ha.d', 'ha.cf'), 'utf8'), 'node a\nnode b\n\n');
  t.is(readFileSync(path.join(root, 'etc', 'ha.d', 'authkeys'), 'utf8'), 'auth 3\n3 sha256 secret');
  t.is(mode('etc/ha.d/ha.cf'), 0o644);
  t.is(mode('etc/ha.d/authkeys'), 0o600);
  t.is(mode('root/.ssh/authorized_keys'), 0o600);
  t.is(mode('root/.ssh'), 0o700);
  t.deepEqual(readdirSync(path.join(root, 'etc', 'ha.d')).sort(), ['authkeys', 'ha.cf'], 'no temporary copy left');

  t.regex((await seedRun()).out, /seed [0-9a-f]{64} already applied/);
});

// Without a seed found, the script waits for udev's coldplug only when a
// device udev has yet to probe could hold one. A sysfs tree stands in for
// /sys (LBOS_SYSFS): USB and SD host controllers count, a disk controller
// does not; an optical drive counts until its driver is bound.
test('seed: waits for udev only for USB/SD controllers and optical drives without a driver', async (t) => {
  const sys = mkdtempSync(path.join(os.tmpdir(), 'lbos-sysfs-'));
  t.teardown(() => rmSync(sys, { recursive: true, force: true }));
  const put = putUnder(sys);
  const script = SEED_SCRIPT;
  const late = async (): Promise<string[]> => {
    const { stdout } = await run('bash', [script, '--late-devices'], { env: { ...process.env, LBOS_SYSFS: sys } });
    return stdout.split('\n').filter((l) => l !== '');
  };

  t.deepEqual(await late(), [], 'an empty sysfs: nothing to wait for');
  put('bus/pci/devices/0000:00:03.0/class', '0x010000\n'); // virtio-blk / SCSI storage
  put('bus/pci/devices/0000:00:04.0/class', '0x020000\n'); // network
  put('bus/scsi/devices/0:0:0:0/type', '0\n'); // a disk
  put('bus/scsi/devices/1:0:0:0/type', '5\n'); // a CD drive...
  mkdirSync(path.join(sys, 'bus/scsi/drivers/sr'), { recursive: true });
  symlinkSync('../../drivers/sr', path.join(sys, 'bus/scsi/devices/1:0:0:0/driver')); // ...with sr_mod bound
  t.deepEqual(await late(), [], 'disks, NICs and a bound optical drive are probed already');

  put('bus/scsi/devices/2:0:0:0/type', '5\n');
  put('bus/pci/devices/0000:00:1d.0/class', '0x0c0330\n');
  put('bus/pci/devices/0000:00:1e.0/class', '0x080501\n');
  t.deepEqual(await late(), [
    'USB controller 0000:00:1d.0',
    'SD host controller 0000:00:1e.0',
    'optical drive 2:0:0:0 (no driver yet)',
  ]);
});
