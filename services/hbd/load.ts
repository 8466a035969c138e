/**
 * Loads /etc/ha.d (or -c DIR) the way Heartbeat does: ha.cf, haresources,
 * authkeys, all problems at once, and refuses an authkeys file that others
 * than root could read.
 */
import { readFile, stat } from 'node:fs/promises';
import * as os from 'node:os';
import * as path from 'node:path';
import { ConfigError, type ConfigProblem } from '../runtime/config/problems';
import type { LoadedConfig } from '../runtime/service';
import { parseHaCf, type HaCf } from './config/ha-cf';
import { parseHaresources, type Haresources } from './config/haresources';
import { parseAuthkeys, checkAuthkeysMode, type Authkeys } from './config/authkeys';

export const DEFAULT_CONFIG_DIR = '/etc/ha.d';

/** Everything hbd runs on. */
export interface HbdConfig {
  dir: string;
  haCf: HaCf;
  haresources: Haresources;
  auth: Authkeys;
}

export interface LoadOptions {
  dir: string;
  /** --node, else the hostname (Heartbeat uses uname -n). */
  node?: string;
  /** Skip the authkeys ownership check (unprivileged --check-config). */
  skipAuthkeysOwnership?: boolean;
}

async function readConfigFile(file: string): Promise<string> {
  try {
    return await readFile(file, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    const why = code === 'ENOENT' ? 'file not found' : code === 'EACCES' ? 'permission denied' : String(err);
    throw new ConfigError([{ file, message: why }]);
  }
}

/** Collect ConfigErrors of independent files so one run reports them all. */
async function collect<T>(problems: ConfigProblem[], fn: () => Promise<T>): Promise<T | undefined> {
  try {
    return await fn();
  } catch (err) {
    if (err instanceof ConfigError) {
      problems.push(...err.problems);
      return undefined;
    }
    throw err;
  }
}

export async function loadHbdConfig(opts: LoadOptions): Promise<LoadedConfig<HbdConfig>> {
  const node = (opts.node ?? os.hostname().split('.')[0] ?? '').toLowerCase();
  const files = { haCf: path.join(opts.dir, 'ha.cf'), res: path.join(opts.dir, 'haresources'), keys: path.join(opts.dir, 'authkeys') };
  const problems: ConfigProblem[] = [];
  const warnings: ConfigProblem[] = [];
  const haCf = await collect(problems, async () => {
    const r = parseHaCf(await readConfigFile(files.haCf), files.haCf, node);
    warnings.push(...r.warnings);
    return r.config;
  });
  const haresources = await collect(problems, async () => {
    const text = await readConfigFile(files.res);
    return haCf === undefined ? undefined : parseHaresources(text, files.res, haCf.nodes);
  });
  const auth = await collect(problems, async () => {
    const text = await readConfigFile(files.keys);
    if (opts.skipAuthkeysOwnership !== true) {
      const st = await stat(files.keys);
      const p = checkAuthkeysMode(st.mode, st.uid, files.keys);
      if (p !== undefined) throw new ConfigError([p]);
    }
    const r = parseAuthkeys(text, files.keys);
    warnings.push(...r.warnings);
    return r.config;
  });
  if (problems.length > 0 || haCf === undefined || haresources === undefined || auth === undefined) {
    throw new ConfigError(problems);
  }
  return { config: { dir: opts.dir, haCf, haresources, auth }, warnings };
}
