#!/usr/bin/env node
// Sums the TAP summaries of several ava runs into the closing line CI reads:
// "N passed, N failed, N skipped". Exit 1 if anything failed or a run broke.
import { readFileSync } from 'node:fs';

let pass = 0, fail = 0, skip = 0, broken = 0;
for (const file of process.argv.slice(2)) {
  const text = readFileSync(file, 'utf8');
  const num = (re) => Number(re.exec(text)?.[1] ?? 0);
  if (!/^# tests \d+/m.test(text)) broken++;
  pass += num(/^# pass (\d+)/m);
  fail += num(/^# fail (\d+)/m);
  skip += num(/^# skip (\d+)/m) + num(/^# todo (\d+)/m);
}
// A run that crashed before its summary counts as a failure, never as silence.
fail += broken;
console.log(`${pass} passed, ${fail} failed, ${skip} skipped`);
process.exit(fail > 0 ? 1 : 0);
