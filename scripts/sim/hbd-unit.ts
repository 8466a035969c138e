/**
 * Runs hbd on a simulated unit the way systemd runs it on the appliance:
 * foreground, its own bus, and after any exit `hbd --release-vips`
 * (ExecStopPost); optionally restarted after a delay (Restart=on-failure).
 */
import * as path from 'node:path';
import { run } from './exec';
import type { SimPair, SimProcess, SimUnit } from './pair';
import { repoRoot } from '../../services/runtime/cli';

export const HBD_MAIN = (): string => path.join(repoRoot(), 'dist', 'services', 'hbd', 'main.js');
export const HACTL_MAIN = (): string => path.join(repoRoot(), 'dist', 'services', 'hbd', 'hactl.js');

export interface HbdUnitOptions {
  configDir: string;
  logLevel?: string;
  /** Restart this long after an unexpected exit; null: do not restart. */
  restartAfterMs?: number | null;
  onExit?: (code: number | null) => void;
}

export class HbdUnit {
  proc: SimProcess | null = null;
  private stopping = false;
  private restartTimer: NodeJS.Timeout | null = null;
  /** The ExecStopPost of the last run; stop() waits for it. */
  private postExit: Promise<void> = Promise.resolve();
  starts = 0;

  constructor(readonly pair: SimPair, readonly unit: SimUnit, readonly opts: HbdUnitOptions) {}

  get env(): NodeJS.ProcessEnv {
    return { DBUS_SYSTEM_BUS_ADDRESS: this.unit.busAddress, LOG_LEVEL: this.opts.logLevel ?? 'info' };
  }

  /** Spawn hbd; `extraEnv` adds to its environment (a supervisor's NOTIFY_SOCKET). */
  start(extraEnv: NodeJS.ProcessEnv = {}): SimProcess {
    this.stopping = false;
    this.starts += 1;
    const p = this.pair.spawnIn(this.unit.ns, process.execPath, [HBD_MAIN(), '-c', this.opts.configDir, '--node', this.unit.name, '--state-dir', path.join(this.unit.dir, 'hbd-state')], {
      env: { ...extraEnv, ...this.env },
      logName: `${this.unit.name}-hbd`,
    });
    this.proc = p;
    this.postExit = p.exited.then(async (code) => {
      if (this.proc !== p) return;
      await this.releaseVips();
      this.opts.onExit?.(code);
      const after = this.opts.restartAfterMs ?? null;
      if (!this.stopping && after !== null) this.restartTimer = setTimeout(() => this.start(), after);
    });
    return p;
  }

  /** Resolves once the last run's exit is handled (its ExecStopPost done). */
  afterExit(): Promise<void> {
    return this.postExit;
  }

  /** ExecStopPost. */
  async releaseVips(): Promise<void> {
    await this.pair.exec(this.unit.ns, process.execPath, [HBD_MAIN(), '--release-vips', '-c', this.opts.configDir, '--node', this.unit.name], { env: { ...process.env, ...this.env } }).catch(() => undefined);
  }

  async stop(): Promise<void> {
    this.stopping = true;
    if (this.restartTimer !== null) clearTimeout(this.restartTimer);
    await this.proc?.stop();
    await this.postExit;
  }

  /** kill -9, then wait for the ExecStopPost, as systemd would run it. */
  async kill9(): Promise<void> {
    await this.proc?.kill9();
    await this.postExit;
  }

  /** Run hactl against this unit's bus. */
  hactl(...args: string[]): Promise<string> {
    return run(process.execPath, [HACTL_MAIN(), ...args], { env: { ...process.env, ...this.env } }).then((r) => r.stdout);
  }
}
