/**
 * A source of state: it owns one subtree of the feed (its `key`) and
 * publishes into it whenever what it watches changes. Sources never throw
 * out of start(): a service that is absent is shown as absent.
 */
import type { Json } from '../core/json';

/** Put `value` at `path` in the feed (undefined removes it). */
export type Publish = (path: string[], value: Json | undefined) => void;

export interface StateSource {
  /** Top-level key it owns: hbd, nicd, csyncd, paneld, systemd, system. */
  readonly key: string;
  start(publish: Publish): Promise<void>;
  stop(): Promise<void>;
}

/** A source the test drives by hand. */
export class FakeSource implements StateSource {
  private out: Publish | null = null;

  constructor(readonly key: string, private readonly initial: Json | undefined = undefined) {}

  async start(publish: Publish): Promise<void> {
    this.out = publish;
    if (this.initial !== undefined) publish([this.key], this.initial);
  }

  async stop(): Promise<void> {
    this.out = null;
  }

  /** Publish below this source's key. */
  set(path: string[], value: Json | undefined): void {
    this.out?.([this.key, ...path], value);
  }
}
