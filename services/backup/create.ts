/**
 * lbos-backup create: collects the unit's configuration into one archive
 * (README "What an archive holds"), encrypted when it holds keys, written
 * tmp -> fsync -> rename -> fsync dir with mode 0600.
 */
import * as path from 'node:path';
import { writeFileAtomic } from '../runtime/atomic-file';
import { FIXED_ENTRIES, SERVICES_CONF, syncedPathProblem } from './core/catalog';
import { encodeArchive } from './core/codec';
import { fileRecord, FORMAT, FORMAT_VERSION, type ArchiveDoc, type FileRecord } from './core/manifest';
import { parseServicesConf } from './core/services-conf';
import { productVersion, unitHostname } from './adapters/identity';
import { readUnitFile } from './adapters/unit-files';
import { backupError } from './errors';

export interface CreateOptions {
  root: string;
  output: string;
  withKeys: boolean;
  /** Encrypts the archive (required with withKeys). */
  passphrase: string | null;
  now: Date;
}

export interface CreateResult {
  doc: ArchiveDoc;
  bytes: number;
  /** Paths of the allow-list the unit does not have. */
  absent: string[];
}

export async function createArchive(o: CreateOptions): Promise<CreateResult> {
  if (o.withKeys && o.passphrase === null) throw backupError('PASSPHRASE_NEEDED', '--with-keys needs a passphrase (the archive is encrypted)');
  const files: FileRecord[] = [];
  const absent: string[] = [];
  for (const entry of FIXED_ENTRIES) {
    if (entry.category === 'keys' && !o.withKeys) continue;
    const f = await readUnitFile(o.root, entry.path);
    if (f === null) absent.push(entry.path);
    else files.push(fileRecord(entry.path, entry.category, f, f.data));
  }
  const conf = files.find((f) => f.path === SERVICES_CONF);
  const services = conf === undefined ? [] : parseServicesConf(Buffer.from(conf.data, 'base64').toString('utf8'));
  for (const service of services) {
    for (const p of service.files) {
      if (files.some((f) => f.path === p)) continue;
      const why = syncedPathProblem(p);
      // The restore would refuse it: better to say so now than to make an archive that cannot be restored.
      if (why !== null) throw backupError('UNIT_FILE_BAD', `${SERVICES_CONF}: service ${service.name}: file ${p}: ${why}`);
      const f = await readUnitFile(o.root, p);
      if (f === null) absent.push(p);
      else files.push(fileRecord(p, 'sync', f, f.data));
    }
  }
  const doc: ArchiveDoc = {
    format: FORMAT,
    version: FORMAT_VERSION,
    product: { name: 'LBOS', version: await productVersion(o.root) },
    hostname: await unitHostname(o.root),
    created: o.now.toISOString(),
    withKeys: o.withKeys,
    files,
  };
  const bytes = encodeArchive(JSON.stringify(doc), o.passphrase);
  await writeFileAtomic(path.resolve(o.output), bytes, { mode: 0o600 });
  return { doc, bytes: bytes.length, absent };
}

/** The create report: one line per file, then what the unit does not have. */
export function formatCreate(r: CreateResult, output: string, encrypted: boolean): string[] {
  const width = Math.max(0, ...r.doc.files.map((f) => f.path.length));
  const lines = [`${output}: ${r.doc.files.length} files of ${r.doc.hostname} (LBOS ${r.doc.product.version}), ${r.bytes} bytes, ${encrypted ? `encrypted (AES-256-GCM, scrypt)${r.doc.withKeys ? ', with keys' : ''}` : 'not encrypted, no keys'}`];
  for (const f of r.doc.files) lines.push(`  ${f.category.padEnd(8)}  ${f.path.padEnd(width)}  ${`0${(f.mode & 0o777).toString(8)}`.padStart(4, '0')}  ${f.size} bytes  sha256 ${f.sha256.slice(0, 12)}`);
  if (r.absent.length > 0) lines.push(`not on this unit (not in the archive): ${r.absent.join(', ')}`);
  return lines;
}
