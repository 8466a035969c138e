/** Names (comm) of the running processes, from /proc. */
import { readdir, readFile } from 'node:fs/promises';

export async function processNames(): Promise<string[]> {
  const names = new Set<string>();
  for (const d of await readdir('/proc')) {
    if (!/^\d+$/.test(d)) continue;
    try {
      names.add((await readFile(`/proc/${d}/comm`, 'utf8')).trim());
    } catch {
      /* exited meanwhile */
    }
  }
  return [...names].sort();
}
