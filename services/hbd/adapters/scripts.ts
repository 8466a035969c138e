/**
 * Heartbeat v1 resource scripts: `NAME::arg1::arg2` in haresources runs
 * `resource.d/NAME arg1 arg2 start|stop` from the config dir, else
 * /etc/ha.d/resource.d/NAME, else /etc/init.d/NAME (as Heartbeat does).
 */
import { execFile } from 'node:child_process';
import { access, constants, stat } from 'node:fs/promises';
import * as path from 'node:path';
import { AppError } from '../../runtime/errors';
import type { ScriptFacts, ScriptLookup } from '../config/resource-scripts';

const SCRIPT_TIMEOUT_MS = 60_000;

/** Where NAME is looked for, in order. */
export function scriptCandidates(name: string, configDir: string): string[] {
  const dirs = [path.join(configDir, 'resource.d'), '/etc/ha.d/resource.d', '/etc/init.d'];
  return [...new Set(dirs)].map((d) => path.join(d, name));
}

async function probe(file: string): Promise<ScriptFacts> {
  try {
    if (!(await stat(file)).isFile()) return 'missing';
  } catch {
    return 'missing';
  }
  try {
    await access(file, constants.X_OK);
    return 'executable';
  } catch {
    return 'not-executable';
  }
}

/** The real file system, for config/resource-scripts.ts. */
export const scriptLookup = (configDir: string): ScriptLookup => ({ candidates: (name) => scriptCandidates(name, configDir), probe });

export async function resolveScript(name: string, configDir: string): Promise<string> {
  const candidates = scriptCandidates(name, configDir);
  for (const c of candidates) {
    if ((await probe(c)) === 'executable') return c;
  }
  throw new AppError('RESOURCE_SCRIPT_MISSING', `resource script "${name}" not found (looked in ${candidates.join(', ')})`);
}

export function runScript(file: string, args: readonly string[], action: 'start' | 'stop'): Promise<void> {
  return new Promise((resolve, reject) => {
    execFile(file, [...args, action], { timeout: SCRIPT_TIMEOUT_MS }, (err, _out, stderr) => {
      if (err) reject(new AppError('RESOURCE_SCRIPT_FAILED', `${file} ${[...args, action].join(' ')}: ${stderr.trim() || err.message}`));
      else resolve();
    });
  });
}
