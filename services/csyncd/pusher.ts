/**
 * Pushing a service to the peer: snapshot the files (safely, under the
 * lock), frame them, stream them over the kept-open SSH connection (no lock
 * held while waiting), and record the sync when the peer applied it.
 */
import { performance } from 'node:perf_hooks';
import { AppError } from '../runtime/errors';
import type { Logger } from '../runtime/log';
import { findService, type CsyncdSettings, type Registry } from './config/types';
import { encodeHeader, END_MARKER, type PushHeader } from './core/push-frame';
import { parseOpReply, pushResultOf } from './core/protocol';
import { versionLabel, type Version } from './core/version';
import type { AuditLog } from './adapters/audit-log';
import type { MetaStore } from './adapters/meta-store';
import type { Mutex } from './adapters/mutex';
import type { ServiceFiles } from './adapters/service-files';
import type { LocalState } from './local-state';
import type { PeerLink } from './ports/peer';

export interface PushOutcome {
  service: string;
  ok: boolean;
  result?: 'applied' | 'unchanged';
  version?: Version;
  code?: string;
  message: string;
  ms: number;
}

export interface PusherDeps {
  settings: () => CsyncdSettings;
  registry: () => Registry;
  files: ServiceFiles;
  meta: MetaStore;
  local: LocalState;
  lock: Mutex;
  peer: PeerLink;
  audit: AuditLog;
  log: Logger;
  changed: () => void;
}

const CHUNK = 1 << 20;

export class Pusher {
  constructor(private readonly d: PusherDeps) {}

  /** Push one service; throws AppError with the peer's code (CONFLICT, VALIDATE_FAILED, ...). */
  async push(service: string, force: boolean, who: string): Promise<PushOutcome> {
    const t0 = performance.now();
    const def = findService(this.d.registry(), service);
    if (def === undefined) throw new AppError('UNKNOWN_SERVICE', `no service ${service} in services.conf (known: ${this.d.registry().services.map((s) => s.name).join(', ') || 'none'})`);
    const { header, contents } = await this.d.lock.run(async () => {
      const snap = await this.d.files.snapshot(def);
      const missing = snap.files.filter((f) => f.content === null).map((f) => f.path);
      if (missing.length > 0) throw new AppError('FILE_MISSING', `${service}: ${missing.join(', ')} missing on this unit; a push carries every file of the service`);
      const meta = await this.d.local.observe(service, snap.hash);
      const h: PushHeader = { v: 1, service, from: this.d.settings().localNode, version: meta.version, expect: meta.synced, force, files: snap.files.map((f) => ({ path: f.path, size: f.content?.length ?? 0, sha256: f.sha256 ?? '' })) };
      return { header: h, contents: snap.files.map((f) => f.content ?? Buffer.alloc(0)) };
    });
    const snapshotMs = Math.round(performance.now() - t0);
    const total = contents.reduce((n, c) => n + c.length, 0);
    const timeoutMs = 30_000 + 3 * def.timeoutMs + Math.ceil(total / 1024);
    const r = await this.d.peer.exec(`push ${service}`, {
      timeoutMs,
      input: async (sink) => {
        await sink.write(encodeHeader(header));
        for (const c of contents) for (let o = 0; o < c.length; o += CHUNK) await sink.write(c.subarray(o, o + CHUNK));
        await sink.write(END_MARKER);
      },
    });
    const execMs = Math.round(performance.now() - t0) - snapshotMs;
    const reply = parseOpReply(r.stdout);
    const audit = { op: 'push-out' as const, who, service, to: header.version.sha256, force };
    if (!reply.ok) {
      await this.d.audit.append({ ...audit, result: reply.code === 'PROTOCOL_ERROR' ? 'failed' : 'refused', code: reply.code, message: reply.message });
      this.d.changed();
      throw new AppError(reply.code, reply.code === 'PROTOCOL_ERROR' ? `${reply.message} ${r.stderr}`.trim() : reply.message);
    }
    const res = pushResultOf(reply);
    if (res === null) throw new AppError('PROTOCOL_ERROR', 'the peer answered the push with an unexpected reply');
    const ms = performance.now() - t0;
    const record = this.d.lock.run(async () => {
      const meta = await this.d.meta.get(service);
      if (meta !== null && meta.version.sha256 === res.version.sha256) await this.d.meta.put(service, { version: res.version, synced: res.version });
    });
    await Promise.all([record, this.d.audit.append({ ...audit, result: res.result === 'applied' ? 'ok' : 'unchanged', version: versionLabel(res.version), ms: Math.round(ms) })]);
    this.d.log.info({ service, result: res.result, version: versionLabel(res.version), ms: Math.round(ms), snapshotMs, execMs, bytes: total }, 'pushed');
    this.d.changed();
    const how = res.result === 'unchanged' ? 'already identical on the peer' : 'pushed, validated and applied on the peer';
    return { service, ok: true, result: res.result, version: res.version, message: `${service}: ${how} (${versionLabel(res.version)}, ${formatBytes(total)}, ${Math.round(ms)} ms)`, ms };
  }

  /** Push every service; one failure does not stop the others. */
  async pushAll(force: boolean, who: string): Promise<PushOutcome[]> {
    const out: PushOutcome[] = [];
    for (const def of this.d.registry().services) {
      const t0 = performance.now();
      try {
        out.push(await this.push(def.name, force, who));
      } catch (err) {
        const e = err instanceof AppError ? err : new AppError('INTERNAL', String(err));
        out.push({ service: def.name, ok: false, code: e.code, message: e.message, ms: performance.now() - t0 });
      }
    }
    return out;
  }

  /** Ask the peer to save its running configuration. */
  async saveRemote(who: string): Promise<{ name: string; sha256: string }[]> {
    const r = await this.d.peer.exec('save', { timeoutMs: 120_000 });
    const reply = parseOpReply(r.stdout);
    await this.d.audit.append({ op: 'save-remote', who, result: reply.ok ? 'ok' : 'failed', code: reply.ok ? undefined : reply.code, message: reply.ok ? undefined : reply.message });
    this.d.changed();
    if (!reply.ok) throw new AppError(reply.code, reply.message);
    const saved = (reply as { saved?: unknown }).saved;
    return Array.isArray(saved) ? (saved as { name: string; sha256: string }[]) : [];
  }
}

export function formatBytes(n: number): string {
  if (n >= 1 << 20) return `${(n / (1 << 20)).toFixed(1)} MiB`;
  if (n >= 1024) return `${(n / 1024).toFixed(1)} KiB`;
  return `${n} B`;
}
