/**
 * Where statusd's configuration comes from: `-c FILE` (must exist), else
 * /etc/lbos/statusd.conf when present, else the defaults; `--state-dir`
 * overrides the file.
 */
import { promises as fs } from 'node:fs';
import { stringOpt, type ParsedCli } from '../../runtime/cli';
import { ConfigError } from '../../runtime/config/problems';
import { errorMessage } from '../../runtime/errors';
import type { LoadedConfig } from '../../runtime/service';
import { parseStatusdConf } from './statusd-conf';
import { DEFAULT_CONFIG_FILE, defaultConfig, type StatusdConfig } from './types';

export async function loadStatusdConfig(cli: ParsedCli): Promise<LoadedConfig<StatusdConfig>> {
  const given = stringOpt(cli, 'config');
  const file = given ?? DEFAULT_CONFIG_FILE;
  let text: string | null = null;
  try {
    text = await fs.readFile(file, 'utf8');
  } catch (err) {
    const missing = (err as NodeJS.ErrnoException).code === 'ENOENT';
    if (given !== undefined || !missing) throw new ConfigError([{ file, message: `cannot read: ${errorMessage(err)}` }]);
  }
  const config = text === null ? defaultConfig() : parseStatusdConf(text, file);
  const stateDir = stringOpt(cli, 'state-dir');
  if (stateDir !== undefined) config.stateDir = stateDir;
  return { config, warnings: [] };
}
