/**
 * What the hw-test rig makes beyond the simulation kit's record (namespaces,
 * processes, a directory): loop devices for the simulated disks. Written to
 * /run/lbos-hwtest/<id>.json before they are made, removed by teardown, by
 * an exit handler, or by the next run when the owner is dead. A loop device
 * is only detached when its backing file lies in the recorded directory.
 */
import { mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { isAlive, runSync, tryRunSync } from '../../scripts/sim/exec';

export const EXTRAS_DIR = '/run/lbos-hwtest';

export interface ExtrasRecord {
  id: string;
  ownerPid: number;
  /** Loop devices whose backing file is under this directory belong to the rig. */
  dir: string;
}

export function saveExtras(r: ExtrasRecord): void {
  mkdirSync(EXTRAS_DIR, { recursive: true });
  const file = path.join(EXTRAS_DIR, `${r.id}.json`);
  writeFileSync(`${file}.tmp`, JSON.stringify(r));
  renameSync(`${file}.tmp`, file);
}

/** Loop devices backed by a file under `dir` (also after the file was deleted). */
export function loopsUnder(dir: string): string[] {
  let list: { loopdevices?: { name: string; 'back-file': string | null }[] };
  try {
    list = JSON.parse(runSync('losetup', ['-J', '-l'])) as typeof list;
  } catch {
    return [];
  }
  const prefix = dir.endsWith('/') ? dir : `${dir}/`;
  return (list.loopdevices ?? []).filter((l) => (l['back-file'] ?? '').startsWith(prefix)).map((l) => l.name);
}

/** Synchronous: usable from exit handlers. */
export function destroyExtras(r: ExtrasRecord): void {
  for (const dev of loopsUnder(r.dir)) tryRunSync('losetup', ['-d', dev]);
  rmSync(path.join(EXTRAS_DIR, `${r.id}.json`), { force: true });
}

/** Removes what dead hw-test rigs left; returns how many records were cleaned. */
export function cleanExtrasLeftovers(): number {
  let names: string[] = [];
  try {
    names = readdirSync(EXTRAS_DIR).filter((n) => n.endsWith('.json'));
  } catch {
    return 0;
  }
  let cleaned = 0;
  for (const n of names) {
    try {
      const r = JSON.parse(readFileSync(path.join(EXTRAS_DIR, n), 'utf8')) as ExtrasRecord;
      if (isAlive(r.ownerPid)) continue;
      destroyExtras(r);
      cleaned++;
    } catch {
      rmSync(path.join(EXTRAS_DIR, n), { force: true });
    }
  }
  return cleaned;
}
