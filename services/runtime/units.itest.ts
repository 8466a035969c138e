/**
 * Every unit file under rootfs/ passes `systemd-analyze verify`. The units
 * name paths of the image (/opt/lbos, /usr/lib/lbos, /usr/sbin/lbos-update);
 * we point those at this checkout so verify also proves every ExecStart
 * binary exists. The services (Type=notify daemons) must also carry the
 * watchdog, restart and sandboxing settings; the one-shot units must not
 * claim to be daemons.
 */
import test from 'ava';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { repoRoot } from './cli';
import { run } from '../../scripts/sim/exec';

const UNIT_DIR = path.join(repoRoot(), 'rootfs', 'overlay', 'etc', 'systemd', 'system');
const units = readdirSync(UNIT_DIR).filter((f) => f.endsWith('.service'));
const DAEMONS = ['hbd', 'nicd', 'csyncd', 'statusd', 'paneld'].map((s) => `${s}.service`);

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
test('ready-report: one console line for all active, for some not, and for no answer', async (t) => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'lbos-ready-'));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  const script = path.join(repoRoot(), 'rootfs', 'overlay', 'usr', 'lib', 'lbos', 'ready-report');
  const report = async (answer: string): Promise<string> => {
    writeFileSync(path.join(dir, 'systemctl'), `#!/bin/sh\n[ "$1" = is-active ] || exit 64\nshift\n${answer}\n`, { mode: 0o755 });
    const env = { ...process.env, PATH: `${dir}:${process.env.PATH ?? ''}`, LBOS_UNITS: 'nicd csyncd statusd' };
    return (await run('sh', [script], { env })).stdout.trim();
  };
  t.regex(await report('for u; do echo active; done'), /^LBOS: all services ready after \d+\.\d+ s \(nicd csyncd statusd\)$/);
  const states = 'for u; do case $u in csyncd.service) echo inactive;; statusd.service) echo failed;; *) echo active;; esac; done; exit 3';
  t.regex(await report(states), /^LBOS: services NOT all ready after \d+\.\d+ s: csyncd inactive, statusd failed$/);
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
