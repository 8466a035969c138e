/**
 * What the page's buttons act on: systemd units (RestartUnit) and hbd
 * (Standby/Takeover). Adapters: adapters/systemd-source.ts and
 * adapters/hbd-control.ts; fakes below record calls.
 */

/** restart-pair: hbd's RestartPair (the reference "Restart Heartbeat": the peer first, then this unit). */
export type FailoverKind = 'standby' | 'takeover' | 'restart-pair';

export interface UnitControl {
  /** Ask systemd to restart a unit; resolves when the job is queued. */
  restart(unit: string): Promise<void>;
}

export interface FailoverControl {
  request(kind: FailoverKind): Promise<void>;
}

/** Records restarts; `fail` makes the next call throw it. */
export class FakeUnitControl implements UnitControl {
  readonly restarted: string[] = [];
  fail: Error | null = null;

  async restart(unit: string): Promise<void> {
    if (this.fail !== null) throw this.fail;
    this.restarted.push(unit);
  }
}

export class FakeFailoverControl implements FailoverControl {
  readonly requests: FailoverKind[] = [];

  async request(kind: FailoverKind): Promise<void> {
    this.requests.push(kind);
  }
}

/** paird's methods the pairing routes forward (services/paird/README.md): JSON in, JSON out. */
export type PairMember = 'Offer' | 'Probe' | 'Pair' | 'Prepare' | 'Commit' | 'State' | 'Unpair' | 'Heartbeat' | 'SetHeartbeat';

export interface PairControl {
  call(member: PairMember, arg?: unknown): Promise<unknown>;
}

/** Records calls and answers from a table (tests without paird). */
export class FakePairControl implements PairControl {
  readonly calls: [PairMember, unknown][] = [];
  constructor(readonly answers: Partial<Record<PairMember, unknown>> = {}) {}

  async call(member: PairMember, arg?: unknown): Promise<unknown> {
    this.calls.push([member, arg]);
    return this.answers[member] ?? {};
  }
}

/** csyncd's Push and Save (the sync page): the result line csyncd gives. */
export interface SyncControl {
  push(service: string): Promise<string>;
  save(remote: boolean): Promise<string>;
}

export class FakeSyncControl implements SyncControl {
  readonly calls: string[] = [];

  async push(service: string): Promise<string> {
    this.calls.push(`push ${service}`);
    return `${service}: pushed`;
  }

  async save(remote: boolean): Promise<string> {
    this.calls.push(`save ${remote}`);
    return 'saved';
  }
}
