/** Block devices: what is there (sysfs), what SMART says (smartctl -j), and a bounded direct read (dd). */
import { realpath, readFile, stat } from 'node:fs/promises';
import * as path from 'node:path';
import { execFile } from 'node:child_process';

export interface BlockDevice {
  path: string;
  /** Kernel name after following symlinks (sda, nvme0n1, loop3). */
  kernelName: string;
  sizeBytes: number;
}

/** null when the path is missing or not a block device. */
export async function probeBlockDevice(devPath: string): Promise<BlockDevice | null> {
  try {
    const real = await realpath(devPath);
    if (!(await stat(real)).isBlockDevice()) return null;
    const kernelName = path.basename(real);
    const sectors = Number((await readFile(`/sys/class/block/${kernelName}/size`, 'utf8')).trim());
    return { path: devPath, kernelName, sizeBytes: sectors * 512 };
  } catch {
    return null;
  }
}

/** smartctl's JSON (any exit status: it is a bit mask, the JSON says why). */
export function smartctlJson(devPath: string, timeoutMs: number): Promise<unknown> {
  return new Promise((resolve, reject) => {
    execFile('smartctl', ['-H', '-i', '-A', '-j', devPath], { timeout: timeoutMs, maxBuffer: 4 << 20 }, (err, stdout) => {
      if (err !== null && (err as NodeJS.ErrnoException).code === 'ENOENT') return reject(new Error('smartctl is not installed (apt install smartmontools)'));
      try {
        resolve(JSON.parse(stdout) as unknown);
      } catch {
        reject(new Error(`smartctl gave no JSON for ${devPath}: ${err?.message ?? stdout.slice(0, 120)}`));
      }
    });
  });
}

/** Reads `bytes` from the start with O_DIRECT (past the page cache), in 1 MiB blocks. */
export function directRead(devPath: string, bytes: number, timeoutMs: number): Promise<{ bytes: number; ms: number }> {
  const blocks = Math.max(1, Math.ceil(bytes / 2 ** 20));
  const t0 = performance.now();
  return new Promise((resolve, reject) => {
    execFile('dd', [`if=${devPath}`, 'of=/dev/null', 'bs=1M', `count=${blocks}`, 'iflag=direct', 'status=none'], { timeout: timeoutMs }, (err, _out, stderr) => {
      if (err !== null) return reject(new Error(`read error on ${devPath}: ${stderr.trim() || err.message}`));
      resolve({ bytes: blocks * 2 ** 20, ms: performance.now() - t0 });
    });
  });
}
