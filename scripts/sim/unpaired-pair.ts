/**
 * Two factory-fresh simulated units for pairing tests: each in its network
 * namespace with its own bus, a real statusd (admin password already set,
 * as after the first login), a real paird, and a small systemd (the demo's
 * supervisor, scripts/sim/unit-systemd.ts) that starts the real hbd and
 * csyncd when paird asks (StartUnit). Nothing is paired: no ha.cf, no
 * csyncd.cfg, no csyncd keys.
 */
import { X509Certificate } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { repoRoot } from '../../services/runtime/cli';
import { SimPair, type SimProcess, type SimUnit } from './pair';
import { HbdUnit } from './hbd-unit';
import { startUnitSystemd, type UnitSystemd } from './unit-systemd';
import { run, runInNamespace, waitFor, type NsResult } from './exec';
import { CsyncPair, defaultRegistry } from '../../services/csyncd/testing/csync-pair';
import { spawnStatusd, writeStatusdConf, type StatusdFiles } from '../../services/statusd/testing/unit-statusd';
import { spawnPaird } from './paird-unit';

export const HACTL_MAIN = (): string => path.join(repoRoot(), 'dist', 'services', 'hbd', 'hactl.js');
/** Each unit's admin password (set as the first login would). */
export const ADMIN_PASSWORD = 'unit admin password';

export interface UnpairedUnit {
  unit: SimUnit;
  haDir: string;
  csyncdCfg: string;
  csyncdDir: string;
  statusd: StatusdFiles;
  systemd: UnitSystemd;
  paird: SimProcess;
  /** SHA256:.. of its statusd certificate, as the peer's hactl shows it. */
  fingerprint: string;
}

export class UnpairedPair {
  private constructor(readonly pair: SimPair, readonly units: [UnpairedUnit, UnpairedUnit], private readonly procs: SimProcess[]) {}

  static async start(): Promise<UnpairedPair> {
    const pair = await SimPair.create();
    const procs: SimProcess[] = [];
    const systemds: UnitSystemd[] = [];
    try {
      const csync = CsyncPair.attach(pair); // the units' csyncd paths and services.conf; its paired csyncd.cfg goes
      const units: UnpairedUnit[] = [];
      for (const [i, u] of pair.units.entries()) {
        const k = i as 0 | 1;
        const paths = csync.paths[k];
        rmSync(paths.cfg, { force: true });
        const haDir = path.join(u.dir, 'ha.d');
        mkdirSync(haDir, { recursive: true });
        const hbd = new HbdUnit(pair, u, { configDir: haDir, restartAfterMs: null });
        const systemd = await startUnitSystemd(u, [
          { name: 'hbd.service', start: (env) => hbd.start(env), stopPost: { run: () => hbd.afterExit(), done: 'VIPs released' } },
          { name: 'csyncd.service', start: (env) => csync.start(k, undefined, undefined, [], { ...env, LBOS_SIM_HA_DIR: haDir }) },
        ], { restartMs: 1000 });
        systemds.push(systemd);
        // The tests log in to the peer a dozen times in a minute (each refusal case, pairing, unpairing): more than a person would.
        // csyncd's services: haproxy, and the heartbeat settings (ha.cf) as on the appliance: checked by the
        // receiving unit's hbd with its own files, then hbd restarted there (through this unit's systemd).
        // csyncd sees the unit's ha.d as /etc/ha.d (its own mount namespace), as it sees /etc/haproxy.
        writeFileSync(path.join(paths.configDir, 'services.conf'), `${defaultRegistry(u, paths)}service heartbeat\n    file /etc/ha.d/ha.cf\n`
          + `    validate ${path.join(repoRoot(), 'bin', 'hbd')} --check-config -c /etc/ha.d --ha-cf {file} --node ${u.name}\n`
          + `    apply dbus-send --bus=${systemd.busAddress} --print-reply --dest=org.freedesktop.systemd1 /org/freedesktop/systemd1 org.freedesktop.systemd1.Manager.RestartUnit string:hbd.service string:replace\n`);
        const statusd = writeStatusdConf(u, { systemdBus: systemd.busAddress, extra: ['login_burst 30'] });
        // The first login's password change, done the root way: no initial password left.
        const pw = path.join(u.dir, 'admin-password');
        writeFileSync(pw, `${ADMIN_PASSWORD}\n`, { mode: 0o600 });
        await run(process.execPath, [path.join(repoRoot(), 'dist', 'services', 'statusd', 'statusctl.js'), 'passwd', '--state-dir', statusd.stateDir, '--password-file', pw]);
        const sd = spawnStatusd(pair, u, statusd);
        procs.push(sd);
        const paird = spawnPaird(pair, u, { haDir, csyncdCfg: paths.cfg, csyncdDir: paths.configDir, csyncdStateDir: paths.stateDir, systemdBus: systemd.busAddress });
        procs.push(paird);
        const cert = path.join(statusd.stateDir, 'tls', 'cert.pem');
        await waitFor(`${u.name}: statusd and paird ready`, () => {
          for (const p of [sd, paird]) if (p.child.exitCode !== null) throw new Error(`${p.logFile}: exited ${p.child.exitCode}: ${readFileSync(p.logFile, 'utf8').slice(-1500)}`);
          return [sd, paird].every((p) => existsSync(p.logFile) && readFileSync(p.logFile, 'utf8').includes('"msg":"ready"')) && existsSync(cert);
        }, 30_000, 100);
        units.push({ unit: u, haDir, csyncdCfg: paths.cfg, csyncdDir: paths.configDir, statusd, systemd, paird, fingerprint: `SHA256:${new X509Certificate(readFileSync(cert)).fingerprint256}` });
      }
      return new UnpairedPair(pair, units as [UnpairedUnit, UnpairedUnit], procs);
    } catch (err) {
      await Promise.all(procs.map((p) => p.stop()));
      await Promise.all(systemds.map((s) => s.stop()));
      pair.teardown();
      throw err;
    }
  }

  /** hactl in unit k's namespace, on its bus; never throws. */
  hactl(k: 0 | 1, args: string[], input = ''): Promise<NsResult> {
    const u = this.units[k].unit;
    return runInNamespace(u.ns, [process.execPath, HACTL_MAIN(), ...args], { ...process.env, DBUS_SYSTEM_BUS_ADDRESS: u.busAddress }, input, 180_000);
  }

  logs(): string {
    return this.procs.map((p) => `--- ${p.logFile}\n${existsSync(p.logFile) ? readFileSync(p.logFile, 'utf8').slice(-3000) : ''}`).join('\n');
  }

  async stop(): Promise<void> {
    await Promise.all(this.procs.map((p) => p.stop()));
    await Promise.all(this.units.map((u) => u.systemd.stop()));
    this.pair.teardown();
  }
}
