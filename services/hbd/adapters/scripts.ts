/**
 * Heartbeat v1 resource scripts: `NAME::arg1::arg2` in haresources runs
 * `resource.d/NAME arg1 arg2 start|stop` from the config dir, else
 * /etc/ha.d/resource.d/NAME, else /etc/init.d/NAME (as Heartbeat does).
 */
import { execFile } from 'node:child_process';
import { access, constants } from 'node:fs/promises';
import * as path from 'node:path';
import { AppError } from '../../runtime/errors';

const SCRIPT_TIMEOUT_MS = 60_000;

export async function resolveScript(name: string, configDir: string): Promise<string> {
  const candidates = [path.join(configDir, 'resource.d', name), path.join('/etc/ha.d/resource.d', name), path.join('/etc/init.d', name)];
  for (const c of candidates) {
    try {
      await access(c, constants.X_OK);
      return c;
    } catch {
      /* next */
    }
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
