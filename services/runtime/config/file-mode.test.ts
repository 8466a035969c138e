import test from 'ava';
import { mkdtemp, rm, writeFile, chmod, mkdir } from 'node:fs/promises';
import * as os from 'node:os';
import * as path from 'node:path';
import { checkFileModes, fileModeProblem, ROOT_OWNER, type FileOwner } from './file-mode';

const file = (mode: number, uid = 0) => ({ mode: 0o100000 | mode, uid, isFile: true });
const STATUSD: FileOwner = { uid: 990, user: 'statusd', group: 'statusd' };

test('config files: readable by all, writable by the owner only', (t) => {
  t.is(fileModeProblem(file(0o644), '/etc/csyncd/services.conf', 'config', ROOT_OWNER), undefined);
  t.is(fileModeProblem(file(0o600), '/etc/csyncd/services.conf', 'config', ROOT_OWNER), undefined);
  t.is(fileModeProblem(file(0o755), '/etc/init.d/haproxy', 'config', ROOT_OWNER), undefined);
  t.deepEqual(fileModeProblem(file(0o666), '/etc/csyncd/services.conf', 'config', ROOT_OWNER), {
    file: '/etc/csyncd/services.conf',
    message: 'mode 0666 lets group and others write it; run: chmod 644 /etc/csyncd/services.conf',
  });
  t.is(fileModeProblem(file(0o620), 'f', 'config', ROOT_OWNER)?.message, 'mode 0620 lets group write it; run: chmod 600 f');
  t.is(fileModeProblem(file(0o777), 'f', 'config', ROOT_OWNER)?.message, 'mode 0777 lets group and others write it; run: chmod 755 f');
});

test('secrets: readable by the owner only, and the fix is chmod 600', (t) => {
  t.is(fileModeProblem(file(0o600), 'k', 'secret', ROOT_OWNER), undefined);
  t.is(fileModeProblem(file(0o400), 'k', 'secret', ROOT_OWNER), undefined);
  t.is(fileModeProblem(file(0o644), '/etc/ha.d/authkeys', 'secret', ROOT_OWNER)?.message,
    'mode 0644 lets group and others read it (a secret: only its owner may read it); run: chmod 600 /etc/ha.d/authkeys');
  t.regex(fileModeProblem(file(0o666), 'k', 'secret', ROOT_OWNER)?.message ?? '', /lets group and others read and write it.*chmod 600 k$/);
  t.regex(fileModeProblem(file(0o604), 'k', 'secret', ROOT_OWNER)?.message ?? '', /lets others read it/);
});

test('owner: the service user or root; the chown line names the service user', (t) => {
  t.is(fileModeProblem(file(0o600, 1000), 'k', 'secret', ROOT_OWNER)?.message, 'owned by uid 1000, not root; run: chown root:root k');
  t.is(fileModeProblem(file(0o600, 990), 'users', 'secret', STATUSD), undefined);
  t.is(fileModeProblem(file(0o644, 0), '/etc/lbos/statusd.conf', 'config', STATUSD), undefined, 'root-owned config read by a service user');
  t.is(fileModeProblem(file(0o644, 1000), 'users', 'secret', STATUSD)?.message,
    'owned by uid 1000, not statusd or root; mode 0644 lets group and others read it (a secret: only its owner may read it); run: chown statusd:statusd users && chmod 600 users');
});

test('not a regular file', (t) => {
  t.regex(fileModeProblem({ mode: 0o040755, uid: 0, isFile: false }, 'd', 'config', ROOT_OWNER)?.message ?? '', /not a regular file/);
});

test('checkFileModes stats real files; a missing optional file is fine', async (t) => {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'file-mode-'));
  t.teardown(() => rm(dir, { recursive: true, force: true }));
  const me: FileOwner = { uid: process.geteuid?.() ?? 0, user: 'me', group: 'me' };
  await writeFile(path.join(dir, 'ok'), 'x', { mode: 0o600 });
  await writeFile(path.join(dir, 'lax'), 'x');
  await chmod(path.join(dir, 'lax'), 0o646);
  await mkdir(path.join(dir, 'dir'));
  const problems = await checkFileModes([
    { file: path.join(dir, 'ok'), trust: 'secret' },
    { file: path.join(dir, 'lax'), trust: 'config' },
    { file: path.join(dir, 'absent'), trust: 'secret', optional: true },
    { file: path.join(dir, 'dir'), trust: 'config' },
  ], me);
  t.deepEqual(problems.map((p) => [path.basename(p.file), p.message.split(';')[0]]), [
    ['lax', 'mode 0646 lets others write it'],
    ['dir', 'not a regular file: a config file must be a plain file'],
  ]);
});
