/**
 * Reads network.conf for the service (-c FILE). Four outcomes:
 * - no file: first boot, the factory default is used (resolved in main.ts,
 *   which knows the NICs);
 * - a file others than root may write (runtime/config/file-mode.ts): not
 *   used; refused like an invalid one (below);
 * - a valid file (an empty one warns that it configures no NIC);
 * - an invalid file: `--check-config` fails with every problem (exit 78); the
 *   running service refuses it on SIGHUP, and at boot falls back to the
 *   factory default rather than leave the appliance unreachable.
 */
import { readFile } from 'node:fs/promises';
import { stringOpt, type ParsedCli } from '../runtime/cli';
import { checkFileModes, type FileOwner } from '../runtime/config/file-mode';
import { ConfigError, type ConfigProblem } from '../runtime/config/problems';
import type { LoadedConfig } from '../runtime/service';
import { parseNetworkConfig } from '../runtime/netconf/parse';
import { DEFAULT_CONFIG_FILE, type NetConfig } from '../runtime/netconf/types';

/** What the service starts from. */
export interface NicdBoot {
  file: string;
  /** null: there is no file. */
  text: string | null;
  /** null when there is no file or it is invalid. */
  config: NetConfig | null;
  problems: readonly ConfigProblem[];
}

export const configPathOf = (cli: ParsedCli): string => stringOpt(cli, 'config', DEFAULT_CONFIG_FILE);

export async function loadNicdConfig(cli: ParsedCli, owner?: FileOwner): Promise<LoadedConfig<NicdBoot>> {
  const file = configPathOf(cli);
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') {
      return { config: { file, text: null, config: null, problems: [] }, warnings: [{ file, message: 'no such file: the factory default (192.168.2.21/24 on the first NIC) is used' }] };
    }
    throw new ConfigError([{ file, message: code === 'EACCES' ? 'permission denied' : String(err) }]);
  }
  // A file that others may write is not used: who could write it could also have chosen the
  // addresses it names. Like an invalid file, --check-config fails on it, and a boot falls
  // back to the factory default, so the unit stays reachable to be fixed.
  const modes = await checkFileModes([{ file, trust: 'config' }], owner);
  if (modes.length > 0) {
    if (cli.values['check-config'] === true) throw new ConfigError(modes);
    return { config: { file, text, config: null, problems: modes }, warnings: [] };
  }
  try {
    const parsed = parseNetworkConfig(text, file);
    return { config: { file, text, config: parsed.config, problems: [] }, warnings: parsed.warnings };
  } catch (err) {
    if (!(err instanceof ConfigError) || cli.values['check-config'] === true) throw err;
    return { config: { file, text, config: null, problems: err.problems }, warnings: [] };
  }
}
