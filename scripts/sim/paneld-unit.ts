/**
 * Runs paneld on a simulated unit with a real LCDd as its panel: LCDd with
 * the text driver (frames readable) or the curses driver in tmux (keys can be
 * pressed), a directory shaped like /sys/class/leds with the "sim" LED map,
 * and the console banner in the unit's directory. With a SimPair both run
 * inside the unit's network namespace (teardown empties it); without one
 * (a bare private bus) they run here and are stopped by PID.
 */
import { spawn } from 'node:child_process';
import { closeSync, mkdirSync, openSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { repoRoot } from '../../services/runtime/cli';
import { LcddRig } from '../../services/paneld/testing/lcdd-rig';
import { makeLedTree } from '../../services/paneld/testing/led-tree';
import { run, waitFor } from './exec';
import type { SimPair, SimProcess } from './pair';

export const PANELD_MAIN = (): string => path.join(repoRoot(), 'dist', 'services', 'paneld', 'main.js');
export const PANELCTL_MAIN = (): string => path.join(repoRoot(), 'dist', 'services', 'paneld', 'panelctl.js');
export const SIM_LEDS = ['sim:green:status', 'sim:amber:ha', 'sim:red:fault'];

/** Where a paneld runs: a SimPair unit, or just a directory and a bus. */
export interface PanelHost {
  name: string;
  dir: string;
  busAddress: string;
  ns?: string;
}

export interface PaneldUnitOptions {
  driver?: 'text' | 'curses';
  width?: number;
  height?: number;
  /** More paneld.conf lines. */
  conf?: string[];
  logLevel?: string;
}

export class PaneldUnit {
  proc: SimProcess | null = null;
  readonly confFile: string;
  readonly ledRoot: string;
  readonly bannerFile: string;
  /** What paneld touches after each banner change (agetty --reload's file), here the unit's own. */
  readonly agettyReload: string;

  private constructor(readonly host: PanelHost, readonly lcd: LcddRig, private readonly pair: SimPair | null, private readonly opts: PaneldUnitOptions) {
    this.confFile = path.join(host.dir, 'paneld.conf');
    this.ledRoot = path.join(host.dir, 'leds');
    this.bannerFile = path.join(host.dir, 'issue');
    this.agettyReload = path.join(host.dir, 'agetty.reload');
  }

  /** LCDd + LED tree + paneld; resolves once paneld owns its bus name. */
  static async start(pair: SimPair | null, host: PanelHost, opts: PaneldUnitOptions = {}): Promise<PaneldUnit> {
    const u = await PaneldUnit.prepare(pair, host, opts);
    try {
      await u.startPaneld();
    } catch (err) {
      await u.stop();
      throw err;
    }
    return u;
  }

  /** LCDd, LED tree and paneld.conf, without paneld: for a supervisor that spawns it (spawnPaneld). */
  static async prepare(pair: SimPair | null, host: PanelHost, opts: PaneldUnitOptions = {}): Promise<PaneldUnit> {
    const lcdDir = path.join(host.dir, 'lcd');
    mkdirSync(lcdDir, { recursive: true, mode: 0o755 });
    const lcd = await LcddRig.start({ dir: lcdDir, driver: opts.driver ?? 'text', width: opts.width ?? 20, height: opts.height ?? 4, ...(host.ns === undefined ? {} : { netns: host.ns }) });
    const u = new PaneldUnit(host, lcd, pair, opts);
    try {
      await makeLedTree(u.ledRoot, SIM_LEDS.map((name) => ({ name })));
      writeFileSync(u.agettyReload, '');
      writeFileSync(u.confFile, [
        `lcdproc_port ${lcd.port}`,
        `led_root ${u.ledRoot}`,
        `led_model ${path.join(repoRoot(), 'rootfs', 'overlay', 'usr', 'share', 'lbos', 'leds', 'sim.conf')}`,
        `banner_file ${u.bannerFile}`,
        `agetty_reload ${u.agettyReload}`,
        'page_interval 2s',
        ...(opts.conf ?? []),
        '',
      ].join('\n'));
    } catch (err) {
      await u.stop();
      throw err;
    }
    return u;
  }

  get env(): NodeJS.ProcessEnv {
    return { DBUS_SYSTEM_BUS_ADDRESS: this.host.busAddress, LOG_LEVEL: this.opts.logLevel ?? 'info' };
  }

  /** paneld, log in DIR/<name>-paneld.log; `extraEnv` adds to its environment (a supervisor's NOTIFY_SOCKET). */
  spawnPaneld(extraEnv: NodeJS.ProcessEnv = {}): SimProcess {
    const args = [PANELD_MAIN(), '-c', this.confFile];
    const env = { ...extraEnv, ...this.env };
    return this.pair !== null && this.host.ns !== undefined
      ? this.pair.spawnIn(this.host.ns, process.execPath, args, { env, logName: `${this.host.name}-paneld` })
      : spawnLocal(process.execPath, args, env, path.join(this.host.dir, `${this.host.name}-paneld.log`));
  }

  async startPaneld(): Promise<void> {
    this.proc = this.spawnPaneld();
    const p = this.proc;
    await waitFor(`paneld of ${this.host.name} on the bus`, async () => {
      if (p.child.exitCode !== null) throw new Error(`paneld exited with ${p.child.exitCode}; see ${p.logFile}`);
      return this.panelctl('show', '--json').then(() => true, () => false);
    }, 15_000, 100);
  }

  async stopPaneld(): Promise<void> {
    await this.proc?.stop();
    this.proc = null;
  }

  /** Run panelctl against this unit's bus; resolves with its stdout. */
  async panelctl(...args: string[]): Promise<string> {
    return (await run(process.execPath, [PANELCTL_MAIN(), ...args], { env: { ...process.env, ...this.env } })).stdout;
  }

  /** What paneld publishes (panelctl show --json). */
  async shown(): Promise<Record<string, unknown>> {
    return JSON.parse(await this.panelctl('show', '--json')) as Record<string, unknown>;
  }

  async stop(): Promise<void> {
    await this.stopPaneld();
    await this.lcd.stop();
  }
}

function spawnLocal(cmd: string, args: string[], env: NodeJS.ProcessEnv, logFile: string): SimProcess {
  const fd = openSync(logFile, 'a');
  const child = spawn(cmd, args, { stdio: ['ignore', fd, fd], env: { ...process.env, ...env } });
  closeSync(fd);
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return {
    child,
    pid: child.pid ?? -1,
    logFile,
    exited,
    stop: async (graceMs = 5000) => {
      if (child.exitCode !== null || child.signalCode !== null) return child.exitCode;
      child.kill('SIGTERM');
      const t = setTimeout(() => child.kill('SIGKILL'), graceMs);
      const code = await exited;
      clearTimeout(t);
      return code;
    },
    kill9: async () => {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill('SIGKILL');
      await exited;
    },
  };
}
