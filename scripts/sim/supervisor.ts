/**
 * A small systemd for one simulated unit: it starts the unit's services
 * (Type=notify: ready at READY=1 on NOTIFY_SOCKET), runs ExecStopPost after
 * every exit, restarts a failed service after RestartSec
 * (Restart=on-failure, RestartPreventExitStatus=64 78), stops with SIGTERM
 * then SIGKILL, writes each MainPID to DIR/<service>.pid, and reports every
 * state with systemd's ActiveState/SubState names (systemd.service(5),
 * org.freedesktop.systemd1(5)) so a systemd stand-in on D-Bus can publish them.
 *
 *                 start()                READY=1
 *   inactive ---------------> activating ---------> active
 *     ^  ^                    (start)    <-------- (running) <--> reloading (RELOADING=1 / READY=1)
 *     |  |                       |     auto-restart    |
 *     |  |        exits          v       timer         | exits               stop(), restart()
 *     |  |   +----------- deactivating <---------------+                  deactivating (stop-sigterm)
 *     |  |   |              (stop-post: ExecStopPost)                            | exits, ExecStopPost
 *     |  |   +-- clean exit -----------------------------------------------------+----> inactive (dead)
 *     |  |   +-- failure, restartable --> activating (auto-restart) --RestartSec--> activating (start), NRestarts+1
 *     |  |   +-- failure, not restartable (64, 78) --> failed (failed)
 *
 * A failure is a non-zero exit code or a signal other than SIGHUP, SIGINT,
 * SIGTERM, SIGPIPE (systemd's clean signals).
 */
import { constants as os } from 'node:os';
import { rmSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { AppError } from '../../services/runtime/errors';
import { openNotifySocket, type NotifyMessage, type NotifySocket } from './notify-socket';
import type { SimProcess } from './pair';

export type ActiveState = 'inactive' | 'activating' | 'active' | 'reloading' | 'deactivating' | 'failed';

/** What systemd publishes of a service. */
export interface ServiceStatus {
  active: ActiveState;
  sub: string;
  /** Automatic restarts so far (NRestarts). */
  restarts: number;
  /** 0 when no main process runs. */
  mainPid: number;
}

/** One service: how to start its main process and what to run after it exits. */
export interface ServiceSpec {
  /** The unit name, e.g. hbd.service. */
  name: string;
  /** ExecStart: spawn the main process with `env` (NOTIFY_SOCKET) added. */
  start(env: NodeJS.ProcessEnv): SimProcess;
  /** ExecStopPost, run after every exit however it happened; `done` says what it did. */
  stopPost?: { run(): Promise<void>; done: string };
}

/** How a main process ended. */
export interface ExitResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  /** It did not send READY=1 in time and was killed. */
  timedOut?: boolean;
}

export type SupervisorEvent =
  | { kind: 'state'; unit: string; status: ServiceStatus }
  | { kind: 'started'; unit: string; pid: number; cause: 'start' | 'auto-restart' | 'restart' }
  | { kind: 'exited'; unit: string; pid: number; result: ExitResult; expected: boolean; stopPost: string | null; restartInMs: number | null };

export interface SupervisorOptions {
  /** DIR/<service>.pid (MainPID) and DIR/notify/<service>.sock. */
  dir: string;
  /** RestartSec. */
  restartMs: number;
  /** TimeoutStartSec: no READY=1 by then and the process is killed (default 60 s). */
  startTimeoutMs?: number;
  /** TimeoutStopSec: SIGKILL after SIGTERM (default 10 s). */
  stopTimeoutMs?: number;
  /** RestartPreventExitStatus (default 64 78: usage and configuration errors). */
  preventRestart?: readonly number[];
  onEvent?: (e: SupervisorEvent) => void;
  /** A failure inside the supervisor itself (an onEvent that threw). */
  onError?: (unit: string, err: unknown) => void;
}

const CLEAN_SIGNALS: readonly string[] = ['SIGHUP', 'SIGINT', 'SIGTERM', 'SIGPIPE'];

/** systemd's names of exit codes (EXIT_* and sysexits(3)), as in "status=78/CONFIG". */
const EXIT_NAMES: Record<number, string> = {
  0: 'SUCCESS', 1: 'FAILURE', 2: 'INVALIDARGUMENT', 64: 'USAGE', 65: 'DATAERR', 66: 'NOINPUT', 69: 'UNAVAILABLE', 70: 'SOFTWARE', 75: 'TEMPFAIL', 78: 'CONFIG',
};

/** "killed by SIGKILL (status=9/KILL)", "exited with code 78 (status=78/CONFIG)", like systemd's "code=killed, status=9/KILL". */
export function describeExit(r: ExitResult): string {
  const why = r.timedOut === true ? ', start timed out' : '';
  if (r.signal !== null) return `killed by ${r.signal} (status=${os.signals[r.signal] ?? '?'}/${r.signal.replace(/^SIG/, '')}${why})`;
  return `exited with code ${r.code ?? '?'} (status=${r.code ?? '?'}/${EXIT_NAMES[r.code ?? -1] ?? 'UNKNOWN'}${why})`;
}

export function isFailure(r: ExitResult): boolean {
  return r.timedOut === true || (r.signal !== null ? !CLEAN_SIGNALS.includes(r.signal) : r.code !== 0);
}

interface Service {
  spec: ServiceSpec;
  status: ServiceStatus;
  proc: SimProcess | null;
  notify: NotifySocket | null;
  stopping: boolean;
  timedOut: boolean;
  /** The current run's exit, ExecStopPost included. */
  exited: Promise<void>;
  waiter: { resolve: () => void; reject: (err: Error) => void } | null;
  restartTimer: NodeJS.Timeout | null;
  startTimer: NodeJS.Timeout | null;
  /** start/stop/restart one after the other. */
  queue: Promise<void>;
}

export class Supervisor {
  private readonly services = new Map<string, Service>();
  private closed = false;

  constructor(private readonly o: SupervisorOptions) {}

  add(spec: ServiceSpec): void {
    this.services.set(spec.name, {
      spec, status: { active: 'inactive', sub: 'dead', restarts: 0, mainPid: 0 }, proc: null, notify: null, stopping: false, timedOut: false,
      exited: Promise.resolve(), waiter: null, restartTimer: null, startTimer: null, queue: Promise.resolve(),
    });
  }

  get names(): string[] {
    return [...this.services.keys()];
  }

  status(name: string): ServiceStatus {
    return { ...this.get(name).status };
  }

  /** DIR/<service without .service>.pid, holding the MainPID while the process runs. */
  pidFile(name: string): string {
    return path.join(this.o.dir, `${name.replace(/\.service$/, '')}.pid`);
  }

  /** Start; resolves once the service sent READY=1, rejects if it exits first. */
  start(name: string): Promise<void> {
    const s = this.get(name);
    return this.enqueue(s, async () => {
      if (s.proc !== null) return;
      this.cancelRestart(s);
      await this.launch(s, 'start');
    });
  }

  /** Stop (SIGTERM, SIGKILL after the stop timeout), then start: RestartUnit. */
  restart(name: string): Promise<void> {
    const s = this.get(name);
    return this.enqueue(s, async () => {
      await this.stopNow(s);
      await this.launch(s, 'restart');
    });
  }

  stop(name: string): Promise<void> {
    const s = this.get(name);
    return this.enqueue(s, () => this.stopNow(s));
  }

  /** Stop every service, the last added first; no restarts after this. */
  async stopAll(): Promise<void> {
    this.closed = true;
    for (const name of [...this.services.keys()].reverse()) {
      const s = this.get(name);
      await this.stop(name).catch(() => undefined);
      s.notify?.close();
      s.notify = null;
    }
  }

  private get(name: string): Service {
    const s = this.services.get(name);
    if (s === undefined) throw new AppError('NO_SUCH_UNIT', `Unit ${name} not loaded.`);
    return s;
  }

  private enqueue(s: Service, op: () => Promise<void>): Promise<void> {
    const next = s.queue.then(op);
    s.queue = next.catch(() => undefined);
    return next;
  }

  private set(s: Service, change: Partial<ServiceStatus>): void {
    s.status = { ...s.status, ...change };
    this.o.onEvent?.({ kind: 'state', unit: s.spec.name, status: { ...s.status } });
  }

  private cancelRestart(s: Service): void {
    if (s.restartTimer !== null) clearTimeout(s.restartTimer);
    s.restartTimer = null;
  }

  private launch(s: Service, cause: 'start' | 'auto-restart' | 'restart'): Promise<void> {
    if (this.closed) return Promise.reject(new AppError('SHUTTING_DOWN', `not starting ${s.spec.name}: the supervisor is stopping`));
    const name = s.spec.name;
    s.notify ??= openNotifySocket(path.join(this.o.dir, 'notify', `${name.replace(/\.service$/, '')}.sock`), (m) => this.onNotify(s, m));
    s.stopping = false;
    s.timedOut = false;
    this.set(s, { active: 'activating', sub: 'start', ...(cause === 'auto-restart' ? { restarts: s.status.restarts + 1 } : {}) });
    const p = s.spec.start({ NOTIFY_SOCKET: s.notify.path });
    s.proc = p;
    const ready = new Promise<void>((resolve, reject) => (s.waiter = { resolve, reject }));
    s.exited = new Promise<void>((resolve) => {
      p.child.once('exit', (code, signal) => {
        this.onExit(s, p, { code, signal }).catch((err: unknown) => this.o.onError?.(s.spec.name, err)).finally(resolve);
      });
    });
    writeFileSync(this.pidFile(name), `${p.pid}\n`);
    this.set(s, { mainPid: p.pid });
    this.o.onEvent?.({ kind: 'started', unit: name, pid: p.pid, cause });
    s.startTimer = setTimeout(() => {
      if (s.proc !== p || s.status.active !== 'activating') return;
      s.timedOut = true;
      p.child.kill('SIGKILL');
    }, this.o.startTimeoutMs ?? 60_000);
    return ready;
  }

  private onNotify(s: Service, m: NotifyMessage): void {
    if (s.proc === null) return;
    if (m.READY === '1' && (s.status.active === 'activating' || s.status.active === 'reloading')) {
      if (s.startTimer !== null) clearTimeout(s.startTimer);
      this.set(s, { active: 'active', sub: 'running' });
      s.waiter?.resolve();
      s.waiter = null;
    } else if (m.RELOADING === '1' && s.status.active === 'active') {
      this.set(s, { active: 'reloading', sub: 'reload' });
    } else if (m.STOPPING === '1' && s.status.active !== 'deactivating') {
      this.set(s, { active: 'deactivating', sub: 'stop' });
    }
  }

  private async onExit(s: Service, p: SimProcess, exit: ExitResult): Promise<void> {
    if (s.proc !== p) return;
    if (s.startTimer !== null) clearTimeout(s.startTimer);
    s.proc = null;
    rmSync(this.pidFile(s.spec.name), { force: true });
    const result: ExitResult = { ...exit, timedOut: s.timedOut };
    const expected = s.stopping;
    const failed = !expected && isFailure(result);
    const prevented = result.code !== null && (this.o.preventRestart ?? [64, 78]).includes(result.code);
    const post = s.spec.stopPost;
    if (post !== undefined) {
      this.set(s, { active: 'deactivating', sub: 'stop-post', mainPid: 0 });
      await post.run().catch(() => undefined);
    }
    const restartInMs = failed && !prevented && !this.closed ? this.o.restartMs : null;
    this.o.onEvent?.({ kind: 'exited', unit: s.spec.name, pid: p.pid, result, expected, stopPost: post?.done ?? null, restartInMs });
    s.waiter?.reject(new AppError('UNIT_FAILED', `${s.spec.name} ${describeExit(result)} before it was ready; see ${p.logFile}`));
    s.waiter = null;
    if (restartInMs !== null) {
      this.set(s, { active: 'activating', sub: 'auto-restart', mainPid: 0 });
      s.restartTimer = setTimeout(() => {
        s.restartTimer = null;
        void this.enqueue(s, async () => {
          if (s.proc === null && s.status.sub === 'auto-restart') await this.launch(s, 'auto-restart');
        }).catch(() => undefined);
      }, restartInMs);
    } else {
      this.set(s, failed ? { active: 'failed', sub: 'failed', mainPid: 0 } : { active: 'inactive', sub: 'dead', mainPid: 0 });
    }
  }

  private async stopNow(s: Service): Promise<void> {
    this.cancelRestart(s);
    const p = s.proc;
    if (p === null) {
      await s.exited; // an exit being handled (ExecStopPost running): Ctrl-C reaches the services too
      this.cancelRestart(s);
      if (s.status.sub === 'auto-restart') this.set(s, { active: 'inactive', sub: 'dead' });
      return;
    }
    s.stopping = true;
    this.set(s, { active: 'deactivating', sub: 'stop-sigterm' });
    await p.stop(this.o.stopTimeoutMs ?? 10_000);
    await s.exited;
  }
}
