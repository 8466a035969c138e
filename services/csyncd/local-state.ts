/**
 * This unit's side of every service: versions (bumped when the running
 * files changed), running/saved/synced hashes, the `status` reply the peer
 * reads, and the local Save.
 */
import type { Logger } from '../runtime/log';
import type { CsyncdSettings, Registry, ServiceDef } from './config/types';
import type { ServiceReport, StatusReply } from './core/protocol';
import { observeLocal, type ServiceMeta } from './core/version';
import type { AuditLog } from './adapters/audit-log';
import type { MetaStore } from './adapters/meta-store';
import type { Mutex } from './adapters/mutex';
import type { SavedStore } from './adapters/saved-store';
import type { ServiceFiles } from './adapters/service-files';

export interface LocalStateDeps {
  settings: () => CsyncdSettings;
  registry: () => Registry;
  files: ServiceFiles;
  meta: MetaStore;
  saved: SavedStore;
  audit: AuditLog;
  lock: Mutex;
  log: Logger;
  /** Journals startup recovery could not resolve. */
  stuck: () => string[];
}

export class LocalState {
  constructor(private readonly d: LocalStateDeps) {}

  /** Facts of one service; a changed content hash becomes a new local version. */
  report(def: ServiceDef): Promise<ServiceReport> {
    return this.d.lock.run(async () => {
      const { hash } = await this.d.files.digest(def);
      const meta = await this.observe(def.name, hash);
      return { name: def.name, version: meta.version, sha256: hash, saved: await this.d.saved.savedHash(def.name), synced: meta.synced?.sha256 ?? null };
    });
  }

  /** The reply to `status --json`. A service whose files cannot be read safely is left out (and logged). */
  async statusReply(): Promise<StatusReply> {
    const services: ServiceReport[] = [];
    for (const def of this.d.registry().services) {
      try {
        services.push(await this.report(def));
      } catch (err) {
        this.d.log.warn({ err, service: def.name }, 'cannot read the service files');
      }
    }
    return { v: 1, node: this.d.settings().localNode, services, stuck: this.d.stuck() };
  }

  /** Fold the current hash into the metadata (caller holds the lock). */
  async observe(service: string, hash: string): Promise<ServiceMeta> {
    const r = observeLocal(await this.d.meta.get(service), hash, this.d.settings().localNode);
    if (r.changed) {
      await this.d.meta.put(service, r.meta);
      this.d.log.info({ service, version: r.meta.version }, 'local change: new version');
    }
    return r.meta;
  }

  /** Both units have the same content: remember it as synced (if it still is). */
  recordSynced(service: string, sha256: string): Promise<void> {
    return this.d.lock.run(async () => {
      const meta = await this.d.meta.get(service);
      if (meta === null || meta.version.sha256 !== sha256 || meta.synced?.sha256 === sha256) return;
      await this.d.meta.put(service, { ...meta, synced: meta.version });
    });
  }

  /** Persist the running files of every service (ALOHA's Save). */
  async save(who: string): Promise<{ name: string; sha256: string }[]> {
    const out: { name: string; sha256: string }[] = [];
    for (const def of this.d.registry().services) {
      const hash = await this.d.lock.run(async () => {
        const snap = await this.d.files.snapshot(def);
        const before = await this.d.saved.savedHash(def.name);
        await this.d.saved.save(def.name, snap.files, snap.hash, new Date());
        if (before !== snap.hash) await this.d.audit.append({ op: 'save', who, service: def.name, from: before, to: snap.hash, result: 'ok' });
        return snap.hash;
      });
      out.push({ name: def.name, sha256: hash });
    }
    return out;
  }
}
