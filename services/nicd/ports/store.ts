/**
 * What nicd keeps on disk: the owned-objects record, the generation counter
 * and the pending-change marker (state dir), and the saved network.conf.
 * adapters/state-dir.ts writes them atomically; MemoryStore is for tests.
 */
import { EMPTY_OWNED, type Owned } from '../core/model';

/** Written while a change waits for confirmation; read at start to explain a rollback by restart. */
export interface PendingMarker {
  generation: number;
  previousGeneration: number;
  untilWallMs: number;
}

export interface StateStore {
  loadOwned(): Promise<Owned>;
  saveOwned(owned: Owned): Promise<void>;
  /** A generation above every one handed out before and at least `atLeast`; persisted before it is returned. */
  nextGeneration(atLeast: number): Promise<number>;
  loadPending(): Promise<PendingMarker | null>;
  savePending(marker: PendingMarker | null): Promise<void>;
}

/** The saved network.conf. */
export interface ConfigFileStore {
  readonly path: string;
  /** null when there is no file (factory default). */
  read(): Promise<string | null>;
  /** Replace the file; with `ifStill`, only if it still holds that text (null: no file). Returns whether it was written. */
  write(text: string, ifStill?: string | null): Promise<boolean>;
}

export class MemoryStore implements StateStore, ConfigFileStore {
  owned: Owned = EMPTY_OWNED;
  generation = 0;
  pending: PendingMarker | null = null;
  file: string | null = null;
  readonly path = '/etc/lbos/network.conf';

  loadOwned(): Promise<Owned> {
    return Promise.resolve(structuredClone(this.owned));
  }
  saveOwned(owned: Owned): Promise<void> {
    this.owned = structuredClone(owned);
    return Promise.resolve();
  }
  nextGeneration(atLeast: number): Promise<number> {
    this.generation = Math.max(this.generation + 1, atLeast);
    return Promise.resolve(this.generation);
  }
  loadPending(): Promise<PendingMarker | null> {
    return Promise.resolve(this.pending);
  }
  savePending(marker: PendingMarker | null): Promise<void> {
    this.pending = marker;
    return Promise.resolve();
  }
  read(): Promise<string | null> {
    return Promise.resolve(this.file);
  }
  write(text: string, ifStill?: string | null): Promise<boolean> {
    if (ifStill !== undefined && this.file !== ifStill) return Promise.resolve(false);
    this.file = text;
    return Promise.resolve(true);
  }
}
