/**
 * Benchmark runner: `node dist/bench/run.js [--plan] [name...]` (make bench BENCH=name;
 * make bench-plan prints what would run and how long it should take).
 * Runs the named benchmarks (all by default), saves bench/results/<name>.json
 * and regenerates BENCHMARKS.md from every saved result. Says before it
 * starts how long each should take (bench/lib/estimates.ts, and the last
 * run's real time), then stamps every progress line with the time elapsed.
 */
import { lastResult, machineInfo, saveResult, writeBenchmarksMd } from './lib/report';
import { expectedMinutes, formatMinutes, KNOBS } from './lib/estimates';
import type { Benchmark } from './lib/types';
import { runtimeBench } from './runtime';
import { failoverBench } from './failover';
import { soakBench } from './soak';
import { csyncBench } from './csync';
import { statusdBench } from './statusd';
import { imagesBench } from './images';
import { quickstartBench } from './quickstart';
import { paneldBench } from './paneld';
import { hwtestBench } from './hwtest';

const BENCHMARKS: Benchmark[] = [runtimeBench, failoverBench, soakBench, csyncBench, statusdBench, imagesBench, quickstartBench, paneldBench, hwtestBench];

const clock = (ms: number): string => {
  const s = Math.floor(ms / 1000);
  return `${Math.floor(s / 60)}:${String(s % 60).padStart(2, '0')}`;
};

function plan(chosen: readonly Benchmark[]): string {
  const lines = chosen.map((b, i) => {
    const last = lastResult(b.name)?.durationS;
    return `  ${i + 1}. ${b.name.padEnd(9)} ~${formatMinutes(expectedMinutes(b.name))}${last === undefined ? '' : ` (last run ${formatMinutes(last / 60)})`}  ${b.title}`;
  });
  const total = chosen.reduce((a, b) => a + expectedMinutes(b.name), 0);
  const knobs = Object.keys(KNOBS).filter((k) => process.env[k] !== undefined).map((k) => `${k}=${process.env[k] ?? ''}`);
  return [`bench: ${chosen.length} benchmark(s), about ${formatMinutes(total)} in all on 2 cores${knobs.length > 0 ? ` with ${knobs.join(' ')}` : ''}:`, ...lines,
    '  (knobs: README "Benchmarks" or bench/lib/estimates.ts; BENCH=name runs one)', ''].join('\n');
}

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const planOnly = args.includes('--plan');
  const wanted = args.filter((a) => a !== '--plan');
  const unknown = wanted.filter((w) => !BENCHMARKS.some((b) => b.name === w));
  if (unknown.length > 0) {
    process.stderr.write(`bench: unknown benchmark(s) ${unknown.join(', ')}; known: ${BENCHMARKS.map((b) => b.name).join(', ')}\n`);
    process.exit(64);
  }
  const chosen = BENCHMARKS.filter((x) => wanted.length === 0 || wanted.includes(x.name));
  process.stdout.write(plan(chosen));
  if (planOnly) return;
  const t0 = Date.now();
  for (const [i, b] of chosen.entries()) {
    const start = Date.now();
    process.stdout.write(`== [${i + 1}/${chosen.length}] ${b.name}: ${b.title} (~${formatMinutes(expectedMinutes(b.name))})\n`);
    const rows = await b.run((msg) => process.stdout.write(`   [${clock(Date.now() - start)}] ${msg}\n`));
    const tookMs = Date.now() - start;
    await saveResult({ name: b.name, title: b.title, date: new Date().toISOString(), machine: machineInfo(), rows, durationS: Math.round(tookMs / 1000) });
    process.stdout.write(`== ${b.name} done in ${clock(tookMs)} (total ${clock(Date.now() - t0)})\n`);
  }
  await writeBenchmarksMd();
  process.stdout.write('BENCHMARKS.md updated\n');
}

main().catch((err: unknown) => {
  process.stderr.write(`bench: ${err instanceof Error ? err.stack : String(err)}\n`);
  process.exit(1);
});
