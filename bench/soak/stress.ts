/**
 * The CPU and memory load of the soak: `stress-ng --cpu 2 --vm 1 --vm-bytes
 * 256M` in the root namespace, as a busy appliance's haproxy and kernel would
 * compete with hbd for both cores. stress-ng is installed with apt when
 * missing. It runs in its own process group so that stop() ends it and its
 * workers (and only them) by that group's id; an exit handler does the same
 * if the bench dies first.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { runSync, sleep } from '../../scripts/sim/exec';
import { AppError } from '../../services/runtime/errors';

export const STRESS_ARGS = ['--cpu', '2', '--vm', '1', '--vm-bytes', '256M'] as const;
export const STRESS_LABEL = `stress-ng ${STRESS_ARGS.join(' ')}`;
const STRESS_BIN = '/usr/bin/stress-ng';
/** stress-ng must still run this long after its start, or it refused its arguments. */
const START_CHECK_MS = 500;
const STOP_GRACE_MS = 5_000;

/** Installs stress-ng from the Debian archive if it is not there yet. */
export function ensureStressNg(log: (msg: string) => void): void {
  if (existsSync(STRESS_BIN)) return;
  log('stress-ng missing: apt-get install -y stress-ng');
  runSync('apt-get', ['install', '-y', 'stress-ng'], { timeout: 300_000, env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' } });
  if (!existsSync(STRESS_BIN)) throw new AppError('NOT_INSTALLED', `${STRESS_BIN} still missing after apt-get install`);
}

export class StressLoad {
  private readonly onExit = (): void => this.killGroup('SIGKILL');

  private constructor(private readonly child: ChildProcess, private stderr: string) {
    process.on('exit', this.onExit);
  }

  static async start(): Promise<StressLoad> {
    const child = spawn(STRESS_BIN, [...STRESS_ARGS, '--timeout', '0'], { stdio: ['ignore', 'ignore', 'pipe'], detached: true });
    const load = new StressLoad(child, '');
    child.stderr?.on('data', (d: Buffer) => (load.stderr = (load.stderr + d.toString()).slice(-2000)));
    await sleep(START_CHECK_MS);
    if (!load.running) {
      load.stop();
      throw new AppError('STRESS_FAILED', `stress-ng exited at once: ${load.stderr.trim()}`);
    }
    return load;
  }

  get running(): boolean {
    return this.child.exitCode === null && this.child.signalCode === null;
  }

  private killGroup(sig: NodeJS.Signals): void {
    const pid = this.child.pid;
    if (pid === undefined) return;
    try {
      process.kill(-pid, sig);
    } catch {
      /* the group is gone */
    }
  }

  /** SIGTERM to stress-ng's group (it stops its workers), SIGKILL after a grace time. */
  async stopGracefully(): Promise<void> {
    process.removeListener('exit', this.onExit);
    if (!this.running) return this.killGroup('SIGKILL');
    const exited = new Promise((r) => this.child.once('exit', r));
    this.killGroup('SIGTERM');
    const t = setTimeout(() => this.killGroup('SIGKILL'), STOP_GRACE_MS);
    await exited;
    clearTimeout(t);
    // Workers that outlived their parent.
    this.killGroup('SIGKILL');
  }

  stop(): void {
    process.removeListener('exit', this.onExit);
    this.killGroup('SIGKILL');
  }
}
