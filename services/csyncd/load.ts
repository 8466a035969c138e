/**
 * Loads csyncd.cfg, then config_dir/services.conf, and checks the keys
 * csyncd needs to start: every problem at once, as file:line.
 */
import { readFile, stat } from 'node:fs/promises';
import * as path from 'node:path';
import { ConfigError, type ConfigProblem } from '../runtime/config/problems';
import type { LoadedConfig } from '../runtime/service';
import { parseCsyncdCfg } from './config/csyncd-cfg';
import { parseRegistry } from './config/registry';
import type { CsyncdConfig, CsyncdSettings, Registry } from './config/types';
import { KEY_FILE_NAMES } from './adapters/key-files';

export const DEFAULT_CFG = '/etc/csyncd/csyncd.cfg';
export const REGISTRY_FILE = 'services.conf';

async function readConfigFile(file: string): Promise<string> {
  try {
    return await readFile(file, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw new ConfigError([{ file, message: code === 'ENOENT' ? 'file not found' : code === 'EACCES' ? 'permission denied' : String(err) }]);
  }
}

/** csyncd.cfg only (what csyncctl's key commands need). */
export async function loadSettings(file: string): Promise<{ settings: CsyncdSettings; warnings: ConfigProblem[] }> {
  return parseCsyncdCfg(await readConfigFile(file), file);
}

/** services.conf of a config_dir; a missing file is an empty registry (with a warning). */
export async function loadRegistry(s: CsyncdSettings, warnings: ConfigProblem[]): Promise<Registry> {
  const file = path.join(s.configDir, REGISTRY_FILE);
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw new ConfigError([{ file, message: String(err) }]);
    warnings.push({ file, message: 'not found: no service can be synced until it lists some' });
    return { file, services: [] };
  }
  return parseRegistry(text, file, { forbiddenDirs: [s.configDir, s.stateDir] });
}

/** Private keys must exist and be readable by their owner only (like sshd's host keys). */
async function keyProblems(s: CsyncdSettings): Promise<ConfigProblem[]> {
  const out: ConfigProblem[] = [];
  for (const name of [KEY_FILE_NAMES.hostKey, KEY_FILE_NAMES.userKey]) {
    const file = path.join(s.configDir, name);
    try {
      const st = await stat(file);
      if ((st.mode & 0o077) !== 0) out.push({ file, message: `mode ${(st.mode & 0o777).toString(8)}: a private key must not be readable by group or others (chmod 600)` });
    } catch {
      out.push({ file, message: 'missing: run "csyncctl genkey" (with csyncd stopped), then exchange keys with "csyncctl getkey"' });
    }
  }
  return out;
}

export async function loadCsyncdConfig(file: string, opts: { checkKeys: boolean }): Promise<LoadedConfig<CsyncdConfig>> {
  const { settings, warnings } = await loadSettings(file);
  const problems: ConfigProblem[] = [];
  let registry: Registry | null = null;
  try {
    registry = await loadRegistry(settings, warnings);
  } catch (err) {
    if (!(err instanceof ConfigError)) throw err;
    problems.push(...err.problems);
  }
  if (opts.checkKeys) problems.push(...(await keyProblems(settings)));
  if (problems.length > 0 || registry === null) throw new ConfigError(problems);
  return { config: { settings, registry }, warnings };
}
