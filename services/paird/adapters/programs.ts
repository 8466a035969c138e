/**
 * The other services' own programs, run as subprocesses (paird never
 * imports their modules): `hbd --check-config`, `csyncd --check-config`,
 * `csyncctl genkey`, and `ip` for the default route. Bounded in time; the
 * output of a refusal comes back in the error.
 */
import { execFile } from 'node:child_process';
import * as path from 'node:path';
import { AppError } from '../../runtime/errors';

const TIMEOUT_MS = 60_000;

export interface ProgramResult {
  stdout: string;
  stderr: string;
}

export function runProgram(file: string, args: string[], code: string, what: string): Promise<ProgramResult> {
  return new Promise((resolve, reject) => {
    execFile(file, args, { timeout: TIMEOUT_MS, maxBuffer: 1024 * 1024, env: { ...process.env, LOG_LEVEL: 'warn' } }, (err, stdout, stderr) => {
      if (err === null) return resolve({ stdout, stderr });
      const said = `${stderr}${stdout}`.trim().split('\n').slice(-12).join('\n');
      reject(new AppError(code, `${what}: ${said === '' ? err.message : said}`));
    });
  });
}

export class Programs {
  constructor(private readonly binDir: string) {}

  checkHbd(dir: string, node: string): Promise<ProgramResult> {
    return runProgram(path.join(this.binDir, 'hbd'), ['--check-config', '-c', dir, '--node', node], 'HA_CONFIG_REFUSED', `hbd refused the HA settings written for ${node}`);
  }

  checkCsyncd(cfg: string): Promise<ProgramResult> {
    return runProgram(path.join(this.binDir, 'csyncd'), ['--check-config', '-c', cfg], 'SYNC_CONFIG_REFUSED', 'csyncd refused the sync settings');
  }

  genkey(cfg: string): Promise<ProgramResult> {
    return runProgram(path.join(this.binDir, 'csyncctl'), ['genkey', '-c', cfg], 'GENKEY_FAILED', 'csyncctl genkey');
  }
}

/** The default IPv4 gateway, from `ip -j route show default`; null when there is none. */
export async function defaultGateway(): Promise<string | null> {
  const r = await runProgram('ip', ['-j', 'route', 'show', 'default'], 'ROUTE_UNREADABLE', 'ip route').catch(() => null);
  if (r === null) return null;
  try {
    const routes = JSON.parse(r.stdout) as { gateway?: unknown }[];
    const gw = routes.find((x) => typeof x.gateway === 'string')?.gateway;
    return typeof gw === 'string' ? gw : null;
  } catch {
    return null;
  }
}
