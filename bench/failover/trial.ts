/**
 * One series: a system at one timing, `reps` trials in a row on the same pair.
 *
 *   start both ──► settled: u1 holds the VIP, u2 not, both daemons up,
 *        ▲         unchanged for a detection time + 2 keepalives
 *        │                 │ u2 quiet (no GARP for QUIET_MS), both daemons up
 *        │                 │ >= STEADY_UPTIME_MS, then a random phase
 *        │                 ▼
 *        │         crash u1's daemon (t0) ──► first GARP from u2  = failover
 *        │                 │ kill u1's leftovers, drop its VIP (as a reboot would),
 *        │                 │ u2 holds the VIP; u1 stays down DOWN_MS
 *        │                 ▼
 *        │         restart u1's daemon (t1) ──► first GARP from u1 = failback
 *        │                 │
 *        └─ on any miss ───┴──► settled again: next trial
 *
 * A trial whose GARP does not come within its timeout is a failure: counted,
 * and the pair is restarted from scratch before the next trial.
 */
import { sleep } from '../../scripts/sim/exec';
import type { SimPair, SimUnit } from '../../scripts/sim/pair';
import { AppError, errorMessage } from '../../services/runtime/errors';
import { isRunning, logTail, type DaemonDriver, type DaemonProc } from './daemon';
import type { GarpWatch } from '../lib/garp-watch';
import { initdeadMs } from './ha-files';
import { measureIdle, type UnitUsage } from './idle';
import { crash, daemonProcs, killAllIn } from '../../scripts/sim/netns-procs';
import type { SeriesSpec } from './settings';
import { dropVip, holdsVip } from '../lib/unit-net';
import { repinWallClock, wallMs } from '../lib/wall-clock';

/** The standby must have sent no GARP for this long before a crash, so a late repeat is never taken for a takeover. */
const QUIET_MS = 2_000;
/** Longest wait for the standby's GARP repeats to end (Heartbeat's send_arp runs 5 s). */
const QUIET_TIMEOUT_MS = 20_000;
/** A daemon start (Heartbeat runs its resource scripts) may take this long on top of its timers. */
const START_SLACK_MS = 20_000;
const POLL_MS = 100;
/**
 * No crash sooner than this after a daemon (re)start. Heartbeat needs it: in
 * the first ~3 s after its peer restarted, it declares that peer dead ~2 s
 * after the link (measured: 3.3 s instead of 1.3 s at 200 ms/1 s), which is
 * not what a pair in service does. Applied to every system alike.
 */
const STEADY_UPTIME_MS = 6_000;
/** How long the crashed unit stays down before its restart (failback). */
const DOWN_MS = 3_000;
/** After its GARP the new active must show the VIP on eth0 within this. */
const VIP_CHECK_MS = 3_000;

/** What the bench shares between series. */
export interface BenchContext {
  pair: SimPair;
  watch: GarpWatch;
  /** eth0 MACs of u1, u2. */
  macs: readonly [string, string];
  log(msg: string): void;
}

/** Everything one series measured, failures included. */
export interface SeriesOutcome {
  spec: SeriesSpec;
  reps: number;
  /** Set when the pair never reached its starting state: no trial ran. */
  startError?: string;
  failoverMs: number[];
  failbackMs: number[];
  /** Trials with no GARP from the standby within the timeout. */
  failoverMisses: number;
  /** Restarts with no GARP from the preferred unit within the timeout. */
  failbackMisses: number;
  failoverTimeoutMs: number;
  failbackTimeoutMs: number;
  /** Trials not run because the pair could not be brought back to its starting state. */
  notRun: number;
  /** Why trials failed or the pair had to be restarted, in order (also logged as they happen). */
  problems: string[];
  /** Idle RSS/CPU of u1 (active) and u2 (standby), when measured. */
  idle?: UnitUsage[];
  /** Length of the idle window. */
  idleSeconds: number;
}

export function newOutcome(spec: SeriesSpec, reps: number, driver: DaemonDriver, idleSeconds: number): SeriesOutcome {
  const detect = driver.detectionMs(spec.timing);
  return {
    spec,
    reps,
    idleSeconds,
    failoverMs: [],
    failbackMs: [],
    failoverMisses: 0,
    failbackMisses: 0,
    failoverTimeoutMs: Math.round(4 * detect + 5_000),
    failbackTimeoutMs: Math.round(START_SLACK_MS + 2 * initdeadMs(spec.timing) + 3 * detect),
    notRun: 0,
    problems: [],
  };
}

class Series {
  private procs: (DaemonProc | undefined)[] = [undefined, undefined];
  /** Date.now() at each unit's last daemon start. */
  private startedAt = [0, 0];
  private readonly units: readonly [SimUnit, SimUnit];

  constructor(
    private readonly ctx: BenchContext,
    private readonly driver: DaemonDriver,
    private readonly out: SeriesOutcome,
  ) {
    this.units = ctx.pair.units;
  }

  /** Records why a trial failed, and says so in the progress log right away. */
  problem(text: string): void {
    this.out.problems.push(text);
    this.ctx.log(`${this.driver.system} ${this.out.spec.setting}: ${text}`);
  }

  private get timing() {
    return this.out.spec.timing;
  }

  /** Kill everything the series started, drop VIPs: the pair as SimPair.create() left it. */
  async stopAll(): Promise<void> {
    for (const u of this.units) {
      await killAllIn(u.ns);
      await dropVip(u);
    }
    this.procs = [undefined, undefined];
  }

  /** Fresh start of both daemons, then wait until settled. */
  async startClean(): Promise<void> {
    await this.stopAll();
    this.procs = this.units.map((u) => this.driver.start(this.ctx.pair, u));
    this.startedAt = [Date.now(), Date.now()];
    await this.settle(START_SLACK_MS + 3 * initdeadMs(this.timing) + 3 * this.driver.detectionMs(this.timing));
  }

  private checkRunning(): void {
    this.units.forEach((u, i) => {
      const p = this.procs[i];
      if (p === undefined) throw new AppError('NOT_RUNNING', `${u.name}: not started`);
      if (!isRunning(p)) {
        const how = p.child.signalCode ?? `code ${p.child.exitCode}`;
        throw new AppError('DAEMON_EXITED', `${u.name}: ${this.driver.system} exited (${how}): ${logTail(p)}`);
      }
    });
  }

  /**
   * Waits until u1 holds the VIP, u2 does not and both daemons run, without
   * change for a detection time + 2 keepalives: a standby that did not hear
   * the active would have taken the VIP within that window.
   */
  private async settle(timeoutMs: number): Promise<void> {
    const [u1, u2] = this.units;
    const stableForMs = this.driver.detectionMs(this.timing) + 2 * this.timing.keepaliveMs;
    const end = Date.now() + timeoutMs + stableForMs;
    let since = Date.now();
    let last = 'not checked yet';
    for (;;) {
      this.checkRunning();
      const [on1, on2] = [await holdsVip(u1), await holdsVip(u2)];
      if (on1 && !on2) {
        if (Date.now() - since >= stableForMs) return;
      } else {
        since = Date.now();
        last = `VIP on ${[on1 ? 'u1' : '', on2 ? 'u2' : ''].filter(Boolean).join(' and ') || 'neither unit'}`;
      }
      if (Date.now() > end) throw new AppError('NOT_SETTLED', `no stable active u1 / standby u2 within ${Math.round(timeoutMs / 1000)} s (${last})`);
      await sleep(POLL_MS);
    }
  }

  private async eventually(check: () => Promise<boolean>, withinMs: number): Promise<boolean> {
    const end = Date.now() + withinMs;
    for (;;) {
      if (await check()) return true;
      if (Date.now() > end) return false;
      await sleep(POLL_MS / 2);
    }
  }

  /** Both daemons up for STEADY_UPTIME_MS: crash a pair in service, not one still sorting out a restart. */
  private async waitUptime(): Promise<void> {
    const wait = Math.max(...this.startedAt) + STEADY_UPTIME_MS - Date.now();
    if (wait > 0) await sleep(wait);
  }

  private async waitQuiet(mac: string): Promise<void> {
    const end = Date.now() + QUIET_TIMEOUT_MS;
    while (wallMs() - this.ctx.watch.lastFrom(mac) < QUIET_MS) {
      if (Date.now() > end) throw new AppError('NOT_QUIET', `standby still sending GARPs after ${QUIET_TIMEOUT_MS / 1000} s`);
      await sleep(POLL_MS);
    }
  }

  /** One crash + restart; returns whether the pair is settled again. */
  async trial(rep: number): Promise<boolean> {
    const [u1, u2] = this.units;
    const [mac1, mac2] = this.ctx.macs;
    const { out, driver } = this;
    const tag = `${driver.system} ${out.spec.setting} #${rep + 1}`;
    await this.waitQuiet(mac2);
    await this.waitUptime();
    // A random phase against the heartbeat cycle, so the crash does not always fall at the same point of it.
    await sleep(Math.random() * this.timing.keepaliveMs);
    this.checkRunning();
    const victims = daemonProcs(u1.ns, driver.comms);
    if (victims.length === 0) throw new AppError('NO_DAEMON', `u1: no ${driver.comms.join('/')} process to crash`);
    repinWallClock();
    const t0 = wallMs();
    crash(victims);
    const takeover = await this.ctx.watch.firstFrom(mac2, t0, out.failoverTimeoutMs);
    await killAllIn(u1.ns);
    await dropVip(u1);
    this.procs[0] = undefined;
    if (takeover === undefined) {
      out.failoverMisses++;
      this.problem(`#${rep + 1}: no GARP from u2 within ${out.failoverTimeoutMs} ms after the crash`);
      this.ctx.log(`${tag}: failover MISSED`);
      return false;
    }
    const failover = takeover.tMs - t0;
    out.failoverMs.push(failover);
    if (!(await this.eventually(() => holdsVip(u2), VIP_CHECK_MS))) {
      this.problem(`#${rep + 1}: u2 sent a GARP but holds no VIP ${VIP_CHECK_MS} ms later`);
      return false;
    }
    // u1 stays down a moment, so failback starts from a finished takeover, not from u2's scripts mid-run.
    await sleep(DOWN_MS);

    repinWallClock();
    const t1 = wallMs();
    this.procs[0] = driver.start(this.ctx.pair, u1);
    this.startedAt[0] = Date.now();
    const back = await this.ctx.watch.firstFrom(mac1, t1, out.failbackTimeoutMs);
    if (back === undefined) {
      out.failbackMisses++;
      this.problem(`#${rep + 1}: no GARP from restarted u1 within ${out.failbackTimeoutMs} ms`);
      this.ctx.log(`${tag}: failover ${failover.toFixed(1)} ms, failback MISSED`);
      return false;
    }
    out.failbackMs.push(back.tMs - t1);
    this.ctx.log(`${tag}: failover ${failover.toFixed(1)} ms, failback ${(back.tMs - t1).toFixed(1)} ms`);
    try {
      await this.settle(START_SLACK_MS);
      return true;
    } catch (err) {
      this.problem(`#${rep + 1}: after failback: ${errorMessage(err)}`);
      return false;
    }
  }

  async idle(windowMs: number): Promise<UnitUsage[]> {
    return measureIdle(this.units, this.driver.comms, windowMs);
  }
}

/** Runs one series; never throws for a failure of the system under test, only records it. */
export async function runSeries(ctx: BenchContext, spec: SeriesSpec, driver: DaemonDriver, reps: number, idleSeconds: number): Promise<SeriesOutcome> {
  const out = newOutcome(spec, reps, driver, idleSeconds);
  const s = new Series(ctx, driver, out);
  try {
    try {
      driver.prepare(ctx.pair, spec.timing);
      await s.startClean();
    } catch (err) {
      out.startError = errorMessage(err);
      out.notRun = reps;
      return out;
    }
    if (idleSeconds > 0) out.idle = await s.idle(idleSeconds * 1000);
    for (let rep = 0; rep < reps; rep++) {
      let clean: boolean;
      try {
        clean = await s.trial(rep);
      } catch (err) {
        // The trial itself broke (a daemon died while settling, the standby never went quiet):
        // not a failover figure, but it must show in the table.
        s.problem(`#${rep + 1}: ${errorMessage(err)}`);
        clean = false;
      }
      if (clean) continue;
      if (rep === reps - 1) break;
      try {
        await s.startClean();
      } catch (err) {
        out.notRun = reps - rep - 1;
        s.problem(`could not restart the pair after #${rep + 1}: ${errorMessage(err)}`);
        break;
      }
    }
    return out;
  } finally {
    await s.stopAll();
  }
}
