/**
 * Loads csyncd.cfg, then config_dir/services.conf, and checks the keys
 * csyncd needs to start and the modes of every file it trusts: every
 * problem at once, as file:line.
 */
import { readFile, stat } from 'node:fs/promises';
import * as path from 'node:path';
import { ConfigError, type ConfigProblem } from '../runtime/config/problems';
import type { LoadedConfig } from '../runtime/service';
import { parseCsyncdCfg } from './config/csyncd-cfg';
import { parseRegistry } from './config/registry';
import type { CsyncdConfig, CsyncdSettings, Registry } from './config/types';
import { KEY_FILE_NAMES } from './adapters/key-files';
import { checkFileModes, type FileOwner, type FileToCheck } from '../runtime/config/file-mode';

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

/** Private keys must exist (a first start makes them: --genkey-if-none). */
async function keyProblems(s: CsyncdSettings): Promise<ConfigProblem[]> {
  const out: ConfigProblem[] = [];
  for (const name of [KEY_FILE_NAMES.hostKey, KEY_FILE_NAMES.userKey]) {
    const file = path.join(s.configDir, name);
    try {
      await stat(file);
    } catch {
      out.push({ file, message: 'missing: run "csyncctl genkey" (with csyncd stopped), then exchange keys with "csyncctl getkey"' });
    }
  }
  return out;
}

/**
 * Every file of config_dir csyncd trusts: the private keys and password
 * hashes are secrets; services.conf (its commands run as root), the
 * authorized and known host keys and csyncd.cfg must not be writable by
 * others. Those made later (keys not yet exchanged) may be absent.
 */
export function trustedFiles(cfgFile: string, s: CsyncdSettings): FileToCheck[] {
  const inDir = (name: string): string => path.join(s.configDir, name);
  return [
    { file: cfgFile, trust: 'config' },
    { file: inDir(REGISTRY_FILE), trust: 'config', optional: true },
    { file: inDir(KEY_FILE_NAMES.hostKey), trust: 'secret', optional: true },
    { file: inDir(KEY_FILE_NAMES.userKey), trust: 'secret', optional: true },
    { file: `${inDir(KEY_FILE_NAMES.hostKey)}.pub`, trust: 'config', optional: true },
    { file: `${inDir(KEY_FILE_NAMES.userKey)}.pub`, trust: 'config', optional: true },
    { file: inDir(KEY_FILE_NAMES.knownHosts), trust: 'config', optional: true },
    { file: inDir(KEY_FILE_NAMES.authorized), trust: 'config', optional: true },
    { file: inDir(KEY_FILE_NAMES.accounts), trust: 'secret', optional: true },
  ];
}

export async function loadCsyncdConfig(file: string, opts: { checkKeys: boolean; owner?: FileOwner }): Promise<LoadedConfig<CsyncdConfig>> {
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
  problems.push(...(await checkFileModes(trustedFiles(file, settings), opts.owner)));
  if (problems.length > 0 || registry === null) throw new ConfigError(problems);
  return { config: { settings, registry }, warnings };
}
