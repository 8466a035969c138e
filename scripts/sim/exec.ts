/** Small, synchronous-or-async command helpers for the simulation kit and tests. */
import { execFile, execFileSync, spawn, spawnSync, type ExecFileSyncOptions } from 'node:child_process';
import { AppError } from '../../services/runtime/errors';

export interface RunResult {
  stdout: string;
  stderr: string;
}

/** Run a command; reject with COMMAND_FAILED carrying its stderr. */
export function run(cmd: string, args: string[], opts: { timeoutMs?: number; env?: NodeJS.ProcessEnv; input?: string } = {}): Promise<RunResult> {
  return new Promise((resolve, reject) => {
    const child = execFile(cmd, args, { timeout: opts.timeoutMs ?? 30_000, env: opts.env ?? process.env, maxBuffer: 16 << 20 }, (err, stdout, stderr) => {
      if (err) {
        reject(new AppError('COMMAND_FAILED', `${cmd} ${args.join(' ')}: ${stderr.trim() || err.message}`, { stdout, stderr }));
      } else {
        resolve({ stdout, stderr });
      }
    });
    if (opts.input !== undefined) child.stdin?.end(opts.input);
  });
}

/** Synchronous run for setup/teardown paths that must also work in exit handlers. */
export function runSync(cmd: string, args: string[], opts: ExecFileSyncOptions = {}): string {
  try {
    return execFileSync(cmd, args, { stdio: ['ignore', 'pipe', 'pipe'], timeout: 30_000, ...opts }).toString();
  } catch (err) {
    const e = err as { stderr?: Buffer; message: string };
    throw new AppError('COMMAND_FAILED', `${cmd} ${args.join(' ')}: ${e.stderr?.toString().trim() || e.message}`);
  }
}

/** Like runSync but never throws: teardown keeps going past a failed step. */
export function tryRunSync(cmd: string, args: string[]): boolean {
  try {
    runSync(cmd, args);
    return true;
  } catch {
    return false;
  }
}

export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

export const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** Poll `check` until it returns a value (not undefined/false) or the time is up. */
export async function waitFor<T>(what: string, check: () => T | undefined | false | Promise<T | undefined | false>, timeoutMs = 10_000, everyMs = 20): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const v = await check();
    if (v !== undefined && v !== false) return v;
    if (Date.now() > end) throw new AppError('TIMEOUT', `timed out after ${timeoutMs} ms waiting for ${what}`);
    await sleep(everyMs);
  }
}

/**
 * Run a service's compiled main with no bus to reach, synchronously: what a
 * config or file-mode check says before the service would connect (tests).
 */
export function runServiceOffline(mainJs: string, args: string[]): ReturnType<typeof spawnSync> & { stdout: string; stderr: string } {
  return spawnSync(process.execPath, [mainJs, ...args], { encoding: 'utf8', env: { ...process.env, DBUS_SYSTEM_BUS_ADDRESS: 'unix:path=/nonexistent' }, timeout: 20_000 });
}

/** What a command run in a namespace did. */
export interface NsResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** `argv` in network namespace `ns` (ip netns exec), `input` on its stdin, killed after `timeoutMs`; never throws. */
export function runInNamespace(ns: string, argv: string[], env: NodeJS.ProcessEnv, input?: string | Buffer, timeoutMs = 60_000): Promise<NsResult> {
  return new Promise((resolve) => {
    const child = spawn('ip', ['netns', 'exec', ns, ...argv], { env, stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
    child.stdin.on('error', () => undefined);
    child.stdin.end(input);
  });
}
