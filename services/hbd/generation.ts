/**
 * The boot generation carried in every advert: strictly increasing across
 * restarts so the peer can tell a new boot from a replay. Stored in the state
 * dir; never lower than the wall clock in seconds, so a wiped state dir still
 * moves forward (u32 lasts until 2106).
 */
import { readFile, mkdir } from 'node:fs/promises';
import * as path from 'node:path';
import { writeFileAtomic } from '../runtime/atomic-file';

const U32_MAX = 0xffffffff;

export function nextGenerationValue(stored: number | null, nowSeconds: number): number {
  const base = Math.max((stored ?? 0) + 1, Math.floor(nowSeconds));
  return Math.min(base, U32_MAX);
}

export async function takeNextGeneration(stateDir: string, nowSeconds = Date.now() / 1000): Promise<number> {
  await mkdir(stateDir, { recursive: true });
  const file = path.join(stateDir, 'generation');
  const text = await readFile(file, 'utf8').catch(() => '');
  const stored = /^\d+\s*$/.test(text) ? Number(text) : null;
  const gen = nextGenerationValue(stored, nowSeconds);
  await writeFileAtomic(file, `${gen}\n`);
  return gen;
}
