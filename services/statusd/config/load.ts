/**
 * Where statusd's configuration comes from: `-c FILE` (must exist), else
 * /etc/lbos/statusd.conf when present, else the defaults; `--state-dir`
 * overrides the file. Then the files that grant access: the users file
 * and the TLS key must be readable by statusd's user only, and nothing it
 * reads writable by others (runtime/config/file-mode.ts).
 */
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { stringOpt, type ParsedCli } from '../../runtime/cli';
import { checkFileModes, type FileOwner, type FileToCheck } from '../../runtime/config/file-mode';
import { ConfigError } from '../../runtime/config/problems';
import { errorMessage } from '../../runtime/errors';
import type { LoadedConfig } from '../../runtime/service';
import { parseStatusdConf } from './statusd-conf';
import { DEFAULT_CONFIG_FILE, defaultConfig, type StatusdConfig } from './types';

/** Files in the state directory (adapters/users-file.ts, adapters/tls-cert.ts). */
const STATE_FILES: readonly FileToCheck[] = [
  { file: 'users', trust: 'secret', optional: true },
  { file: 'initial-password', trust: 'secret', optional: true },
  { file: 'tls/key.pem', trust: 'secret', optional: true },
  { file: 'tls/cert.pem', trust: 'config', optional: true },
];

/** Every file statusd trusts, with what it holds; made on first start when absent. */
export function trustedFiles(c: StatusdConfig): FileToCheck[] {
  const out: FileToCheck[] = c.file === null ? [] : [{ file: c.file, trust: 'config' }];
  out.push(...STATE_FILES.map((f) => ({ ...f, file: path.join(c.stateDir, f.file) })));
  if (c.tlsKey !== null) out.push({ file: c.tlsKey, trust: 'secret', optional: true });
  if (c.tlsCert !== null) out.push({ file: c.tlsCert, trust: 'config', optional: true });
  return out;
}

export async function loadStatusdConfig(cli: ParsedCli, owner?: FileOwner): Promise<LoadedConfig<StatusdConfig>> {
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
  const problems = await checkFileModes(trustedFiles(config), owner);
  if (problems.length > 0) throw new ConfigError(problems);
  return { config, warnings: [] };
}
