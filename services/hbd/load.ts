/**
 * Loads /etc/ha.d (or -c DIR) the way Heartbeat does: ha.cf, haresources,
 * authkeys, all problems at once. Refuses, like Heartbeat, an authkeys file
 * that others than its owner could read, and any of the three (or a
 * resource script) that others could write (runtime/config/file-mode.ts);
 * a resource script haresources names must exist and be executable.
 */
import { readFile } from 'node:fs/promises';
import * as os from 'node:os';
import * as path from 'node:path';
import { ConfigError, type ConfigProblem } from '../runtime/config/problems';
import type { LoadedConfig } from '../runtime/service';
import { parseHaCf, type HaCf } from './config/ha-cf';
import { parseHaresources, type Haresources } from './config/haresources';
import { parseAuthkeys, type Authkeys } from './config/authkeys';
import { checkFileModes, serviceOwner, type FileOwner } from '../runtime/config/file-mode';
import { checkResourceScripts } from './config/resource-scripts';
import { scriptLookup } from './adapters/scripts';

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
  /**
   * false: parse only, without the file-mode and resource-script checks
   * (--release-vips: removing this unit's VIPs must not depend on them).
   */
  strict?: boolean;
  /** Who must own the files (besides root): the user hbd runs as. */
  owner?: FileOwner;
  /** Another ha.cf than DIR/ha.cf (--ha-cf: csyncd checks a pushed ha.cf with the unit's other files). */
  haCfFile?: string;
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
  const files = { haCf: opts.haCfFile ?? path.join(opts.dir, 'ha.cf'), res: path.join(opts.dir, 'haresources'), keys: path.join(opts.dir, 'authkeys') };
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
    const r = parseAuthkeys(await readConfigFile(files.keys), files.keys);
    warnings.push(...r.warnings);
    return r.config;
  });
  if (opts.strict !== false) {
    const owner = opts.owner ?? serviceOwner();
    problems.push(...(await checkFileModes([{ file: files.haCf, trust: 'config' }, { file: files.res, trust: 'config' }, { file: files.keys, trust: 'secret' }], owner)));
    if (haresources !== undefined) {
      const scripts = await checkResourceScripts(haresources, files.res, scriptLookup(opts.dir));
      problems.push(...scripts.problems);
      // They run as root: nobody else may change them either.
      problems.push(...(await checkFileModes(scripts.found.map((file) => ({ file, trust: 'config' as const })), owner)));
    }
  }
  if (problems.length > 0 || haCf === undefined || haresources === undefined || auth === undefined) {
    throw new ConfigError(problems);
  }
  return { config: { dir: opts.dir, haCf, haresources, auth }, warnings };
}
