/**
 * Read live -> probe -> plan -> execute, with the owned record kept in step.
 * Transactional as far as the kernel allows: every check that can refuse a
 * config (syntax, cross-checks, missing interfaces, kernel features, name
 * clashes, MTU limits) runs before the first change; if a step still fails,
 * the previous desired state is re-applied and the error says so.
 */
import type { Logger } from '../runtime/log';
import { AppError, errorMessage } from '../runtime/errors';
import { describeStep, type DesiredState, type LiveState, type Owned, type Step } from './core/model';
import { plan } from './core/plan';
import { featuresNeeded, probe } from './core/probe';
import { ownedAfterApply, ownedAfterStep, ownedIntent, without } from './core/owned';
import { StepFailed, type NetSystem } from './ports/net';
import type { StateStore } from './ports/store';

export interface ApplyOptions {
  /** Re-applied when a step fails, so a failed change leaves the previous state. */
  restoreTo: DesiredState | null;
  /** Objects that were live but not ours before the change being undone: never removed. */
  protect?: Owned;
}

export interface ApplyResult {
  steps: Step[];
  /** The live state the plan was made from (a pending change keeps it for its rollback). */
  liveBefore: LiveState;
  ownedBefore: Owned;
}

export class Reconciler {
  constructor(
    private readonly net: NetSystem,
    private readonly store: StateStore,
    private readonly log: Logger,
  ) {}

  /** Probe and plan without changing anything (nicctl apply --dry-run, D-Bus Plan). */
  async preview(desired: DesiredState): Promise<Step[]> {
    const live = await this.net.readLive();
    const owned = await this.store.loadOwned();
    await this.check(live, desired, owned);
    return plan(live, desired, owned);
  }

  async apply(desired: DesiredState, opts: ApplyOptions): Promise<ApplyResult> {
    const live = await this.net.readLive();
    const ownedBefore = await this.store.loadOwned();
    const owned = opts.protect === undefined ? ownedBefore : without(ownedBefore, opts.protect);
    await this.check(live, desired, owned);
    const steps = plan(live, desired, owned);
    let record = ownedIntent(owned, steps);
    await this.store.saveOwned(record);
    try {
      await this.net.run(steps, (i) => this.log.info({ step: describeStep(steps[i]!) }, 'changed'));
    } catch (err) {
      const failed = err instanceof StepFailed ? err : new StepFailed(0, err);
      const step = steps[failed.index]!;
      this.log.error({ err: failed.error, step: describeStep(step), done: failed.index }, 'step failed; restoring the previous configuration');
      const restored = await this.restore(record, opts.restoreTo);
      throw new AppError('APPLY_FAILED', `"${describeStep(step)}" failed: ${errorMessage(failed.error)}; ${restored}`, { step }, { cause: failed.error });
    }
    record = ownedAfterApply(owned, steps, desired);
    await this.store.saveOwned(record);
    return { steps, liveBefore: live, ownedBefore };
  }

  private async check(live: LiveState, desired: DesiredState, owned: Owned): Promise<void> {
    const kernel = await this.net.kernelSupport(featuresNeeded(live, desired));
    const problems = probe(live, desired, owned, kernel);
    const first = problems[0];
    if (first !== undefined) {
      throw new AppError(first.code, `${problems.map((p) => p.message).join('\n')}\nnothing was changed`, { problems });
    }
  }

  /** Best effort back to `to`; returns the sentence for the error message. */
  private async restore(record: Owned, to: DesiredState | null): Promise<string> {
    if (to === null) {
      await this.store.saveOwned(record);
      return 'nothing to restore';
    }
    let owned = record;
    const failures: string[] = [];
    try {
      const steps = plan(await this.net.readLive(), to, owned);
      // Best effort: past a failing step, the rest are still tried.
      let from = 0;
      while (from < steps.length) {
        const rest = steps.slice(from);
        try {
          await this.net.run(rest, (i) => {
            owned = ownedAfterStep(owned, rest[i]!);
          });
          from = steps.length;
        } catch (err) {
          const failed = err instanceof StepFailed ? err : new StepFailed(0, err);
          failures.push(`${describeStep(rest[failed.index]!)}: ${errorMessage(failed.error)}`);
          from += failed.index + 1;
        }
      }
      if (failures.length === 0) owned = ownedAfterApply(owned, [], to);
    } catch (err) {
      failures.push(errorMessage(err));
    }
    await this.store.saveOwned(owned);
    if (failures.length === 0) return 'the previous configuration was restored';
    this.log.error({ failures }, 'restoring the previous configuration failed too');
    return `restoring the previous configuration also failed (${failures.join('; ')})`;
  }
}
