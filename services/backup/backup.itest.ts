/**
 * lbos-backup end to end, as root, on unit trees under temporary roots:
 * a realistic unit (the image's example configurations, keys made by
 * csyncctl genkey, a TLS pair by openssl, a users file as statusd writes it)
 * is archived with bin/lbos-backup and restored onto fresh roots with the
 * services' real binaries (bin/hbd, nicd, csyncd, statusd, paneld) and
 * haproxy as the checks. Refusals are judged by a full tree snapshot of the
 * target before and after.
 */
import test from 'ava';
import { execFile } from 'node:child_process';
import { createHash, randomBytes, scryptSync } from 'node:crypto';
import { promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { gunzipSync, gzipSync } from 'node:zlib';
import { FIXED_ENTRIES } from './core/catalog';

const REPO = path.resolve(__dirname, '..', '..', '..');
const BIN = path.join(REPO, 'bin');
const EXAMPLES = path.join(REPO, 'rootfs/overlay/usr/share/lbos/examples');
const OVERLAY = path.join(REPO, 'rootfs/overlay');

interface Run { code: number; stdout: string; stderr: string }

function run(program: string, args: string[]): Promise<Run> {
  return new Promise((resolve) => {
    execFile(path.join(BIN, program), args, { timeout: 120_000 }, (err, stdout, stderr) => {
      const code = err === null ? 0 : typeof (err as { code?: unknown }).code === 'number' ? ((err as { code: number }).code) : -1;
      resolve({ code, stdout: String(stdout), stderr: String(stderr) });
    });
  });
}

const backup = (...args: string[]): Promise<Run> => run('lbos-backup', args);

async function tempDir(t: { teardown(fn: () => Promise<void>): void }, name: string): Promise<string> {
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), `lbos-backup-itest-${name}-`));
  t.teardown(() => fs.rm(dir, { recursive: true, force: true }));
  return dir;
}

async function put(root: string, p: string, data: string | Buffer, mode = 0o644): Promise<void> {
  const file = path.join(root, p);
  await fs.mkdir(path.dirname(file), { recursive: true });
  await fs.writeFile(file, data, { mode });
  await fs.chmod(file, mode);
}

async function copy(root: string, from: string, p: string): Promise<void> {
  await put(root, p, await fs.readFile(from));
}

function sh(cmd: string, args: string[]): Promise<void> {
  return new Promise((resolve, reject) => execFile(cmd, args, (err, _o, stderr) => (err === null ? resolve() : reject(new Error(`${cmd}: ${String(stderr)}`)))));
}

/** What a fresh appliance has before anyone configured it: the image's services.conf and haproxy.cfg. */
async function freshUnit(root: string): Promise<void> {
  await copy(root, path.join(OVERLAY, 'etc/csyncd/services.conf'), '/etc/csyncd/services.conf');
  await copy(root, path.join(OVERLAY, 'etc/haproxy/haproxy.cfg'), '/etc/haproxy/haproxy.cfg');
  await fs.mkdir(path.join(root, 'var/lib/lbos/statusd'), { recursive: true });
}

/** csyncd's keys as csyncctl genkey makes them (its audit log stays under the root). */
async function genkey(root: string, cfgText: string): Promise<void> {
  await put(root, '/etc/csyncd/csyncd.cfg', `${cfgText}state_dir ${path.join(root, 'var/lib/lbos/csyncd')}\n`);
  const r = await run('csyncctl', ['genkey', '-c', path.join(root, 'etc/csyncd/csyncd.cfg')]);
  if (r.code !== 0) throw new Error(`csyncctl genkey: ${r.stderr}`);
}

/** A configured unit: every file of the allow-list, realistic content. */
async function configuredUnit(root: string): Promise<void> {
  await freshUnit(root);
  await copy(root, path.join(EXAMPLES, 'network.conf'), '/etc/lbos/network.conf');
  await copy(root, path.join(OVERLAY, 'etc/lbos/paneld.conf'), '/etc/lbos/paneld.conf');
  await put(root, '/etc/lbos/statusd.conf', 'https_port 9443\nsession_idle 30min\n');
  await copy(root, path.join(EXAMPLES, 'ha.d/ha.cf'), '/etc/ha.d/ha.cf');
  await copy(root, path.join(EXAMPLES, 'ha.d/haresources'), '/etc/ha.d/haresources');
  await put(root, '/etc/ha.d/authkeys', `auth 3\n3 sha256 ${randomBytes(32).toString('hex')}\n`, 0o600);
  await genkey(root, await fs.readFile(path.join(EXAMPLES, 'csyncd/csyncd.cfg'), 'utf8'));
  // The peer's keys as getkey pins them, and the management password's hash.
  const peer = path.join(root, 'peer_key');
  await sh('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-C', 'csyncd@node2', '-f', peer]);
  const pub = (await fs.readFile(`${peer}.pub`, 'utf8')).trim();
  await fs.rm(peer);
  await fs.rm(`${peer}.pub`);
  await put(root, '/etc/csyncd/ssh_known_hosts', `[10.0.32.12]:24 ${pub}\n`);
  await put(root, '/etc/csyncd/csyncd_authorized', `${pub}\n`, 0o600);
  const salt = randomBytes(16).toString('base64');
  await put(root, '/etc/csyncd/accounts', `admin:scrypt:16384:8:1:${salt}:${scryptSync('pw', salt, 32, { N: 16384 }).toString('base64')}\n`, 0o600);
  const hash = scryptSync('secret', Buffer.alloc(16, 7), 32, { N: 16384 });
  await put(root, '/var/lib/lbos/statusd/users', `# statusd users\nadmin:scrypt$16384$8$1$${Buffer.alloc(16, 7).toString('base64')}$${hash.toString('base64')}\n`, 0o600);
  const tls = path.join(root, 'var/lib/lbos/statusd/tls');
  await fs.mkdir(tls, { recursive: true, mode: 0o700 });
  await sh('openssl', ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-days', '30', '-subj', '/CN=lbmaster', '-keyout', path.join(tls, 'key.pem'), '-out', path.join(tls, 'cert.pem')]);
  await fs.chmod(path.join(tls, 'key.pem'), 0o600);
  await fs.chmod(path.join(tls, 'cert.pem'), 0o644);
}

/** Every entry under a root: type, mode, owner, content hash. */
async function snapshot(root: string): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  async function walk(dir: string): Promise<void> {
    for (const name of (await fs.readdir(dir)).sort()) {
      const file = path.join(dir, name);
      const st = await fs.lstat(file);
      const rel = path.relative(root, file);
      if (st.isDirectory()) {
        out[rel] = `dir ${(st.mode & 0o7777).toString(8)} ${st.uid}:${st.gid}`;
        await walk(file);
      } else {
        const hash = st.isFile() ? createHash('sha256').update(await fs.readFile(file)).digest('hex') : 'other';
        out[rel] = `file ${(st.mode & 0o7777).toString(8)} ${st.uid}:${st.gid} ${st.size} ${hash} ${st.mtimeMs}`;
      }
    }
  }
  await walk(root);
  return out;
}

async function sameFile(t: { is(a: unknown, b: unknown, m?: string): void }, a: string, b: string, p: string): Promise<void> {
  const [fa, fb] = [path.join(a, p), path.join(b, p)];
  t.is((await fs.readFile(fb)).toString('base64'), (await fs.readFile(fa)).toString('base64'), `${p}: content`);
  t.is((await fs.stat(fb)).mode & 0o7777, (await fs.stat(fa)).mode & 0o7777, `${p}: mode`);
}

const PLAIN_PATHS = ['/etc/lbos/network.conf', '/etc/lbos/paneld.conf', '/etc/lbos/statusd.conf', '/etc/ha.d/ha.cf', '/etc/ha.d/haresources', '/etc/csyncd/csyncd.cfg', '/etc/csyncd/services.conf', '/etc/haproxy/haproxy.cfg', '/var/lib/lbos/statusd/users'];

async function rewrite(archive: string, out: string, change: (doc: { files: { path: string; data: string; sha256: string; size: number }[] }) => void): Promise<void> {
  const doc = JSON.parse(gunzipSync(await fs.readFile(archive)).toString('utf8')) as { files: { path: string; data: string; sha256: string; size: number }[] };
  change(doc);
  await fs.writeFile(out, gzipSync(JSON.stringify(doc)));
}

test('plain archive: created 0600 without keys, restored onto a fresh unit file for file, then unchanged', async (t) => {
  const [a, b, work] = [await tempDir(t, 'a'), await tempDir(t, 'b'), await tempDir(t, 'w')];
  await configuredUnit(a);
  await freshUnit(b);
  await genkey(b, 'LOCAL_IP=10.0.32.11\nREMOTE_IP=10.0.32.12\nLOCAL_NODE=1\nREMOTE_NODE=2\n');
  const archive = path.join(work, 'unit.lbos-backup');
  const c = await backup('create', '-o', archive, '--root', a);
  t.is(c.code, 0, c.stderr);
  t.is((await fs.stat(archive)).mode & 0o777, 0o600);
  t.regex(c.stdout, /: 9 files of .*not encrypted, no keys/);
  const bytes = await fs.readFile(archive);
  t.deepEqual([bytes[0], bytes[1]], [0x1f, 0x8b]);
  t.false(gunzipSync(bytes).toString().includes('"/etc/ha.d/authkeys"'), 'no keys without --with-keys');

  const keyBefore = await fs.readFile(path.join(b, 'etc/csyncd/host_key'));
  const r = await backup('restore', archive, '--root', b, '--bin-dir', BIN);
  t.is(r.code, 0, r.stderr);
  for (const check of ['nicd --check-config', 'hbd --check-config (node lbmaster)', 'csyncd --check-config', 'statusd --check-config', 'paneld --check-config', 'users file format', 'haproxy: haproxy -c -f']) {
    t.regex(r.stdout, new RegExp(`ok +${check.replace(/[()]/g, '\\$&')}`), check);
  }
  t.regex(r.stdout, /added +\/etc\/ha\.d\/ha\.cf +ha, mode 0644/);
  t.regex(r.stdout, /unchanged +\/etc\/haproxy\/haproxy\.cfg/);
  t.regex(r.stdout, /changed +\/etc\/csyncd\/csyncd\.cfg/);
  t.regex(r.stdout, /systemctl try-restart hbd\.service/);
  t.regex(r.stdout, /not run: --root .* is not this unit's root/);
  for (const p of PLAIN_PATHS) await sameFile(t, a, b, p);
  t.deepEqual(await fs.readFile(path.join(b, 'etc/csyncd/host_key')), keyBefore, 'the unit keeps its own keys');

  const again = await backup('restore', archive, '--root', b, '--bin-dir', BIN);
  t.is(again.code, 0, again.stderr);
  t.regex(again.stdout, /0 changed, 0 added, 9 unchanged/);
  t.regex(again.stdout, /units: nothing to reload or restart/);
});

test('with keys: encrypted, refused without a passphrase, restored whole onto an empty unit; wrong passphrase changes nothing', async (t) => {
  const [a, c, work] = [await tempDir(t, 'a'), await tempDir(t, 'c'), await tempDir(t, 'w')];
  await configuredUnit(a);
  await freshUnit(c);
  const pass = path.join(work, 'pass');
  await fs.writeFile(pass, 'a long passphrase for the test\n', { mode: 0o600 });
  const archive = path.join(work, 'keys.lbos-backup');

  const none = await backup('create', '-o', archive, '--root', a, '--with-keys');
  t.is(none.code, 64, none.stderr);
  t.regex(none.stderr, /--with-keys needs a passphrase/);
  await t.throwsAsync(fs.stat(archive), undefined, 'no archive written');

  const made = await backup('create', '-o', archive, '--root', a, '--with-keys', '--passphrase-file', pass);
  t.is(made.code, 0, made.stderr);
  t.regex(made.stdout, /19 files .*encrypted \(AES-256-GCM, scrypt\), with keys/);
  const bytes = await fs.readFile(archive);
  t.is(bytes.subarray(0, 8).toString(), 'LBOSBKE1');
  t.false(bytes.includes(Buffer.from('authkeys')), 'nothing readable without the passphrase');

  const wrong = path.join(work, 'wrong');
  await fs.writeFile(wrong, 'not the passphrase\n');
  const before = await snapshot(c);
  const w = await backup('restore', archive, '--root', c, '--bin-dir', BIN, '--passphrase-file', wrong);
  t.is(w.code, 65);
  t.regex(w.stderr, /wrong passphrase for this archive/);
  const noPass = await backup('restore', archive, '--root', c, '--bin-dir', BIN);
  t.is(noPass.code, 64);
  t.regex(noPass.stderr, /is encrypted: give --passphrase-file/);
  t.deepEqual(await snapshot(c), before);

  const dry = await backup('restore', archive, '--root', c, '--bin-dir', BIN, '--passphrase-file', pass, '--dry-run');
  t.is(dry.code, 0, dry.stderr);
  t.regex(dry.stdout, /would be added +\/etc\/ha\.d\/authkeys +keys, mode 0600/);
  t.deepEqual(await snapshot(c), before, 'a dry run writes nothing');

  const r = await backup('restore', archive, '--root', c, '--bin-dir', BIN, '--passphrase-file', pass);
  t.is(r.code, 0, r.stderr);
  for (const e of FIXED_ENTRIES) await sameFile(t, a, c, e.path);
  await sameFile(t, a, c, '/etc/haproxy/haproxy.cfg');
  t.is((await fs.stat(path.join(c, 'var/lib/lbos/statusd/tls'))).mode & 0o777, 0o700);
});

test('tampered archives are refused and the unit is left exactly as it was', async (t) => {
  const [a, b, work] = [await tempDir(t, 'a'), await tempDir(t, 'b'), await tempDir(t, 'w')];
  await configuredUnit(a);
  await configuredUnit(b);
  await put(b, '/etc/ha.d/ha.cf', `${await fs.readFile(path.join(EXAMPLES, 'ha.d/ha.cf'), 'utf8')}# unit b\n`);
  const archive = path.join(work, 'unit.lbos-backup');
  t.is((await backup('create', '-o', archive, '--root', a)).code, 0);
  const before = await snapshot(b);

  // A flipped byte: gzip's CRC (or the JSON, or a sha256) catches it.
  const flipped = Buffer.from(await fs.readFile(archive));
  const at = Math.floor(flipped.length / 2);
  flipped[at] = (flipped[at] ?? 0) ^ 0x10;
  await fs.writeFile(path.join(work, 'flipped'), flipped);
  const f = await backup('restore', path.join(work, 'flipped'), '--root', b, '--bin-dir', BIN);
  t.is(f.code, 65, f.stderr);
  t.regex(f.stderr, /does not decompress|not JSON|sha256 does not match/);

  // A content change without a new sha256.
  await rewrite(archive, path.join(work, 'edited'), (doc) => {
    const file = doc.files.find((x) => x.path === '/etc/ha.d/haresources');
    if (file !== undefined) file.data = Buffer.from('lbmaster IPaddr2::6.6.6.6/24/eth0\n').toString('base64');
    if (file !== undefined) file.size = 34;
  });
  const e = await backup('restore', path.join(work, 'edited'), '--root', b, '--bin-dir', BIN);
  t.is(e.code, 65);
  t.regex(e.stderr, /\/etc\/ha\.d\/haresources: sha256 does not match the content/);

  // An escaping path, consistent hashes and all.
  await rewrite(archive, path.join(work, 'escape'), (doc) => {
    const shadow = Buffer.from('root::0:0:99999:7:::\n');
    doc.files.push({ ...doc.files[0]!, path: '../../etc/shadow', data: shadow.toString('base64'), size: shadow.length, sha256: createHash('sha256').update(shadow).digest('hex') });
  });
  const x = await backup('restore', path.join(work, 'escape'), '--root', b, '--bin-dir', BIN);
  t.is(x.code, 65);
  t.regex(x.stderr, /"\.\.\/\.\.\/etc\/shadow": refused: the path is not absolute/);

  // Consistent hashes, but ha.cf has a directive hbd refuses: hbd's own check says no.
  await rewrite(archive, path.join(work, 'bogus'), (doc) => {
    const file = doc.files.find((y) => y.path === '/etc/ha.d/ha.cf');
    const data = Buffer.from(`${Buffer.from(file!.data, 'base64').toString()}bogus_directive 1\n`);
    Object.assign(file!, { data: data.toString('base64'), size: data.length, sha256: createHash('sha256').update(data).digest('hex') });
  });
  const h = await backup('restore', path.join(work, 'bogus'), '--root', b, '--bin-dir', BIN);
  t.is(h.code, 78);
  t.regex(h.stderr, /refused +hbd --check-config/);
  t.regex(h.stderr, /\/etc\/ha\.d\/ha\.cf:\d+: bogus_directive: unknown directive/);
  t.regex(h.stderr, /nothing was changed/);

  t.deepEqual(await snapshot(b), before, 'no refusal changed the unit');
});
