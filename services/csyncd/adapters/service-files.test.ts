/** The digest cache never takes a local edit for pushed content (real files in a temp dir). */
import test from 'ava';
import { createHash } from 'node:crypto';
import { mkdtempSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { ServiceFiles, stagedIdentity } from './service-files';
import type { ServiceDef } from '../config/types';

const sha = (s: string): string => createHash('sha256').update(s).digest('hex');

function setup(t: { teardown(fn: () => void): void }): { dir: string; file: string; staged: string; def: ServiceDef } {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'csyncd-files-'));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  const file = path.join(dir, 'haproxy.cfg');
  writeFileSync(file, 'old\n');
  const def: ServiceDef = { name: 'haproxy', files: [file], validate: null, apply: null, maxSize: 1 << 20, timeoutMs: 1000, file: '/x', line: 1 };
  return { dir, file, staged: path.join(dir, '.haproxy.cfg.new'), def };
}

test('a pushed file renamed into place is learned: the digest is its sha256', async (t) => {
  const { file, staged, def } = setup(t);
  const files = new ServiceFiles();
  writeFileSync(staged, 'pushed\n');
  const id = await stagedIdentity(staged);
  renameSync(staged, file);
  await files.learn(file, sha('pushed\n'), id);
  t.is((await files.digest(def)).files[0]?.sha256, sha('pushed\n'));
});

test('a local edit between the rename and learn is not taken for the pushed content', async (t) => {
  const { file, staged, def } = setup(t);
  const files = new ServiceFiles();
  writeFileSync(staged, 'pushed\n');
  const id = await stagedIdentity(staged);
  await new Promise((r) => setTimeout(r, 20)); // the edit comes later than the staged write, as validation sits between them
  renameSync(staged, file);
  writeFileSync(file, 'edit!!\n'); // same size as the pushed content: only the mtime tells
  await files.learn(file, sha('pushed\n'), id);
  t.is((await files.digest(def)).files[0]?.sha256, sha('edit!!\n'));
});

test('a lie about the content is caught the same way: learn without an identity re-hashes', async (t) => {
  const { file, def } = setup(t);
  const files = new ServiceFiles();
  await files.learn(file, sha('something else\n'), null);
  t.is((await files.digest(def)).files[0]?.sha256, sha('old\n'));
});
