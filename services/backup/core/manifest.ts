/**
 * The archive document (README "Archive format") and its check. An archive
 * is outside input: checkArchive reads it whole and lists every problem
 * (format, paths, allow-list, sizes, sha256) before anything else happens.
 */
import { createHash } from 'node:crypto';
import { fixedEntry, syncedPathProblem, SERVICES_CONF, type Category, type Owner } from './catalog';
import { archivePathProblem, quotePath } from './path-safety';
import { parseServicesConf, syncedFiles } from './services-conf';

export const FORMAT = 'lbos-backup';
export const FORMAT_VERSION = 1;
/** Per file; services.conf's own default max_size. */
export const MAX_FILE_BYTES = 16 * 1024 * 1024;
export const MAX_FILES = 512;

/** One file as stored in the archive. */
export interface FileRecord {
  path: string;
  category: Category;
  /** Permission bits (e.g. 0o600), as the unit had them. */
  mode: number;
  uid: number;
  gid: number;
  size: number;
  /** Hex SHA-256 of the content. */
  sha256: string;
  /** Content, base64. */
  data: string;
}

/** The whole archive document (gzip'ed JSON; encrypted around that with a passphrase). */
export interface ArchiveDoc {
  format: typeof FORMAT;
  version: number;
  product: { name: string; version: string };
  hostname: string;
  /** ISO 8601, UTC. */
  created: string;
  withKeys: boolean;
  files: FileRecord[];
}

/** A checked file, content decoded and its owner known. */
export interface ArchivedFile {
  path: string;
  category: Category;
  owner: Owner;
  secret: boolean;
  /** For owner 'synced': the csyncd service naming the file. */
  service: string | null;
  mode: number;
  uid: number;
  gid: number;
  sha256: string;
  data: Buffer;
}

export interface CheckedArchive {
  doc: Omit<ArchiveDoc, 'files'>;
  files: ArchivedFile[];
}

export function sha256Hex(data: Uint8Array): string {
  return createHash('sha256').update(data).digest('hex');
}

/** A record for `create`. */
export function fileRecord(path: string, category: Category, stat: { mode: number; uid: number; gid: number }, data: Buffer): FileRecord {
  return { path, category, mode: stat.mode & 0o7777, uid: stat.uid, gid: stat.gid, size: data.length, sha256: sha256Hex(data), data: data.toString('base64') };
}

/** The category and owner of a path: a fixed entry, or a file the archive's services.conf names for a service. */
export function classify(path: string, synced: ReadonlyMap<string, string>):
  | { ok: true; category: Category; owner: Owner; secret: boolean; service: string | null }
  | { ok: false; problem: string } {
  const fixed = fixedEntry(path);
  if (fixed !== undefined) return { ok: true, category: fixed.category, owner: fixed.owner, secret: fixed.secret, service: null };
  const service = synced.get(path);
  if (service === undefined) return { ok: false, problem: 'not a file lbos-backup restores (not in its allow-list, nor named by the archive\'s services.conf)' };
  const why = syncedPathProblem(path);
  if (why !== null) return { ok: false, problem: why };
  return { ok: true, category: 'sync', owner: 'synced', secret: false, service };
}

const B64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;
const isObj = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const isUint = (v: unknown, max: number): v is number => typeof v === 'number' && Number.isSafeInteger(v) && v >= 0 && v <= max;

/**
 * Every problem of a parsed archive document, or the checked archive.
 * `encrypted`: keys are accepted only inside an encrypted archive.
 */
export function checkArchive(raw: unknown, encrypted: boolean): { ok: true; archive: CheckedArchive } | { ok: false; problems: string[] } {
  if (!isObj(raw)) return { ok: false, problems: ['not an lbos-backup archive (no manifest object)'] };
  if (raw.format !== FORMAT) return { ok: false, problems: [`not an lbos-backup archive (format ${quotePath(raw.format)})`] };
  if (raw.version !== FORMAT_VERSION) return { ok: false, problems: [`archive format version ${String(raw.version)}: this lbos-backup reads version ${FORMAT_VERSION} only`] };
  const problems: string[] = [];
  const product = isObj(raw.product) && typeof raw.product.name === 'string' && typeof raw.product.version === 'string' ? { name: raw.product.name, version: raw.product.version } : null;
  if (product === null) problems.push('manifest: product missing');
  if (typeof raw.hostname !== 'string' || raw.hostname.length > 253) problems.push('manifest: hostname missing');
  if (typeof raw.created !== 'string' || Number.isNaN(Date.parse(raw.created))) problems.push('manifest: created is not a date');
  if (typeof raw.withKeys !== 'boolean') problems.push('manifest: withKeys missing');
  if (!Array.isArray(raw.files)) return { ok: false, problems: [...problems, 'manifest: files is not a list'] };
  if (raw.files.length > MAX_FILES) return { ok: false, problems: [...problems, `manifest: ${raw.files.length} files, at most ${MAX_FILES}`] };

  // Decode first: the allow-list of synced files comes from the archive's own services.conf.
  const decoded: { rec: Record<string, unknown>; path: string; data: Buffer }[] = [];
  const seen = new Set<string>();
  raw.files.forEach((rec: unknown, i) => {
    if (!isObj(rec)) return problems.push(`file #${i + 1}: not an object`);
    const why = archivePathProblem(rec.path);
    if (why !== null) return problems.push(`file #${i + 1} ${quotePath(rec.path)}: refused: ${why}`);
    const path = rec.path as string;
    if (seen.has(path)) return problems.push(`${path}: appears twice`);
    seen.add(path);
    if (typeof rec.data !== 'string' || !B64.test(rec.data)) return problems.push(`${path}: content is not base64`);
    const data = Buffer.from(rec.data, 'base64');
    if (data.length > MAX_FILE_BYTES) return problems.push(`${path}: ${data.length} bytes, at most ${MAX_FILE_BYTES}`);
    if (rec.size !== data.length) return problems.push(`${path}: size ${String(rec.size)} in the manifest, ${data.length} bytes stored`);
    if (typeof rec.sha256 !== 'string' || rec.sha256 !== sha256Hex(data)) return problems.push(`${path}: sha256 does not match the content (archive damaged or altered)`);
    decoded.push({ rec, path, data });
  });

  const conf = decoded.find((d) => d.path === SERVICES_CONF);
  const synced = syncedFiles(conf === undefined ? [] : parseServicesConf(conf.data.toString('utf8')));
  const files: ArchivedFile[] = [];
  for (const { rec, path, data } of decoded) {
    const c = classify(path, synced);
    if (!c.ok) {
      problems.push(`${quotePath(path)}: refused: ${c.problem}`);
      continue;
    }
    if (rec.category !== c.category) problems.push(`${path}: category ${quotePath(rec.category)} in the manifest, ${c.category} by the allow-list`);
    if (c.category === 'keys' && !encrypted) problems.push(`${path}: a key in an unencrypted archive (lbos-backup encrypts every archive made --with-keys)`);
    if (!isUint(rec.mode, 0o7777) || !isUint(rec.uid, 2 ** 32 - 1) || !isUint(rec.gid, 2 ** 32 - 1)) {
      problems.push(`${path}: mode, uid or gid missing or out of range`);
      continue;
    }
    files.push({ path, category: c.category, owner: c.owner, secret: c.secret, service: c.service, mode: rec.mode, uid: rec.uid, gid: rec.gid, sha256: sha256Hex(data), data });
  }
  if (problems.length > 0 || product === null) return { ok: false, problems };
  const doc = { format: FORMAT, version: FORMAT_VERSION, product, hostname: raw.hostname as string, created: raw.created as string, withKeys: raw.withKeys as boolean } as const;
  return { ok: true, archive: { doc, files } };
}
