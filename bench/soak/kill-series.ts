/**
 * A failover series: kill -9 of the active unit's daemon, time to the first
 * gratuitous ARP for the VIP from the other unit on the LAN bridge, `reps`
 * times. The killed unit is cleaned up (ExecStopPost, or a reboot's worth of
 * VIP removal) and restarted; with auto_failback off it rejoins as standby,
 * so the roles alternate and no failback has to be waited for.
 *
 *   start both ─► settled (one active with the VIP, the other ready) ◄──┐
 *                    │ survivor quiet (no GARP for QUIET_MS), random phase  │
 *                    ▼                                                      │
 *   SIGKILL active (t0) ─► first GARP from the survivor = failover          │
 *                    │ clean up the victim, restart it                      │
 *                    └──────────── settled with roles swapped ──────────────┘
 *   any miss or a pair that does not settle: both restarted from scratch.
 */
import { sleep } from '../../scripts/sim/exec';
import type { SimPair, SimUnit } from '../../scripts/sim/pair';
import { AppError, errorMessage } from '../../services/runtime/errors';
import type { GarpWatch } from '../lib/garp-watch';
import { crash, type ProcRef } from '../../scripts/sim/netns-procs';
import { holdsVip } from '../lib/unit-net';
import { repinWallClock, wallMs } from '../lib/wall-clock';

/** The survivor must have sent no GARP for this long before a kill, so a late repeat is never taken for a takeover. */
const QUIET_MS = 2_000;
const QUIET_TIMEOUT_MS = 20_000;
const POLL_MS = 50;
const VIP_CHECK_MS = 3_000;

/** A daemon run on one unit. */
export interface DaemonRun {
  pid: number;
  logFile: string;
  /** Size of the log file at start: this run's lines come after it. */
  logOffset: number;
  running(): boolean;
}

/** How one HA daemon is started, crashed, cleaned up after and judged ready. */
export interface FailoverDriver {
  readonly system: string;
  readonly setting: string;
  readonly keepaliveMs: number;
  /** Longest wait for a GARP after a kill. */
  readonly failoverTimeoutMs: number;
  /** Longest wait for a (re)started pair to settle. */
  readonly settleTimeoutMs: number;
  start(unit: SimUnit): DaemonRun;
  /** The processes a crash kills (the caller timestamps right before). */
  victims(unit: SimUnit, run: DaemonRun): ProcRef[];
  /** After a crash: kill leftovers, remove the VIP as the unit's stop hook or a reboot would. */
  cleanup(unit: SimUnit): Promise<void>;
  /** true when `active` holds the resources and the other unit would take over; else why not. */
  ready(active: 0 | 1, runs: readonly [DaemonRun, DaemonRun]): Promise<true | string>;
}

export interface SeriesContext {
  pair: SimPair;
  garp: GarpWatch;
  macs: readonly [string, string];
  log(msg: string): void;
}

/** What a series measured, failures included. */
export interface SeriesResult {
  system: string;
  setting: string;
  reps: number;
  failoverMs: number[];
  misses: number;
  problems: string[];
}

class Series {
  private runs: [DaemonRun, DaemonRun] | null = null;
  private active: 0 | 1 = 0;

  constructor(private readonly ctx: SeriesContext, private readonly d: FailoverDriver, readonly out: SeriesResult) {}

  problem(text: string): void {
    this.out.problems.push(text);
    this.ctx.log(`${this.d.system} ${this.d.setting}: ${text}`);
  }

  async cleanAll(): Promise<void> {
    for (const u of this.ctx.pair.units) {
      const r = this.runs?.[u.name === 'u1' ? 0 : 1];
      if (r !== undefined && r.running()) crash(this.d.victims(u, r));
      await this.d.cleanup(u);
    }
    this.runs = null;
  }

  /** Both daemons from scratch, until one is active and the other ready. */
  async startBoth(): Promise<void> {
    await this.cleanAll();
    const [u1, u2] = this.ctx.pair.units;
    const runs: [DaemonRun, DaemonRun] = [this.d.start(u1), this.d.start(u2)];
    this.runs = runs;
    const end = Date.now() + this.d.settleTimeoutMs;
    let why = 'not checked';
    for (;;) {
      this.checkRunning();
      for (const a of [0, 1] as const) {
        const r = await this.d.ready(a, runs);
        if (r === true) {
          this.active = a;
          return;
        }
        if (a === 0) why = r;
      }
      if (Date.now() > end) throw new AppError('NOT_SETTLED', `pair not settled within ${this.d.settleTimeoutMs} ms: ${why}`);
      await sleep(POLL_MS * 4);
    }
  }

  private checkRunning(): void {
    this.ctx.pair.units.forEach((u, i) => {
      const r = this.runs?.[i];
      if (r === undefined || !r.running()) throw new AppError('DAEMON_EXITED', `${u.name}: ${this.d.system} is not running (log ${r?.logFile ?? 'none'})`);
    });
  }

  private async waitReady(active: 0 | 1): Promise<void> {
    const end = Date.now() + this.d.settleTimeoutMs;
    let why = '';
    for (;;) {
      this.checkRunning();
      const r = await this.d.ready(active, this.runs!);
      if (r === true) return;
      why = r;
      if (Date.now() > end) throw new AppError('NOT_SETTLED', `u${active + 1} active with a ready standby not reached within ${this.d.settleTimeoutMs} ms: ${why}`);
      await sleep(POLL_MS * 4);
    }
  }

  private async waitQuiet(mac: string): Promise<void> {
    const end = Date.now() + QUIET_TIMEOUT_MS;
    while (wallMs() - this.ctx.garp.lastFrom(mac) < QUIET_MS) {
      if (Date.now() > end) throw new AppError('NOT_QUIET', `still sending GARPs after ${QUIET_TIMEOUT_MS / 1000} s`);
      await sleep(POLL_MS);
    }
  }

  /** One kill; returns whether the pair is settled again with the roles swapped. */
  async trial(rep: number): Promise<boolean> {
    const victim = this.active;
    const survivor = (1 - victim) as 0 | 1;
    const units = this.ctx.pair.units;
    const tag = `${this.d.system} ${this.d.setting} #${rep + 1}`;
    await this.waitQuiet(this.ctx.macs[survivor]);
    // A random phase against the heartbeat cycle.
    await sleep(Math.random() * this.d.keepaliveMs);
    this.checkRunning();
    const procs = this.d.victims(units[victim], this.runs![victim]);
    if (procs.length === 0) throw new AppError('NO_VICTIM', `${units[victim].name}: no ${this.d.system} process to kill`);
    repinWallClock();
    const t0 = wallMs();
    crash(procs);
    const ev = await this.ctx.garp.firstFrom(this.ctx.macs[survivor], t0, this.d.failoverTimeoutMs);
    await this.d.cleanup(units[victim]);
    if (ev === undefined) {
      this.out.misses += 1;
      this.problem(`#${rep + 1}: no GARP from ${units[survivor].name} within ${this.d.failoverTimeoutMs} ms after the kill`);
      return false;
    }
    const ms = ev.tMs - t0;
    this.out.failoverMs.push(ms);
    this.ctx.log(`${tag}: ${units[victim].name} killed, ${units[survivor].name} GARP after ${ms.toFixed(1)} ms`);
    const vipEnd = Date.now() + VIP_CHECK_MS;
    while (!(await holdsVip(units[survivor]))) {
      if (Date.now() > vipEnd) {
        this.problem(`#${rep + 1}: ${units[survivor].name} sent a GARP but holds no VIP ${VIP_CHECK_MS} ms later`);
        return false;
      }
      await sleep(POLL_MS);
    }
    const runs = this.runs!;
    runs[victim] = this.d.start(units[victim]);
    try {
      await this.waitReady(survivor);
    } catch (err) {
      this.problem(`#${rep + 1}: after restarting ${units[victim].name}: ${errorMessage(err)}`);
      return false;
    }
    this.active = survivor;
    return true;
  }
}

/** Runs `reps` kills; failures of the system under test are recorded, not thrown. */
export async function runKillSeries(ctx: SeriesContext, d: FailoverDriver, reps: number): Promise<SeriesResult> {
  const out: SeriesResult = { system: d.system, setting: d.setting, reps, failoverMs: [], misses: 0, problems: [] };
  const s = new Series(ctx, d, out);
  try {
    try {
      await s.startBoth();
    } catch (err) {
      s.problem(`did not start: ${errorMessage(err)}`);
      return out;
    }
    for (let rep = 0; rep < reps; rep++) {
      let clean: boolean;
      try {
        clean = await s.trial(rep);
      } catch (err) {
        s.problem(`#${rep + 1}: ${errorMessage(err)}`);
        clean = false;
      }
      if (clean || rep === reps - 1) continue;
      try {
        await s.startBoth();
      } catch (err) {
        s.problem(`could not restart the pair after #${rep + 1}: ${errorMessage(err)}`);
        break;
      }
    }
    return out;
  } finally {
    await s.cleanAll().catch((err: unknown) => ctx.log(`cleanup: ${errorMessage(err)}`));
  }
}
