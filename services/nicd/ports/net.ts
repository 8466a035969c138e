/**
 * The reconciler's view of the machine: read the live state, run one step,
 * ask what the kernel supports. adapters/linux-net.ts implements it with
 * iproute2 and files; ports/fake-net.ts is the strict in-memory double the
 * unit tests use (same contract: a step that cannot work throws).
 */
import type { LiveState, Step } from '../core/model';
import type { KernelSupport } from '../core/probe';

export interface NetSystem {
  readLive(): Promise<LiveState>;
  /** Carry out one step; throws AppError (IP_COMMAND_FAILED, FILE_WRITE_FAILED...) when it fails. */
  execute(step: Step): Promise<void>;
  kernelSupport(needs: { vlan: boolean; bond: boolean }): Promise<KernelSupport>;
}
