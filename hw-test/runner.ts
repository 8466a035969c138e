/**
 * Runs checks one after another (they share the hardware), each bounded by
 * its timeout; an exception or a timeout is a failure with its message,
 * never a crash of the harness. Progress goes to the `progress` callbacks.
 */
import { errorMessage } from '../services/runtime/errors';
import type { Check, CheckResult } from './checks/types';

export interface RunnerEvents {
  started?(check: Check, index: number, total: number): void;
  finished?(result: CheckResult, index: number, total: number): void;
}

export interface RunnerClock {
  now(): number;
}

export async function runChecks(checks: readonly Check[], events: RunnerEvents = {}, clock: RunnerClock = Date): Promise<CheckResult[]> {
  const results: CheckResult[] = [];
  for (const [i, check] of checks.entries()) {
    events.started?.(check, i, checks.length);
    const t0 = clock.now();
    const outcome = await runOne(check);
    const result: CheckResult = { id: check.id, group: check.group, startedAt: new Date(t0).toISOString(), durationMs: clock.now() - t0, ...outcome };
    results.push(result);
    events.finished?.(result, i, checks.length);
  }
  return results;
}

async function runOne(check: Check): Promise<Pick<CheckResult, 'status' | 'reason' | 'measurements'>> {
  const ac = new AbortController();
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      reject(new Error(`did not finish within ${check.timeoutMs} ms`));
      ac.abort();
    }, check.timeoutMs);
  });
  try {
    return await Promise.race([check.run(ac.signal), timeout]);
  } catch (err) {
    ac.abort();
    return { status: 'fail', reason: errorMessage(err), measurements: {} };
  } finally {
    clearTimeout(timer);
  }
}

/** Keeps only the checks whose id starts with one of the prefixes (--only). */
export function selectChecks(checks: readonly Check[], prefixes: readonly string[]): Check[] {
  if (prefixes.length === 0) return [...checks];
  return checks.filter((c) => prefixes.some((p) => c.id === p || c.id.startsWith(p.endsWith('.') ? p : `${p}.`)));
}
