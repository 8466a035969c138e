/**
 * Runs a service's validate and apply commands: argv without a shell,
 * placeholders replaced, own process group (killed whole on timeout),
 * stdin closed, stdout+stderr captured (first 32 KiB) for the pusher.
 */
import { spawn } from 'node:child_process';

export interface CommandResult {
  ok: boolean;
  code: number | null;
  signal: string | null;
  timedOut: boolean;
  output: string;
}

const MAX_OUTPUT = 32 * 1024;

/** Replace {name} placeholders inside every argument. */
export function expandArgs(argv: readonly string[], vars: Record<string, string>): string[] {
  return argv.map((a) => a.replace(/\{([a-z]+)\}/g, (m, k: string) => vars[k] ?? m));
}

export function runCommand(argv: readonly string[], opts: { timeoutMs: number; env?: Record<string, string> }): Promise<CommandResult> {
  const [cmd, ...args] = argv;
  return new Promise((resolve) => {
    if (cmd === undefined) return resolve({ ok: false, code: null, signal: null, timedOut: false, output: 'empty command' });
    let output = '';
    let timedOut = false;
    const child = spawn(cmd, args, {
      cwd: '/',
      env: { PATH: process.env.PATH ?? '/usr/sbin:/usr/bin:/sbin:/bin', LANG: 'C', ...opts.env },
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: true,
    });
    const take = (d: Buffer): void => {
      if (output.length < MAX_OUTPUT) output += d.toString('utf8').slice(0, MAX_OUTPUT - output.length);
    };
    child.stdout.on('data', take);
    child.stderr.on('data', take);
    const timer = setTimeout(() => {
      timedOut = true;
      try {
        if (child.pid !== undefined) process.kill(-child.pid, 'SIGKILL');
      } catch {
        child.kill('SIGKILL');
      }
    }, opts.timeoutMs);
    child.on('error', (err) => {
      clearTimeout(timer);
      resolve({ ok: false, code: null, signal: null, timedOut, output: `${output}cannot run ${cmd}: ${err.message}` });
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      const note = timedOut ? `\n(killed after ${opts.timeoutMs} ms)` : '';
      resolve({ ok: code === 0 && !timedOut, code, signal, timedOut, output: `${output}${note}`.trimEnd() });
    });
  });
}
