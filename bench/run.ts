/**
 * Benchmark runner: `node dist/bench/run.js [name...]` (make bench BENCH=name).
 * Runs the named benchmarks (all by default), saves bench/results/<name>.json
 * and regenerates BENCHMARKS.md from every saved result.
 */
import { machineInfo, saveResult, writeBenchmarksMd } from './lib/report';
import type { Benchmark } from './lib/types';
import { runtimeBench } from './runtime';
import { failoverBench } from './failover';
import { soakBench } from './soak';
import { csyncBench } from './csync';
import { statusdBench } from './statusd';
import { imagesBench } from './images';
import { paneldBench } from './paneld';
import { hwtestBench } from './hwtest';

const BENCHMARKS: Benchmark[] = [runtimeBench, failoverBench, soakBench, csyncBench, statusdBench, imagesBench, paneldBench, hwtestBench];

async function main(): Promise<void> {
  const wanted = process.argv.slice(2);
  const unknown = wanted.filter((w) => !BENCHMARKS.some((b) => b.name === w));
  if (unknown.length > 0) {
    process.stderr.write(`bench: unknown benchmark(s) ${unknown.join(', ')}; known: ${BENCHMARKS.map((b) => b.name).join(', ')}\n`);
    process.exit(64);
  }
  for (const b of BENCHMARKS.filter((x) => wanted.length === 0 || wanted.includes(x.name))) {
    process.stdout.write(`== ${b.name}: ${b.title}\n`);
    const rows = await b.run((msg) => process.stdout.write(`   ${msg}\n`));
    await saveResult({ name: b.name, title: b.title, date: new Date().toISOString(), machine: machineInfo(), rows });
  }
  await writeBenchmarksMd();
  process.stdout.write('BENCHMARKS.md updated\n');
}

main().catch((err: unknown) => {
  process.stderr.write(`bench: ${err instanceof Error ? err.stack : String(err)}\n`);
  process.exit(1);
});
