/**
 * The HTTPS certificate: the configured pair, or a self-signed one kept in
 * STATE_DIR/tls and made on first start (ECDSA P-256, 10 years, names: the
 * hostname, localhost, 127.0.0.1, ::1) with openssl(1). The key is written
 * 0600, both files tmp -> fsync -> rename; a pair that does not match (a
 * crash between the two writes) is made again.
 */
import { execFile } from 'node:child_process';
import { promises as fs } from 'node:fs';
import { createSecureContext } from 'node:tls';
import * as os from 'node:os';
import * as path from 'node:path';
import { writeFileAtomic } from '../../runtime/atomic-file';
import { AppError, errorMessage } from '../../runtime/errors';
import type { Logger } from '../../runtime/log';

export interface TlsPair {
  cert: Buffer;
  key: Buffer;
  /** Where they are, for statusctl --ca and the log. */
  certFile: string;
  keyFile: string;
  generated: boolean;
}

export const TLS_DIR = 'tls';

function matches(cert: Buffer, key: Buffer): boolean {
  try {
    createSecureContext({ cert, key });
    return true;
  } catch {
    return false;
  }
}

async function readPair(certFile: string, keyFile: string): Promise<{ cert: Buffer; key: Buffer } | null> {
  try {
    return { cert: await fs.readFile(certFile), key: await fs.readFile(keyFile) };
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw err;
  }
}

/** The configured certificate: it must exist and match its key. */
export async function configuredPair(certFile: string, keyFile: string): Promise<TlsPair> {
  let pair: { cert: Buffer; key: Buffer } | null;
  try {
    pair = await readPair(certFile, keyFile);
  } catch (err) {
    throw new AppError('TLS_UNREADABLE', `cannot read ${certFile} / ${keyFile}: ${errorMessage(err)}`);
  }
  if (pair === null) throw new AppError('TLS_UNREADABLE', `${certFile} or ${keyFile} does not exist`);
  if (!matches(pair.cert, pair.key)) throw new AppError('TLS_INVALID', `${certFile} and ${keyFile} are not a valid certificate and key pair`);
  return { ...pair, certFile, keyFile, generated: false };
}

/** The self-managed certificate of STATE_DIR, made when missing or broken. */
export async function selfSignedPair(stateDir: string, log: Logger, hostname = os.hostname()): Promise<TlsPair> {
  const dir = path.join(stateDir, TLS_DIR);
  const certFile = path.join(dir, 'cert.pem');
  const keyFile = path.join(dir, 'key.pem');
  await fs.mkdir(dir, { recursive: true, mode: 0o700 });
  const existing = await readPair(certFile, keyFile);
  if (existing !== null && matches(existing.cert, existing.key)) return { ...existing, certFile, keyFile, generated: false };
  if (existing !== null) log.warn({ certFile, keyFile }, 'certificate and key do not match: making a new pair');
  const work = await fs.mkdtemp(path.join(dir, '.new-'));
  try {
    const k = path.join(work, 'key.pem');
    const c = path.join(work, 'cert.pem');
    const cn = /^[A-Za-z0-9.-]{1,63}$/.test(hostname) ? hostname : 'lbos';
    await openssl(['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-keyout', k, '-out', c, '-days', '3650', '-sha256',
      '-subj', `/O=LBOS appliance/CN=${cn}`, '-addext', `subjectAltName=DNS:${cn},DNS:localhost,IP:127.0.0.1,IP:::1`]);
    const key = await fs.readFile(k);
    const cert = await fs.readFile(c);
    await writeFileAtomic(keyFile, key, { mode: 0o600 });
    await writeFileAtomic(certFile, cert, { mode: 0o644 });
    log.info({ certFile, cn }, 'made a self-signed certificate for the web UI');
    return { cert, key, certFile, keyFile, generated: true };
  } finally {
    await fs.rm(work, { recursive: true, force: true });
  }
}

function openssl(args: string[]): Promise<void> {
  return new Promise((resolve, reject) => {
    execFile('openssl', args, { timeout: 30_000 }, (err, _out, stderr) => {
      if (err) reject(new AppError('TLS_GENERATE_FAILED', `openssl ${args[0] ?? ''}: ${stderr.trim() || err.message}`));
      else resolve();
    });
  });
}
