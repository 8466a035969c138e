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

test('stillWanted is asked after the new content is on disk: a no keeps what another writer put there', async (t) => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'atomic-'));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  const f = path.join(dir, 'network.conf');
  writeFileSync(f, 'as read');
  const edited = await writeFileAtomic(f, 'stamped', {
    stillWanted: async () => {
      writeFileSync(f, 'an admin edit'); // lands while the stamped copy is being written
      return readFileSync(f, 'utf8') === 'as read';
    },
  });
  t.false(edited);
  t.is(readFileSync(f, 'utf8'), 'an admin edit');
  t.deepEqual(readdirSync(dir), ['network.conf'], 'no temp file left');
  t.true(await writeFileAtomic(f, 'stamped', { stillWanted: async () => readFileSync(f, 'utf8') === 'an admin edit' }));
  t.is(readFileSync(f, 'utf8'), 'stamped');
});
