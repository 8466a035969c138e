import test from 'ava';
import { checkArchive, fileRecord, FORMAT, FORMAT_VERSION, type ArchiveDoc, type FileRecord } from './manifest';
import type { Category } from './catalog';

const SERVICES = 'service haproxy\n  file /etc/haproxy/haproxy.cfg\n  validate haproxy -c -f {file}\n';

function rec(path: string, category: Category, text: string, mode = 0o644): FileRecord {
  return fileRecord(path, category, { mode: 0o100000 | mode, uid: 0, gid: 0 }, Buffer.from(text));
}

function doc(files: FileRecord[], over: Partial<ArchiveDoc> = {}): ArchiveDoc {
  return { format: FORMAT, version: FORMAT_VERSION, product: { name: 'LBOS', version: '0.1.0' }, hostname: 'lbmaster', created: '2026-12-08T00:00:00.000Z', withKeys: false, files, ...over };
}

const GOOD = [rec('/etc/ha.d/ha.cf', 'ha', 'node a\n'), rec('/etc/csyncd/services.conf', 'sync', SERVICES), rec('/etc/haproxy/haproxy.cfg', 'sync', 'global\n')];

test('a good archive: files with owners, synced ones from its services.conf', (t) => {
  const r = checkArchive(JSON.parse(JSON.stringify(doc(GOOD))), false);
  if (!r.ok) return t.fail(r.problems.join('\n'));
  t.deepEqual(r.archive.files.map((f) => [f.path, f.category, f.owner, f.service, f.mode]), [
    ['/etc/ha.d/ha.cf', 'ha', 'hbd', null, 0o644],
    ['/etc/csyncd/services.conf', 'sync', 'csyncd', null, 0o644],
    ['/etc/haproxy/haproxy.cfg', 'sync', 'synced', 'haproxy', 0o644],
  ]);
  t.is(r.archive.files[0]?.data.toString(), 'node a\n');
});

test('format and version are checked first', (t) => {
  t.deepEqual(checkArchive({ format: 'tar' }, false), { ok: false, problems: ['not an lbos-backup archive (format "tar")'] });
  t.deepEqual(checkArchive({ ...doc(GOOD), version: 2 }, false), { ok: false, problems: ['archive format version 2: this lbos-backup reads version 1 only'] });
  t.like(checkArchive([], false), { ok: false });
});

test('every problem is listed: escape, unknown path, shadow via services.conf, sha256, size, keys in clear', (t) => {
  const evil = 'service x\n  file /etc/shadow\n';
  const tampered = rec('/etc/ha.d/haresources', 'ha', 'lbmaster 10.0.0.1/24\n');
  tampered.data = Buffer.from('lbmaster 6.6.6.6/24\n').toString('base64');
  tampered.size = 20;
  const short = rec('/etc/lbos/network.conf', 'network', 'hostname a\n');
  short.size = 3;
  const r = checkArchive(doc([
    rec('/etc/csyncd/services.conf', 'sync', evil),
    { ...rec('/etc/ha.d/ha.cf', 'ha', 'x'), path: '../../etc/shadow' },
    rec('/etc/motd', 'sync', 'hi'),
    rec('/etc/shadow', 'sync', 'root::0:0'),
    tampered,
    short,
    rec('/etc/ha.d/authkeys', 'keys', 'auth 1\n', 0o600),
    rec('/etc/ha.d/ha.cf', 'network', 'x'),
  ]), false);
  if (r.ok) return t.fail('accepted');
  t.deepEqual(r.problems, [
    'file #2 "../../etc/shadow": refused: the path is not absolute',
    '/etc/ha.d/haresources: sha256 does not match the content (archive damaged or altered)',
    '/etc/lbos/network.conf: size 3 in the manifest, 11 bytes stored',
    '"/etc/motd": refused: not a file lbos-backup restores (not in its allow-list, nor named by the archive\'s services.conf)',
    '"/etc/shadow": refused: a synced service may not own /etc/shadow (under /etc/shadow: not restorable as a synced file)',
    '/etc/ha.d/authkeys: a key in an unencrypted archive (lbos-backup encrypts every archive made --with-keys)',
    '/etc/ha.d/ha.cf: category "network" in the manifest, ha by the allow-list',
  ]);
});

test('duplicates, bad base64 and bad modes are refused; keys pass in an encrypted archive', (t) => {
  const bad = rec('/etc/lbos/paneld.conf', 'network', 'x');
  bad.data = '%%%';
  const r = checkArchive(doc([rec('/etc/ha.d/ha.cf', 'ha', 'a'), rec('/etc/ha.d/ha.cf', 'ha', 'a'), bad, { ...rec('/etc/lbos/statusd.conf', 'network', 'x'), mode: -1 }]), false);
  t.like(r, { ok: false, problems: ['/etc/ha.d/ha.cf: appears twice', '/etc/lbos/paneld.conf: content is not base64', '/etc/lbos/statusd.conf: mode, uid or gid missing or out of range'] });
  const k = checkArchive(doc([rec('/etc/ha.d/authkeys', 'keys', 'auth 1\n', 0o600)], { withKeys: true }), true);
  t.true(k.ok);
  if (k.ok) t.like(k.archive.files[0], { owner: 'hbd', secret: true, category: 'keys' });
});
