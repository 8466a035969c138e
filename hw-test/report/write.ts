/** Stores a run's JSON and JUnit XML in the report directory (atomically: a factory station may be reading). */
import { mkdir } from 'node:fs/promises';
import * as path from 'node:path';
import { writeFileAtomic } from '../../services/runtime/atomic-file';
import { junitXml } from './junit';
import { reportStem, type RunReport } from './model';

export async function writeReports(dir: string, report: RunReport): Promise<{ json: string; junit: string }> {
  await mkdir(dir, { recursive: true });
  const stem = path.join(dir, reportStem(report));
  const json = `${stem}.json`;
  const junit = `${stem}.xml`;
  await writeFileAtomic(json, `${JSON.stringify(report, null, 2)}\n`);
  await writeFileAtomic(junit, junitXml(report));
  return { json, junit };
}
