/** BENCH_SOAK_LOGS=DIR keeps the daemons' logs of every pair (the pair's directory goes at teardown). */
import { cpSync, mkdirSync } from 'node:fs';
import * as path from 'node:path';
import { errorMessage } from '../../services/runtime/errors';

export function keepLogs(pairDir: string, tag: string, log: (msg: string) => void): void {
  const to = process.env.BENCH_SOAK_LOGS;
  if (to === undefined || to === '') return;
  const dest = path.join(to, tag.replace(/[^A-Za-z0-9._-]+/g, '_'));
  try {
    mkdirSync(dest, { recursive: true });
    cpSync(pairDir, dest, { recursive: true, filter: (src) => src === pairDir || src.endsWith('.log') });
    log(`logs kept in ${dest}`);
  } catch (err) {
    log(`could not keep logs in ${dest}: ${errorMessage(err)}`);
  }
}
