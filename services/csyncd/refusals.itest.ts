/**
 * What a peer refuses, and that refusing changes nothing: haproxy -c
 * failures (with haproxy's own message), apply failures (rolled back and
 * re-applied), hostile frames from a holder of a valid key (traversal,
 * unregistered path, oversize, bad checksum), symlinks and device files,
 * unknown user keys, and a different host answering on REMOTE_IP.
 */
import test from 'ava';
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { waitFor } from '../../scripts/sim/exec';
import type { SimUnit } from '../../scripts/sim/pair';
import { encodeHeader, END_MARKER, type FileEntry } from './core/push-frame';
import { contentHash } from './core/version';
import { CsyncPair, ETC, HAPROXY_CFG, defaultRegistry, must, sha256File, type UnitPaths } from './testing/csync-pair';

const appLog = (u: SimUnit): string => path.join(u.dir, 'app-apply.log');
const registry = (u: SimUnit, p: UnitPaths): string =>
  `${defaultRegistry(u, p)}service app\n    file ${ETC}/app.conf\n    apply /bin/sh -c 'echo "$CSYNCD_PHASE" >> ${appLog(u)}; ! grep -q break ${ETC}/app.conf'\n    max_size 64K\nservice dev\n    file ${ETC}/dev.conf\n`;

let cp: CsyncPair;

test.before(async () => {
  cp = await CsyncPair.create({ registry });
  for (const i of [0, 1] as const) {
    writeFileSync(cp.etcFile(i, 'app.conf'), `app on unit ${i + 1}\n`);
    writeFileSync(cp.etcFile(i, 'dev.conf'), 'dev\n');
  }
  await cp.exchangeKeys();
  cp.startHaproxy(1);
  writeFileSync(cp.etcFile(0, 'haproxy.cfg'), HAPROXY_CFG('release-1'));
  await must(cp.ctl(0, ['push', '--all']));
  await waitFor('u2 serves release-1', async () => (await cp.http(1)) === 'release-1', 10_000, 200);
});

test.after.always(async () => {
  await cp?.stop();
});

test.afterEach.always((t) => {
  if (!t.passed) t.log(`--- u1 ---\n${cp.log(0)}\n--- u2 ---\n${cp.log(1)}`);
});

const sshArgs = (key: string, cmd: string): string[] => ['ssh', '-F', '/dev/null', '-p', '24', '-i', key, '-o', `UserKnownHostsFile=${path.join(cp.paths[0].configDir, 'ssh_known_hosts')}`, '-o', 'StrictHostKeyChecking=yes', '-o', 'BatchMode=yes', '-o', 'IdentitiesOnly=yes', 'admin@198.18.0.2', cmd];
const userKey = (): string => path.join(cp.paths[0].configDir, 'user_key');

test.serial("an invalid haproxy config: the peer's haproxy -c message comes back, the peer keeps its file and keeps serving", async (t) => {
  const before = sha256File(cp.etcFile(1, 'haproxy.cfg'));
  const applied = readFileSync(cp.paths[1].applyLog, 'utf8');
  writeFileSync(cp.etcFile(0, 'haproxy.cfg'), `${HAPROXY_CFG('release-2')}    bogus_keyword on\n`);
  const r = await cp.ctl(0, ['push', 'haproxy']);
  t.is(r.code, 2);
  t.regex(r.stderr, /VALIDATE_FAILED: haproxy: the peer's validator refused the configuration \(exit 1\); nothing was changed/);
  t.regex(r.stderr, /\[ALERT\].*unknown keyword 'bogus_keyword'/);
  t.is(sha256File(cp.etcFile(1, 'haproxy.cfg')), before);
  t.is(readFileSync(cp.paths[1].applyLog, 'utf8'), applied, 'apply did not run');
  t.is(await cp.http(1), 'release-1');
  t.deepEqual(cp.leftovers(1), []);
  writeFileSync(cp.etcFile(0, 'haproxy.cfg'), HAPROXY_CFG('release-1'));
});

test.serial('an apply failure rolls the files back and applies the old ones again', async (t) => {
  writeFileSync(cp.etcFile(0, 'app.conf'), 'good\n');
  await must(cp.ctl(0, ['push', 'app']));
  rmSync(appLog(cp.unit(1)), { force: true });
  writeFileSync(cp.etcFile(0, 'app.conf'), 'break it\n');
  const r = await cp.ctl(0, ['push', 'app']);
  t.is(r.code, 2);
  t.regex(r.stderr, /APPLY_FAILED: app: apply failed on the peer \(exit 1\); the previous files were restored and applied again/);
  t.is(readFileSync(cp.etcFile(1, 'app.conf'), 'utf8'), 'good\n');
  t.deepEqual(readFileSync(appLog(cp.unit(1)), 'utf8').trim().split('\n'), ['apply', 'reapply-old']);
  t.deepEqual(cp.leftovers(1), []);
  const audit = readFileSync(path.join(cp.paths[1].stateDir, 'audit.log'), 'utf8');
  t.regex(audit, /"op":"rollback".*"code":"APPLY_FAILED"/);
  writeFileSync(cp.etcFile(0, 'app.conf'), 'good\n');
});

/** A push frame as a compromised peer might write it. */
function frame(files: { path: string; data: Buffer; size?: number; sha?: string }[], send: (d: Buffer) => Buffer = (d) => d): Buffer {
  const entries: FileEntry[] = files.map((f) => ({ path: f.path, size: f.size ?? f.data.length, sha256: f.sha ?? createHash('sha256').update(f.data).digest('hex') }));
  const header = { v: 1 as const, service: 'app', from: 1, version: { counter: 99, node: 1, sha256: contentHash(entries) }, expect: null, force: true, files: entries };
  return Buffer.concat([encodeHeader(header), ...files.map((f) => send(f.data)), END_MARKER]);
}

test.serial('hostile frames from a holder of a valid key: traversal, unregistered path, oversize, bad checksum', async (t) => {
  const before = sha256File(cp.etcFile(1, 'app.conf'));
  const passwd = sha256File('/etc/passwd');
  const data = Buffer.from('pwned\n');
  const cases: [string, Buffer, string][] = [
    ['traversal', frame([{ path: `${ETC}/../haproxy/app.conf`, data }]), 'PATH_TRAVERSAL'],
    ['unregistered', frame([{ path: `${ETC}/app.conf`, data }, { path: '/etc/passwd', data }]), 'PATH_UNREGISTERED'],
    ['oversize', frame([{ path: `${ETC}/app.conf`, data: Buffer.alloc(65 * 1024, 0x41) }]), 'PAYLOAD_TOO_LARGE'],
    ['bad checksum', frame([{ path: `${ETC}/app.conf`, data }], () => Buffer.from('PWNED\n')), 'CHECKSUM_MISMATCH'],
    ['not a frame', Buffer.from('rm -rf /\n'), 'PUSH_FRAMING'],
  ];
  for (const [why, bytes, code] of cases) {
    const r = await cp.exec(0, sshArgs(userKey(), 'push app'), bytes);
    t.is(r.code, 1, `${why}: ${r.stderr}`);
    t.is((JSON.parse(r.stdout) as { code: string }).code, code, why);
  }
  t.is(sha256File(cp.etcFile(1, 'app.conf')), before);
  t.is(sha256File('/etc/passwd'), passwd);
  t.deepEqual(cp.leftovers(1), []);
  const shell = await cp.exec(0, sshArgs(userKey(), 'sh -c id'));
  t.regex(shell.stdout, /"code":"BAD_COMMAND"/, 'no shell, only csyncd commands');
});

test.serial('symlinks and device files at registered paths are refused, on either side', async (t) => {
  const secret = path.join(cp.unit(1).dir, 'secret');
  writeFileSync(secret, 'secret\n');
  rmSync(cp.etcFile(1, 'app.conf'));
  symlinkSync(secret, cp.etcFile(1, 'app.conf'));
  writeFileSync(cp.etcFile(0, 'app.conf'), 'through the link\n');
  const r = await cp.ctl(0, ['push', 'app']);
  t.is(r.code, 2);
  t.regex(r.stderr, /PATH_SYMLINK: \/etc\/haproxy\/app\.conf is a symbolic link/);
  t.is(readFileSync(secret, 'utf8'), 'secret\n');
  rmSync(cp.etcFile(1, 'app.conf'));
  writeFileSync(cp.etcFile(1, 'app.conf'), 'good\n');
  rmSync(cp.etcFile(1, 'dev.conf'));
  execFileSync('mknod', [cp.etcFile(1, 'dev.conf'), 'c', '1', '3']);
  const dev = await cp.ctl(0, ['push', 'dev']);
  t.is(dev.code, 2);
  t.regex(dev.stderr, /PATH_NOT_REGULAR: \/etc\/haproxy\/dev\.conf is a char-device/);
  rmSync(cp.etcFile(1, 'dev.conf'));
  writeFileSync(cp.etcFile(1, 'dev.conf'), 'dev\n');
  // A link on the pushing side is refused before anything is sent.
  rmSync(cp.etcFile(0, 'dev.conf'));
  symlinkSync('/etc/shadow', cp.etcFile(0, 'dev.conf'));
  const local = await cp.ctl(0, ['push', 'dev']);
  t.is(local.code, 2);
  t.regex(local.stderr, /PATH_SYMLINK/);
  rmSync(cp.etcFile(0, 'dev.conf'));
  writeFileSync(cp.etcFile(0, 'dev.conf'), 'dev\n');
  t.deepEqual(cp.leftovers(1), []);
});

test.serial('an unknown user key is refused; a peer that dropped our key shows red AUTH_REFUSED', async (t) => {
  const stranger = path.join(cp.pair.dir, 'stranger');
  execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-C', 'stranger', '-f', stranger]);
  const r = await cp.exec(0, sshArgs(stranger, 'status'));
  t.is(r.code, 255);
  t.regex(r.stderr, /Permission denied \(publickey\)/);
  const authorized = path.join(cp.paths[1].configDir, 'csyncd_authorized');
  const saved = readFileSync(authorized, 'utf8');
  writeFileSync(authorized, readFileSync(`${stranger}.pub`));
  await cp.stopDaemon(0);
  cp.start(0);
  await cp.waitReady(0);
  const red = await cp.waitStatus(0, 'red');
  t.regex(red.reason, /^AUTH_REFUSED: the peer at \[198\.18\.0\.2\]:24 refused our user key/);
  writeFileSync(authorized, saved);
  t.true(await waitFor('u1 not red once its key is back', async () => ((await cp.status(0)).status !== 'red' ? true : undefined), 15_000, 300));
});

test.serial('another host answering on REMOTE_IP (man in the middle) is refused: HOST_KEY_CHANGED, red', async (t) => {
  const dir = path.join(cp.unit(1).dir, 'impostor');
  const cfg = path.join(dir, 'csyncd.cfg');
  execFileSync('mkdir', ['-p', dir]);
  writeFileSync(cfg, readFileSync(cp.paths[1].cfg, 'utf8').replace(/state_dir .*/, `state_dir ${dir}/state`));
  await cp.stopDaemon(1);
  await must(cp.ctl(1, ['genkey', '-c', cfg]));
  cp.start(1, cfg, 'u2-impostor');
  await cp.waitReady(1);
  const r = await cp.ctl(0, ['push', 'haproxy']);
  t.is(r.code, 1);
  t.regex(r.stderr, /presented host key SHA256:\S+ \(ssh-ed25519\), but ssh_known_hosts pins SHA256:\S+: possible man in the middle/);
  const red = await cp.waitStatus(0, 'red');
  t.regex(red.reason, /^HOST_KEY_CHANGED: /);
  const ssh = await cp.exec(0, sshArgs(userKey(), 'status'));
  t.is(ssh.code, 255);
  t.regex(ssh.stderr, /REMOTE HOST IDENTIFICATION HAS CHANGED/);
  await cp.stopDaemon(1);
  cp.start(1);
  await cp.waitReady(1);
  const back = await waitFor('u1 not red', async () => ((await cp.status(0)).status !== 'red' ? true : undefined), 15_000, 300);
  t.true(back);
});
