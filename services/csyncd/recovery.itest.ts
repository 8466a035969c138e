/**
 * Startup recovery, made deterministic: a journal left between the renames
 * of a two-file push (crafted on disk exactly as a crash leaves it) is
 * rolled back; a kill -9 while apply runs is rolled forward and applied
 * again. crash.itest.ts covers random moments.
 */
import test from 'ava';
import { createHash } from 'node:crypto';
import { existsSync, linkSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { waitFor } from '../../scripts/sim/exec';
import type { SimUnit } from '../../scripts/sim/pair';
import { contentHash } from './core/version';
import { CsyncPair, ETC, logsOfLastPair, must, type UnitPaths } from './testing/csync-pair';

test.afterEach.always((t) => {
  if (!t.passed) t.log(logsOfLastPair());
});

const applyLog = (u: SimUnit): string => path.join(u.dir, 'duo-apply.log');
const registry = (u: SimUnit, _p: UnitPaths): string =>
  `service duo\n    file ${ETC}/a.conf\n    file ${ETC}/b.conf\n    apply /bin/sh -c 'echo "$CSYNCD_PHASE" >> ${applyLog(u)}; [ -f ${u.dir}/slow-apply ] && sleep 30; exit 0'\n    timeout 60s\n`;
const sha = (s: string): string => createHash('sha256').update(s).digest('hex');
const read = (cp: CsyncPair, f: string): string => readFileSync(cp.etcFile(1, f), 'utf8');

test('a crash between the renames of a two-file push is rolled back at startup; apply is not run', async (t) => {
  const cp = await CsyncPair.create({ registry });
  t.teardown(() => cp.stop());
  await must(cp.ctl(1, ['genkey']));
  const id = 'mx0abc12-0123abcd';
  const sib = (f: string, kind: string): string => cp.etcFile(1, `.${f}.csyncd-${id}.${kind}`);
  const inDaemon = (f: string, kind: string): string => `${ETC}/.${f}.csyncd-${id}.${kind}`;
  // What a kill -9 leaves after "prepared" and the first of two renames.
  writeFileSync(cp.etcFile(1, 'a.conf'), 'a old\n');
  writeFileSync(cp.etcFile(1, 'b.conf'), 'b old\n');
  for (const f of ['a.conf', 'b.conf']) linkSync(cp.etcFile(1, f), sib(f, 'old'));
  writeFileSync(sib('a.conf', 'new'), 'a new\n');
  writeFileSync(sib('b.conf', 'new'), 'b new\n');
  renameSync(sib('a.conf', 'new'), cp.etcFile(1, 'a.conf'));
  const files = ['a.conf', 'b.conf'].map((f) => ({ path: `${ETC}/${f}`, oldSha: sha(`${f[0] ?? ''} old\n`), newSha: sha(`${f[0] ?? ''} new\n`), src: inDaemon(f, 'new'), backup: inDaemon(f, 'old') }));
  const version = { counter: 7, node: 1, sha256: contentHash(files.map((f) => ({ path: f.path, sha256: f.newSha }))) };
  const txnDir = path.join(cp.paths[1].stateDir, 'staging', id);
  mkdirSync(txnDir, { recursive: true });
  writeFileSync(path.join(txnDir, 'journal.json'), JSON.stringify({ v: 1, id, service: 'duo', phase: 'prepared', version, files }));
  cp.start(1);
  await cp.waitReady(1);
  t.is(read(cp, 'a.conf'), 'a old\n');
  t.is(read(cp, 'b.conf'), 'b old\n');
  t.deepEqual(cp.leftovers(1), []);
  t.false(existsSync(applyLog(cp.unit(1))), 'apply never ran for the new files, so it is not run again');
  t.regex(cp.log(1), /recovered an interrupted push: roll-back/);
  t.regex(readFileSync(path.join(cp.paths[1].stateDir, 'audit.log'), 'utf8'), /"op":"recover".*"action":"roll-back"/);
});

test('kill -9 of the receiver while apply runs: at restart the new files stay and apply runs again', async (t) => {
  const cp = await CsyncPair.create({ registry });
  t.teardown(() => cp.stop());
  for (const i of [0, 1] as const) for (const f of ['a.conf', 'b.conf']) writeFileSync(cp.etcFile(i, f), `${f} on unit ${i + 1}\n`);
  await cp.exchangeKeys();
  writeFileSync(path.join(cp.unit(1).dir, 'slow-apply'), '');
  const pushing = cp.call(0, 'Push', 'duo', false).then(() => 'completed', (e: unknown) => String(e));
  await waitFor('apply started on u2', () => existsSync(applyLog(cp.unit(1))), 10_000, 20);
  await cp.kill9(1);
  t.regex(await pushing, /connection to the peer lost/);
  t.is(read(cp, 'a.conf'), 'a.conf on unit 1\n', 'the swap was done before apply');
  // The recovery's apply is quick (the killed apply, orphaned, just sleeps on).
  rmSync(path.join(cp.unit(1).dir, 'slow-apply'));
  writeFileSync(applyLog(cp.unit(1)), '');
  cp.start(1);
  await cp.waitReady(1);
  t.is(read(cp, 'a.conf'), 'a.conf on unit 1\n');
  t.is(read(cp, 'b.conf'), 'b.conf on unit 1\n');
  t.is(readFileSync(applyLog(cp.unit(1)), 'utf8'), 'recover\n');
  t.deepEqual(cp.leftovers(1), []);
  // Recovery recorded the version: the pair is in sync without another push.
  const s = await waitFor('u1 sees the service identical', async () => {
    const v = await cp.status(0);
    return v.services[0]?.state !== 'differs' ? v : undefined;
  }, 10_000, 300);
  t.not(s.services[0]?.state, 'differs');
});
