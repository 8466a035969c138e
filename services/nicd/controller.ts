/**
 * The driver of nicd: one queue for every operation (D-Bus calls, the
 * confirmation deadline, SIGHUP), the safe-apply machine (core/safe-apply.ts)
 * for the decisions, the reconciler and the stores for the effects.
 */
import { AppError, errorMessage, isAppError } from '../runtime/errors';
import { parseNetworkConfig } from '../runtime/netconf/parse';
import { withGeneration, withoutGeneration } from '../runtime/netconf/render';
import { desiredFromConfig } from './core/desired';
import { describeStep, type DesiredState, type LiveState, type Step } from './core/model';
import { foreignIn } from './core/owned';
import { withoutBlocked, type ProbeProblem } from './core/probe';
import { stepSafeApply, type SafeApplyEffect, type SafeApplyEvent, type SafeApplyState } from './core/safe-apply';
import type { ActiveConfig, ApplyReply, ControllerDeps, ControllerStatus } from './controller-types';

export { systemClock, type ActiveConfig, type ApplyReply, type Clock, type ControllerDeps, type ControllerStatus } from './controller-types';

/** Serializes every operation and carries out the safe-apply machine's effects. */
export class Controller {
  private state: SafeApplyState<ActiveConfig>;
  private queue: Promise<unknown> = Promise.resolve();
  private cancelTimer: (() => void) | null = null;
  private lastResult = '';
  private lastSteps: Step[] = [];
  /** Interfaces the active config names that were missing or unbuildable at boot. */
  private waitingFor: string[] = [];

  private constructor(
    private readonly d: ControllerDeps,
    initial: ActiveConfig,
  ) {
    this.state = { kind: 'idle', active: initial };
  }

  /** Bring the system to `initial` (boot or restart) and start serving. A failure is reported, not fatal. */
  static async start(d: ControllerDeps, initial: ActiveConfig, note?: string): Promise<Controller> {
    const c = new Controller(d, initial);
    const stale = await d.store.loadPending();
    await c.applyWhatCan(initial, 'at start');
    if (stale !== null) {
      d.log.warn({ pending: stale.generation, saved: initial.generation }, 'a change was waiting for confirmation when nicd stopped: it is rolled back');
      c.lastResult = `generation ${stale.generation} was not confirmed before nicd stopped: rolled back to generation ${initial.generation}; ${c.lastResult}`;
      await d.store.savePending(null);
    }
    if (note !== undefined) c.lastResult = `${note}; ${c.lastResult}`;
    return c;
  }

  /** A link appeared: if the active config was waiting for it, apply the config again (serialized). */
  linkAppeared(name: string): void {
    if (!this.waitingFor.includes(name)) return;
    this.serial(async () => {
      if (this.state.kind !== 'idle' || !this.waitingFor.includes(name)) return;
      await this.applyWhatCan(this.state.active, `when ${name} appeared`);
      this.d.onChange();
    }).catch((err: unknown) => this.d.log.error({ err }, 'applying the configuration after a link appeared failed'));
  }

  /**
   * Boot (and hot-plug) apply: all of the config if possible, else all but
   * the interfaces that are missing or that this kernel cannot build, and
   * those follow when they appear. Never throws: the result is reported.
   */
  private async applyWhatCan(active: ActiveConfig, when: string): Promise<void> {
    const what = `generation ${active.generation} (${active.source === 'file' ? 'saved file' : 'factory default'})`;
    try {
      this.lastSteps = (await this.d.reconciler.apply(active.desired, { restoreTo: null })).steps;
      this.waitingFor = [];
      return this.report(`${what} applied ${when} (${this.lastSteps.length} changes)`);
    } catch (err) {
      const problems = (isAppError(err) ? (err.details.problems as ProbeProblem[] | undefined) : undefined) ?? [];
      if (problems.length === 0) return this.report(`${what} could not be applied ${when}: ${errorMessage(err)}`, 'error');
      const reduced = withoutBlocked(active.desired, problems);
      try {
        this.lastSteps = (await this.d.reconciler.apply(reduced.desired, { restoreTo: null })).steps;
        this.waitingFor = [...new Set([...reduced.skipped, ...problems.flatMap((p) => p.links)])];
        const skipped = reduced.skipped.length > 0 ? ` without ${reduced.skipped.join(', ')}` : '';
        this.report(`${what} applied ${when}${skipped} (${this.lastSteps.length} changes): ${problems.map((p) => p.message).join('; ')}`, 'warn');
      } catch (err2) {
        this.report(`${what} could not be applied ${when}: ${errorMessage(err2)}`, 'error');
      }
    }
  }

  status(): ControllerStatus {
    const s = this.state;
    const pending = s.kind === 'pending' ? s : null;
    return {
      state: s.kind,
      generation: s.active.generation,
      source: s.active.source,
      configFile: this.d.configFile.path,
      pendingGeneration: s.kind === 'idle' ? 0 : s.candidate.generation,
      pendingUntilWallMs: pending === null ? 0 : Math.round(this.d.clock.wallNow() + pending.deadline - this.d.clock.now()),
      lastResult: this.lastResult,
    };
  }

  /** The confirmed configuration (what the saved file holds, or the factory default). */
  activeConfig(): ActiveConfig {
    return this.state.active;
  }

  /** Validate, probe and plan; change nothing. */
  plan(text: string, origin: string): Promise<string[]> {
    return this.serial(async () => {
      const { config } = parseNetworkConfig(text, origin);
      return (await this.d.reconciler.preview(desiredFromConfig(config))).map(describeStep);
    });
  }

  /**
   * Apply a config; with timeoutSec > 0 it rolls back unless confirmed in time.
   * `fromFile`: the text was just read from the config file (SIGHUP).
   */
  apply(text: string, timeoutSec: number, origin: string, fromFile = false): Promise<ApplyReply> {
    return this.serial(async () => {
      const { config } = parseNetworkConfig(text, origin);
      const s = this.state;
      if (s.kind !== 'idle') {
        await this.dispatch({ type: 'ApplyRequested', candidate: s.active, timeoutMs: 0 });
        throw new AppError('INTERNAL', 'apply while not idle was not rejected');
      }
      const active = s.active;
      if (config.generation !== null && config.generation !== active.generation) {
        throw new AppError('GENERATION_CONFLICT', `the config was based on generation ${config.generation}, but generation ${active.generation} is in force now: fetch it again (nicctl config) and redo the change`);
      }
      if (withoutGeneration(text) === withoutGeneration(active.text)) return this.reapply(active);
      const generation = await this.d.store.nextGeneration(active.generation + 1);
      const candidate: ActiveConfig = { generation, text: withGeneration(text, generation), config, desired: desiredFromConfig(config), source: 'file', ...(fromFile ? { readFromFile: text } : {}) };
      await this.dispatch({ type: 'ApplyRequested', candidate, timeoutMs: Math.round(timeoutSec * 1000) });
      const st = this.status();
      return { generation, steps: this.lastSteps.map(describeStep), pending: st.state === 'pending', pendingUntilWallMs: st.pendingUntilWallMs };
    });
  }

  confirm(): Promise<number> {
    return this.serial(async () => {
      await this.dispatch({ type: 'ConfirmRequested' });
      return this.state.active.generation;
    });
  }

  rollback(): Promise<number> {
    return this.serial(async () => {
      await this.dispatch({ type: 'RollbackRequested' });
      return this.state.active.generation;
    });
  }

  /** Resolves when the queued work (e.g. a rollback the deadline started) is done. */
  async settled(): Promise<void> {
    await this.queue;
  }

  stop(): void {
    this.cancelTimer?.();
    this.cancelTimer = null;
  }

  /** The same config again: heal drift, keep the generation, nothing to confirm. */
  private async reapply(active: ActiveConfig): Promise<ApplyReply> {
    const r = await this.d.reconciler.apply(active.desired, { restoreTo: active.desired });
    this.lastSteps = r.steps;
    this.report(`generation ${active.generation} re-applied (${r.steps.length} changes)`);
    return { generation: active.generation, steps: r.steps.map(describeStep), pending: false, pendingUntilWallMs: 0 };
  }

  private serial<T>(fn: () => Promise<T>): Promise<T> {
    const run = this.queue.then(fn, fn);
    this.queue = run.catch(() => undefined);
    return run;
  }

  private async dispatch(e: SafeApplyEvent<ActiveConfig>): Promise<void> {
    const [next, effects] = stepSafeApply(this.state, e);
    const changed = next !== this.state;
    this.state = next;
    if (changed) this.d.onChange(); // e.g. `applying` is visible while it lasts
    for (const effect of effects) await this.run(effect);
    this.d.onChange();
  }

  private async run(effect: SafeApplyEffect<ActiveConfig>): Promise<void> {
    switch (effect.type) {
      case 'Reject':
        throw new AppError(effect.code, effect.message);
      case 'Reconcile':
        return this.reconcile(effect.to, effect.undoing);
      case 'SaveConfig':
        await this.saveConfig(effect.config);
        await this.d.store.savePending(null);
        return;
      case 'ArmTimer':
        return this.arm(effect.at);
      case 'CancelTimer':
        this.cancelTimer?.();
        this.cancelTimer = null;
        return;
      case 'Report':
        return this.reportOutcome(effect);
    }
  }

  private async saveConfig(c: ActiveConfig): Promise<void> {
    // The check sits right before the rename (writeFileAtomic's stillWanted): an edit made while
    // the configuration was being applied is kept, not replaced by the stamped copy.
    if (!(await this.d.configFile.write(c.text, c.readFromFile))) {
      this.d.log.warn({ generation: c.generation, file: this.d.configFile.path }, 'the config file changed while it was being applied: left as it is now (not stamped with the generation); send SIGHUP again to apply it');
    }
  }

  private async reconcile(to: ActiveConfig, undoing: ActiveConfig | null): Promise<void> {
    const previous = this.state.active;
    try {
      const r = undoing === null
        ? await this.d.reconciler.apply(to.desired, { restoreTo: previous.desired })
        : await this.d.reconciler.apply(undoTarget(to.desired, undoing), { restoreTo: null, ...(undoing.foreign ? { protect: undoing.foreign } : {}) });
      this.lastSteps = r.steps;
      if (undoing === null) {
        to.foreign = foreignIn(r.liveBefore, r.ownedBefore);
        to.filesBefore = filesOf(r.liveBefore);
      }
    } catch (err) {
      this.lastSteps = [];
      await this.dispatch({ type: 'ReconcileFailed', error: errorMessage(err) });
      throw err;
    }
    await this.dispatch({ type: 'ReconcileSucceeded', now: this.d.clock.now() });
  }

  private async arm(at: number): Promise<void> {
    this.startTimer(at);
    const s = this.state;
    if (s.kind === 'pending') await this.d.store.savePending({ generation: s.candidate.generation, previousGeneration: s.active.generation, untilWallMs: this.status().pendingUntilWallMs });
  }

  /**
   * Node's timers run on the event loop's millisecond clock and may fire a
   * fraction of a millisecond before the monotonic clock reaches `at`; the
   * machine rightly ignores an early deadline, so re-arm for what is left.
   */
  private startTimer(at: number): void {
    this.cancelTimer?.();
    this.cancelTimer = this.d.clock.setTimer(at - this.d.clock.now(), () => {
      this.cancelTimer = null;
      if (this.d.clock.now() < at) return this.startTimer(at);
      this.serial(() => this.dispatch({ type: 'DeadlinePassed', now: this.d.clock.now() })).catch((err: unknown) => this.d.log.error({ err }, 'rollback after the deadline failed'));
    });
  }

  private async reportOutcome(e: Extract<SafeApplyEffect<ActiveConfig>, { type: 'Report' }>): Promise<void> {
    const g = e.config.generation;
    const n = this.lastSteps.length;
    switch (e.outcome) {
      case 'applied':
        return this.report(`generation ${g} applied and saved (${n} changes)`);
      case 'pending':
        return this.report(`generation ${g} applied (${n} changes); ${e.detail}`);
      case 'confirmed':
        return this.report(`generation ${g} confirmed and saved`);
      case 'failed':
        return this.report(`generation ${g} refused: ${e.detail}`, 'warn');
      case 'rolled-back':
        await this.d.store.savePending(null);
        return this.report(`generation ${g} rolled back (${e.detail}): generation ${this.state.active.generation} restored (${n} changes)`, 'warn');
      case 'rollback-failed':
        await this.d.store.savePending(null);
        return this.report(`generation ${g} rolled back with errors (${e.detail})`, 'error');
    }
  }

  private report(text: string, level: 'info' | 'warn' | 'error' = 'info'): void {
    this.lastResult = text;
    this.d.log[level]({ state: this.state.kind, generation: this.state.active.generation }, text);
  }
}

const filesOf = (live: LiveState): NonNullable<ActiveConfig['filesBefore']> => ({ resolvConf: live.resolvConf, hostname: live.hostname.kernel });

/** What a rollback restores: the active config, plus what the candidate set in files the active config does not manage. */
function undoTarget(active: DesiredState, undoing: ActiveConfig): DesiredState {
  const before = undoing.filesBefore;
  if (before === undefined) return active;
  const restore = <T>(mine: T | null, theirs: T | null, was: T | null): T | null => mine ?? (theirs === null ? null : was);
  return { ...active, resolvConf: restore(active.resolvConf, undoing.desired.resolvConf, before.resolvConf), hostname: restore(active.hostname, undoing.desired.hostname, before.hostname) };
}
