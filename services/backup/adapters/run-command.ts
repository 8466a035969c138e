/** Runs a program (a service's check, a validator, systemctl) and collects its output; never throws on its failure. */
import { execFile } from 'node:child_process';

export interface CommandResult {
  /** Exit code, or null when it could not start or was killed. */
  code: number | null;
  output: string;
  /** Why it did not run to an exit (ENOENT, timeout), or null. */
  failure: string | null;
}

export const COMMAND_TIMEOUT_MS = 60_000;
const MAX_OUTPUT = 64 * 1024;

export function runCommand(file: string, args: readonly string[], opts: { timeoutMs?: number; env?: NodeJS.ProcessEnv } = {}): Promise<CommandResult> {
  return new Promise((resolve) => {
    execFile(file, [...args], { cwd: '/', timeout: opts.timeoutMs ?? COMMAND_TIMEOUT_MS, maxBuffer: MAX_OUTPUT, env: opts.env ?? process.env, killSignal: 'SIGKILL' }, (err, stdout, stderr) => {
      const output = `${String(stdout)}${String(stderr)}`.trim();
      if (err === null) return resolve({ code: 0, output, failure: null });
      const e = err as NodeJS.ErrnoException & { code?: number | string; killed?: boolean };
      if (typeof e.code === 'number') return resolve({ code: e.code, output, failure: null });
      if (e.killed === true) return resolve({ code: null, output, failure: `no answer within ${(opts.timeoutMs ?? COMMAND_TIMEOUT_MS) / 1000} s` });
      resolve({ code: null, output, failure: e.code === 'ENOENT' ? `${file} not found` : e.message });
    });
  });
}
