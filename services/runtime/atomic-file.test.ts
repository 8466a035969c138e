import test from 'ava';
import { mkdtempSync, readFileSync, readdirSync, statSync, writeFileSync, rmSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { writeFileAtomic } from './atomic-file';

test('replaces content and mode, leaves no temp file', async (t) => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'atomic-'));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  const f = path.join(dir, 'cfg');
  writeFileSync(f, 'old');
  await writeFileAtomic(f, 'new', { mode: 0o600 });
  t.is(readFileSync(f, 'utf8'), 'new');
  t.is(statSync(f).mode & 0o777, 0o600);
  t.deepEqual(readdirSync(dir), ['cfg']);
});

test('a failed write keeps the old file', async (t) => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'atomic-'));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  const f = path.join(dir, 'missing-dir', 'cfg');
  await t.throwsAsync(writeFileAtomic(f, 'x'), { code: 'ENOENT' });
});
