/**
 * The state directory (default /var/lib/lbos/nicd) and the saved config file,
 * every write tmp -> fsync -> rename -> fsync dir (runtime/atomic-file.ts):
 *   owned.json   what nicd added and may remove (addresses, routes, links)
 *   generation   the highest config generation handed out
 *   pending.json the change waiting for confirmation, if any
 * A damaged owned.json is read as empty: nicd then removes nothing it did
 * not re-add, which is the safe side.
 */
import { mkdir, rm } from 'node:fs/promises';
import * as path from 'node:path';
import { writeFileAtomic } from '../../runtime/atomic-file';
import { EMPTY_OWNED, type Owned } from '../core/model';
import type { ConfigFileStore, PendingMarker, StateStore } from '../ports/store';
import { readOptional } from './system-files';

const isStringArray = (v: unknown): v is string[] => Array.isArray(v) && v.every((x) => typeof x === 'string');

export function decodeOwned(text: string | null): Owned {
  if (text === null) return EMPTY_OWNED;
  try {
    const o = JSON.parse(text) as Partial<Record<keyof Owned, unknown>>;
    return {
      addresses: isStringArray(o.addresses) ? o.addresses : [],
      routes: isStringArray(o.routes) ? o.routes : [],
      links: isStringArray(o.links) ? o.links : [],
    };
  } catch {
    return EMPTY_OWNED;
  }
}

export async function openStateDir(dir: string): Promise<StateStore> {
  await mkdir(dir, { recursive: true, mode: 0o755 });
  const file = (name: string): string => path.join(dir, name);
  return {
    loadOwned: async () => decodeOwned(await readOptional(file('owned.json'))),
    saveOwned: async (owned) => void (await writeFileAtomic(file('owned.json'), `${JSON.stringify(owned, null, 1)}\n`)),
    nextGeneration: async (atLeast) => {
      const text = (await readOptional(file('generation'))) ?? '';
      const stored = /^\d+\s*$/.test(text) ? Number(text) : 0;
      const next = Math.min(Math.max(stored + 1, atLeast), 0xffffffff);
      await writeFileAtomic(file('generation'), `${next}\n`);
      return next;
    },
    loadPending: async () => {
      const text = await readOptional(file('pending.json'));
      if (text === null) return null;
      try {
        const p = JSON.parse(text) as PendingMarker;
        return typeof p.generation === 'number' ? p : null;
      } catch {
        return null;
      }
    },
    savePending: async (marker) => {
      if (marker === null) await rm(file('pending.json'), { force: true });
      else await writeFileAtomic(file('pending.json'), `${JSON.stringify(marker)}\n`);
    },
  };
}

export function configFileStore(configPath: string): ConfigFileStore {
  return {
    path: configPath,
    read: () => readOptional(configPath),
    write: async (text, ifStill) => {
      await mkdir(path.dirname(configPath), { recursive: true });
      const stillWanted = ifStill === undefined ? undefined : async (): Promise<boolean> => (await readOptional(configPath)) === ifStill;
      return writeFileAtomic(configPath, text, { mode: 0o644, stillWanted });
    },
  };
}
