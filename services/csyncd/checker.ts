/**
 * The periodic check (every check_interval, and after every push, save or
 * file change): gather this unit's facts, ask the peer for `status --json`,
 * run the sync planner (core/sync-plan.ts: record syncs, auto-sync pushes,
 * conflict reports), compute the colour (core/status.ts) and publish.
 * Checks never overlap; requests during one collapse into one more.
 */
import { AppError, errorMessage } from '../runtime/errors';
import type { Logger } from '../runtime/log';
import type { CsyncdSettings } from './config/types';
import { parseStatusReply, type ServiceReport, type StatusReply } from './core/protocol';
import { serviceState, statusColour, type LinkFacts } from './core/status';
import { planSync, type PlanInput, type SyncStep } from './core/sync-plan';
import type { PeerLink } from './ports/peer';
import type { PushOutcome } from './pusher';
import type { StatusView } from './status-view';

export interface CheckerDeps {
  settings: () => CsyncdSettings;
  /** This unit's facts (LocalState). */
  local: { statusReply(): Promise<StatusReply>; recordSynced(service: string, sha256: string): Promise<void> };
  peer: PeerLink;
  /** Auto-sync pushes (Pusher). */
  pusher: { push(service: string, force: boolean, who: string): Promise<PushOutcome> };
  log: Logger;
  stuck: () => string[];
  publish: (v: StatusView) => void;
  now?: () => Date;
}

const STATUS_TIMEOUT_MS = 10_000;

export class Checker {
  private tail: Promise<unknown> = Promise.resolve();
  private next: Promise<StatusView> | null = null;
  private timer: NodeJS.Timeout | null = null;
  private lastView: StatusView;
  /** Auto-sync problems per service, shown in the status until the next clean check. */
  private readonly autoNotes = new Map<string, string>();
  private lastLinkError = '';

  constructor(private readonly d: CheckerDeps) {
    this.lastView = this.view({ link: null, local: [], peer: null });
  }

  get current(): StatusView {
    return this.lastView;
  }

  start(): void {
    const every = (): void => {
      this.timer = setTimeout(() => {
        this.check().then(every, every);
      }, this.d.settings().checkIntervalMs);
    };
    this.check().then(every, every);
  }

  stop(): void {
    if (this.timer !== null) clearTimeout(this.timer);
    this.timer = null;
  }

  /** Run a check (or join the one queued); resolves with the new view. */
  check(): Promise<StatusView> {
    if (this.next !== null) return this.next;
    const p = this.tail.then(() => {
      this.next = null;
      return this.run(true);
    });
    this.next = p;
    this.tail = p.catch(() => undefined);
    return p;
  }

  private async run(mayAct: boolean): Promise<StatusView> {
    const local = (await this.d.local.statusReply()).services;
    let link: LinkFacts;
    let peer: StatusReply | null = null;
    try {
      const r = await this.d.peer.exec('status --json', { timeoutMs: STATUS_TIMEOUT_MS });
      const parsed = parseStatusReply(r.stdout);
      if (parsed.ok) {
        peer = parsed.value;
        link = { ok: true };
      } else {
        link = { ok: false, code: 'PROTOCOL_ERROR', message: `${parsed.message} ${r.stderr}`.trim() };
      }
    } catch (err) {
      link = err instanceof AppError ? { ok: false, code: err.code, message: err.message } : { ok: false, code: 'INTERNAL', message: errorMessage(err) };
    }
    this.logLink(link);
    const inputs: PlanInput[] = local.map((l) => ({ name: l.name, local: l, peer: peerFacts(peer, l.name) }));
    const steps = planSync(inputs, this.d.settings().autoSync);
    if (mayAct && steps.length > 0 && (await this.execute(steps))) return this.run(false);
    this.lastView = this.view({ link, local, peer });
    this.d.publish(this.lastView);
    return this.lastView;
  }

  /** Run the planned steps; true when something changed (worth one re-check). */
  private async execute(steps: SyncStep[]): Promise<boolean> {
    let changed = false;
    for (const s of steps) {
      switch (s.type) {
        case 'RecordSynced':
          await this.d.local.recordSynced(s.service, s.sha256);
          this.autoNotes.delete(s.service);
          changed = true;
          break;
        case 'Push':
          try {
            const o = await this.d.pusher.push(s.service, false, 'auto-sync');
            this.d.log.info({ service: s.service }, `auto-sync: ${o.message}`);
            this.autoNotes.delete(s.service);
            changed = true;
          } catch (err) {
            const e = err instanceof AppError ? `${err.code}: ${err.message.split('\n')[0] ?? ''}` : errorMessage(err);
            this.d.log.warn({ service: s.service, err: e }, 'auto-sync push refused');
            this.autoNotes.set(s.service, `auto-sync push failed: ${e}`);
          }
          break;
        case 'ReportConflict':
          if (this.autoNotes.get(s.service) !== s.detail) this.d.log.warn({ service: s.service }, `auto-sync: ${s.detail}`);
          this.autoNotes.set(s.service, s.detail);
          break;
      }
    }
    return changed;
  }

  private logLink(link: LinkFacts): void {
    const key = link.ok ? '' : `${link.code}: ${link.message}`;
    if (key === this.lastLinkError) return;
    this.lastLinkError = key;
    if (link.ok) this.d.log.info('peer reachable, sync works');
    else this.d.log.error({ code: link.code }, `peer check failed: ${link.message}`);
  }

  private view(x: { link: LinkFacts | null; local: ServiceReport[]; peer: StatusReply | null }): StatusView {
    const s = this.d.settings();
    const services = x.local.map((l) => {
      const p = x.link?.ok === true ? peerFacts(x.peer, l.name) : null;
      const st = serviceState(l.name, l, p);
      const note = this.autoNotes.get(l.name);
      return { ...st, detail: note === undefined || st.state === 'in-sync' ? st.detail : `${st.detail}; ${note}`, local: l, peer: p === 'missing' ? null : p };
    });
    const stuck = [...this.d.stuck(), ...(x.peer?.stuck ?? []).map((r) => `peer: ${r}`)];
    const { colour, reason } = statusColour({ link: x.link, services, stuck });
    return {
      status: colour,
      reason,
      node: s.localNode,
      peerNode: s.remoteNode,
      listen: `${s.localIp}:${s.port}`,
      peer: `${s.remoteIp}:${s.port}`,
      reachable: x.link?.ok === true,
      linkError: x.link === null || x.link.ok ? null : { code: x.link.code, message: x.link.message },
      lastCheck: x.link === null ? null : (this.d.now?.() ?? new Date()).toISOString(),
      autoSync: s.autoSync,
      services,
      stuck,
    };
  }
}

function peerFacts(peer: StatusReply | null, name: string): ServiceReport | 'missing' | null {
  if (peer === null) return null;
  return peer.services.find((p) => p.name === name) ?? 'missing';
}
