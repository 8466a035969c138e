// Removes compiled files in dist/ whose TypeScript source is gone (moved or
// deleted): tsc never deletes outputs, and ava would go on running a moved
// test's old copy against modules that no longer exist. Run by `make build`.
import { existsSync, readdirSync, rmSync } from 'node:fs';
import * as path from 'node:path';

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');
const dist = path.join(root, 'dist');
const OUTPUT = /\.js(\.map)?$/;
let removed = 0;

function walk(dir) {
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) {
      walk(p);
      if (readdirSync(p).length === 0) rmSync(p, { recursive: true });
    } else if (OUTPUT.test(e.name)) {
      const source = path.join(root, path.relative(dist, p)).replace(OUTPUT, '.ts');
      if (!existsSync(source)) {
        rmSync(p);
        removed++;
      }
    }
  }
}

if (existsSync(dist)) {
  walk(dist);
  // The incremental build info would otherwise skip re-emitting what it thinks is there.
  if (removed > 0) rmSync(path.join(dist, '.tsbuildinfo'), { force: true });
  if (removed > 0) process.stdout.write(`build: removed ${removed} compiled file(s) of sources that no longer exist\n`);
}
