/**
 * The ALOHA procedure end to end on a simulated pair, with real haproxy:
 * genkey on both, getkey on both (by password and by fingerprint), push,
 * save --remote, status green; a local edit turns it orange; the stock
 * OpenSSH client runs `status` with the exchanged keys.
 */
import test from 'ava';
import { readFileSync, statSync, unlinkSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { spawnSync } from 'node:child_process';
import { waitFor } from '../../scripts/sim/exec';
import { contentHash } from './core/version';
import { CsyncPair, CSYNCD_MAIN, HAPROXY_CFG, PASSWORD, logsOfLastPair, must, sha256File } from './testing/csync-pair';

test.afterEach.always((t) => {
  if (!t.passed) t.log(logsOfLastPair());
});

test('csyncd without keys or with a bad csyncd.cfg: exit 78, every problem as file:line', async (t) => {
  const cp = await CsyncPair.create();
  t.teardown(() => cp.stop());
  const code = await cp.start(0).exited;
  t.is(code, 78);
  t.regex(cp.log(0), /host_key: missing: run "csyncctl genkey"/);
  writeFileSync(cp.paths[0].cfg, 'LOCAL_IP=198.18.0.1\nREMOTE_IP=198.18.0.1\nLOCAL_NODE=1\nREMOTE_NODE=1\nport 99999\n');
  const r = spawnSync(process.execPath, [CSYNCD_MAIN(), '--check-config', '-c', cp.paths[0].cfg], { encoding: 'utf8', env: { ...process.env, DBUS_SYSTEM_BUS_ADDRESS: 'unix:path=/nonexistent' } });
  t.is(r.status, 78);
  t.regex(r.stderr, /csyncd\.cfg:2: REMOTE_IP: must differ from LOCAL_IP/);
  t.regex(r.stderr, /csyncd\.cfg:4: REMOTE_NODE: must differ from LOCAL_NODE/);
  t.regex(r.stderr, /csyncd\.cfg:5: port: 99999 is out of range/);
});

test('first start with --genkey-if-none: csyncd makes its keys once; one key without the other is refused', async (t) => {
  const cp = await CsyncPair.create();
  t.teardown(() => cp.stop());
  cp.start(0, undefined, undefined, ['--genkey-if-none']);
  await cp.waitReady(0);
  t.regex(cp.log(0), /new Ed25519 keys for node 1 in /);
  const shown = (await must(cp.ctl(0, ['showkey']))).stdout;
  const fp = /host key\s+(SHA256:\S+)/.exec(shown)?.[1];
  t.truthy(fp, shown);
  t.true(cp.log(0).includes(fp ?? '-'), 'the fingerprint logged at start is the one showkey prints');
  const dir = cp.paths[0].configDir;
  t.is(statSync(path.join(dir, 'host_key')).mode & 0o777, 0o600);
  const audit = readFileSync(path.join(cp.paths[0].stateDir, 'audit.log'), 'utf8');
  t.regex(audit, /"op":"genkey","who":"csyncd"/);
  // A restart keeps them.
  await cp.stopDaemon(0);
  cp.start(0, undefined, 'u1-csyncd-again', ['--genkey-if-none']);
  await cp.waitReady(0);
  t.is((await must(cp.ctl(0, ['showkey']))).stdout, shown);
  await cp.stopDaemon(0);
  // Damage (the user key lost) is not a first start: reported, not papered over.
  unlinkSync(path.join(dir, 'user_key'));
  t.is(await cp.start(0, undefined, 'u1-csyncd-damaged', ['--genkey-if-none']).exited, 78);
  t.regex(readFileSync(path.join(cp.pair.dir, 'u1-csyncd-damaged.log'), 'utf8'), /user_key: missing: run "csyncctl genkey"/);
});

test('the ALOHA procedure: genkey, getkey, push, save --remote -> green; a local edit -> orange', async (t) => {
  const cp = await CsyncPair.create();
  t.teardown(() => cp.stop());
  const [p1, p2] = cp.paths;
  // 1. genkey on both units (csyncd stopped), management passwords set.
  const g = await must(cp.ctl(0, ['genkey']));
  t.regex(g.stdout, /host key {2}SHA256:\S{43} \(ssh-ed25519, csyncd@node1\)/);
  await must(cp.ctl(1, ['genkey']));
  for (const f of ['host_key', 'user_key']) t.is(statSync(path.join(p1.configDir, f)).mode & 0o777, 0o600, `${f} is 0600`);
  await must(cp.ctl(0, ['passwd'], { env: { CSYNCD_PASSWORD: PASSWORD } }));
  await must(cp.ctl(1, ['passwd', '--password-file', '-'], { input: `${PASSWORD}\n` }));
  // 2. start csyncd on both; genkey is now refused.
  await cp.startAll();
  const refused = await cp.ctl(0, ['genkey']);
  t.is(refused.code, 69);
  t.regex(refused.stderr, /csyncd is running: stop it first/);
  t.is((await cp.status(0)).linkError?.code, 'NO_PEER_KEYS');
  // 3. getkey: a wrong password and a wrong fingerprint store nothing.
  const wrong = await cp.ctl(0, ['getkey', '--password-file', '-'], { input: 'not-the-password\n' });
  t.is(wrong.code, 1);
  t.regex(wrong.stderr, /PASSWORD_MISMATCH|does not match the peer's proof/);
  const badFp = await cp.ctl(1, ['getkey', '--fingerprint', `SHA256:${'A'.repeat(43)}`]);
  t.regex(badFp.stderr, /is SHA256:\S+, not SHA256:A+: wrong fingerprint or a man in the middle/);
  t.throws(() => readFileSync(path.join(p1.configDir, 'ssh_known_hosts')));
  // 4. getkey on u1 by the peer's admin password, on u2 by u1's fingerprint.
  const k1 = await must(cp.ctl(0, ['getkey', '--password-file', '-'], { input: `${PASSWORD}\n` }));
  t.regex(k1.stdout, /peer \[198\.18\.0\.2\]:24 is node 2:[\s\S]*authenticated by the password of account admin/);
  const fp = /getkey --fingerprint (SHA256:\S+)/.exec((await must(cp.ctl(0, ['showkey']))).stdout)?.[1] ?? '';
  await must(cp.ctl(1, ['getkey', '--fingerprint', fp]));
  const kh = readFileSync(path.join(p1.configDir, 'ssh_known_hosts'), 'utf8');
  t.regex(kh, /^\[198\.18\.0\.2\]:24 ssh-ed25519 AAAA\S+ csyncd@node2\n$/);
  t.regex(readFileSync(path.join(p2.configDir, 'csyncd_authorized'), 'utf8'), /^ssh-ed25519 AAAA\S+ csyncd@node1\n$/);
  t.is(statSync(path.join(p2.configDir, 'csyncd_authorized')).mode & 0o777, 0o600);
  // OpenSSH agrees on the fingerprint getkey printed.
  const lf = spawnSync('ssh-keygen', ['-lf', path.join(p2.configDir, 'ssh_known_hosts')], { encoding: 'utf8' });
  t.true(lf.stdout.includes(fp), `${lf.stdout} has ${fp}`);
  // 5. haproxy runs on u2; sync works but the configs differ: orange.
  cp.startHaproxy(1);
  await waitFor('haproxy on u2', async () => (await cp.http(1)) === 'unit2', 10_000, 200);
  t.is((await cp.waitStatus(0, 'orange')).services[0]?.state, 'differs');
  // 6. push haproxy from u1, save on both: green.
  writeFileSync(cp.etcFile(0, 'haproxy.cfg'), HAPROXY_CFG('release-1'));
  await must(cp.ctl(0, ['save']));
  const pushed = await must(cp.ctl(0, ['push', 'haproxy']));
  t.regex(pushed.stdout, /^haproxy: pushed, validated and applied on the peer \(v\d+@node1 [0-9a-f]{8}, \d+ B, \d+ ms\)/);
  t.is(sha256File(cp.etcFile(1, 'haproxy.cfg')), sha256File(cp.etcFile(0, 'haproxy.cfg')));
  await waitFor('u2 haproxy reloaded with release-1', async () => (await cp.http(1)) === 'release-1', 10_000, 200);
  t.is((await cp.status(0)).services[0]?.state, 'peer-unsaved');
  await must(cp.ctl(0, ['save', '--remote']));
  const green = await cp.waitStatus(0, 'green');
  t.is(green.reason, '1 service in sync and saved on both units');
  await cp.waitStatus(1, 'green');
  const text = (await must(cp.ctl(0, ['status']))).stdout;
  t.regex(text, /Status: GREEN/);
  t.regex(text, /haproxy {2}in-sync/);
  // 7. a local edit on u1: orange, "changed on this unit".
  writeFileSync(cp.etcFile(0, 'haproxy.cfg'), HAPROXY_CFG('release-2'));
  const orange = await cp.waitStatus(0, 'orange');
  t.regex(orange.reason, /haproxy: differs \(changed on this unit since the last sync/);
  // 8. the stock OpenSSH client with the exchanged keys.
  const ssh = await cp.exec(0, ['ssh', '-F', '/dev/null', '-p', '24', '-i', path.join(p1.configDir, 'user_key'), '-o', `UserKnownHostsFile=${path.join(p1.configDir, 'ssh_known_hosts')}`, '-o', 'StrictHostKeyChecking=yes', '-o', 'BatchMode=yes', 'admin@198.18.0.2', 'status']);
  t.is(ssh.code, 0, ssh.stderr);
  t.regex(ssh.stdout, /^csyncd node 2 \(198\.18\.0\.2 port 24\) -> peer node 1/);
  t.regex(ssh.stdout, /Status: (ORANGE|GREEN)/);
  // 9. the audit log on u2 names who pushed what.
  const audit = readFileSync(path.join(p2.stateDir, 'audit.log'), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
  const push = audit.find((a) => a.op === 'push-in' && a.result === 'ok');
  t.like(push, { service: 'haproxy', who: { user: 'admin', node: 1 }, to: contentHash([{ path: '/etc/haproxy/haproxy.cfg', sha256: sha256File(cp.etcFile(1, 'haproxy.cfg')) }]) });
  t.true(audit.some((a) => a.op === 'save' && a.who !== 'dbus'), 'save --remote audited on u2');
  t.deepEqual(cp.leftovers(1), []);
});
