/** The controller's vocabulary: configurations, clock, dependencies, status. */
import type { Logger } from '../runtime/log';
import type { NetConfig } from '../runtime/netconf/types';
import type { DesiredState, Owned } from './core/model';
import type { SafeApplyState } from './core/safe-apply';
import type { Reconciler } from './reconciler';
import type { ConfigFileStore, StateStore } from './ports/store';

/** A configuration nicd runs or may run. */
export interface ActiveConfig {
  generation: number;
  /** As saved: the operator's text with `generation N` on top. */
  text: string;
  config: NetConfig;
  desired: DesiredState;
  source: 'file' | 'factory-default';
  /**
   * For a candidate read from the config file itself (SIGHUP): the file's text
   * as read. Saving it back with its generation stamp is skipped when the file
   * changed since, so an edit made while it was being applied is never lost.
   */
  readFromFile?: string;
  /** For a candidate: what was live and not ours before it was applied (its rollback leaves those). */
  foreign?: Owned;
  /** For a candidate: resolv.conf and hostname before it was applied (its rollback restores them). */
  filesBefore?: { resolvConf: string | null; hostname: string };
}

export interface Clock {
  /** Monotonic milliseconds. */
  now(): number;
  wallNow(): number;
  setTimer(ms: number, fn: () => void): () => void;
}

export const systemClock: Clock = {
  now: () => performance.now(),
  wallNow: () => Date.now(),
  setTimer: (ms, fn) => {
    const t = setTimeout(fn, Math.max(0, ms));
    return () => clearTimeout(t);
  },
};

export interface ControllerDeps {
  reconciler: Reconciler;
  configFile: ConfigFileStore;
  store: StateStore;
  clock: Clock;
  log: Logger;
  /** Called after every change of status(). */
  onChange(): void;
}

export interface ControllerStatus {
  state: SafeApplyState<ActiveConfig>['kind'];
  generation: number;
  source: ActiveConfig['source'];
  configFile: string;
  pendingGeneration: number;
  /** Wall clock ms of the rollback deadline; 0 when nothing is pending. */
  pendingUntilWallMs: number;
  lastResult: string;
}

export interface ApplyReply {
  generation: number;
  steps: string[];
  pending: boolean;
  pendingUntilWallMs: number;
}
