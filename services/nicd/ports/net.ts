/**
 * The reconciler's view of the machine: read the live state, carry out
 * steps in order, ask what the kernel supports. adapters/linux-net.ts implements it with
 * iproute2 and files; ports/fake-net.ts is the strict in-memory double the
 * unit tests use (same contract: a step that cannot work throws).
 */
import type { LiveState, Step } from '../core/model';
import type { KernelSupport } from '../core/probe';

export interface NetSystem {
  readLive(): Promise<LiveState>;
  /**
   * Carry out the steps in order, calling onDone(i) after each one (done now
   * or found already done). At the first step that fails it stops and throws
   * StepFailed (its index, and an AppError: IP_COMMAND_FAILED,
   * FILE_WRITE_FAILED...); the steps after it have not run.
   */
  run(steps: readonly Step[], onDone: (index: number) => void): Promise<void>;
  kernelSupport(needs: { vlan: boolean; bond: boolean }): Promise<KernelSupport>;
}

/** What NetSystem.run throws: the step at `index` failed with `error`; those before it were carried out. */
export class StepFailed extends Error {
  constructor(
    readonly index: number,
    readonly error: unknown,
  ) {
    super(error instanceof Error ? error.message : String(error), { cause: error });
    this.name = 'StepFailed';
  }
}
