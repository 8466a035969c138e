/**
 * Per-service sync metadata (version, last synced hash) in
 * state_dir/meta/<service>.json, written atomically.
 */
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { writeFileAtomic } from '../../runtime/atomic-file';
import type { Logger } from '../../runtime/log';
import { isVersion, type ServiceMeta } from '../core/version';

export class MetaStore {
  constructor(private readonly dir: string, private readonly log: Logger) {}

  async init(): Promise<void> {
    await fs.mkdir(this.dir, { recursive: true, mode: 0o700 });
  }

  async get(service: string): Promise<ServiceMeta | null> {
    let text: string;
    try {
      text = await fs.readFile(this.file(service), 'utf8');
    } catch {
      return null;
    }
    try {
      const v = JSON.parse(text) as Record<string, unknown>;
      if (isVersion(v.version) && (v.synced === null || isVersion(v.synced))) return { version: v.version, synced: v.synced };
    } catch {
      // fall through
    }
    this.log.warn({ service, file: this.file(service) }, 'sync metadata unreadable; starting over (the next sync records it again)');
    return null;
  }

  async put(service: string, meta: ServiceMeta): Promise<void> {
    await writeFileAtomic(this.file(service), `${JSON.stringify(meta)}\n`, { mode: 0o600 });
  }

  private file(service: string): string {
    return path.join(this.dir, `${service}.json`);
  }
}
