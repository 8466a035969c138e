/**
 * Every unit file under rootfs/ passes `systemd-analyze verify`. The units
 * name /opt/lbos (the image's install prefix); we point that prefix at this
 * checkout so verify also proves every ExecStart binary exists.
 */
import test from 'ava';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { repoRoot } from './cli';
import { run } from '../../scripts/sim/exec';

const UNIT_DIR = path.join(repoRoot(), 'rootfs', 'overlay', 'etc', 'systemd', 'system');
const units = readdirSync(UNIT_DIR).filter((f) => f.endsWith('.service'));

test('there are unit files to verify', (t) => {
  t.true(units.length > 0);
});

for (const unit of units) {
  test(`systemd-analyze verify ${unit}`, async (t) => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'lbos-units-'));
    t.teardown(() => rmSync(dir, { recursive: true, force: true }));
    const text = readFileSync(path.join(UNIT_DIR, unit), 'utf8').replaceAll('/opt/lbos/', `${repoRoot()}/`);
    writeFileSync(path.join(dir, unit), text);
    const r = await run('systemd-analyze', ['verify', path.join(dir, unit)]);
    t.is(r.stderr.trim(), '', 'verify prints nothing for a clean unit');
    for (const key of ['Type=notify', 'WatchdogSec=', 'Restart=on-failure', 'NoNewPrivileges=yes', 'ProtectSystem=', 'CapabilityBoundingSet=']) {
      t.true(text.includes(key), `${unit} sets ${key}`);
    }
  });
}
