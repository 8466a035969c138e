/**
 * OpenSSH public key lines, fingerprints, known_hosts and authorized_keys,
 * as text in, values out (pure). The files are written in OpenSSH's formats
 * so `ssh -o UserKnownHostsFile=config_dir/ssh_known_hosts` and
 * `ssh-keygen -lf` read them as they are.
 */
import { createHash } from 'node:crypto';

export const KEY_TYPES = ['ssh-ed25519', 'ecdsa-sha2-nistp256', 'ecdsa-sha2-nistp384', 'ecdsa-sha2-nistp521', 'rsa-sha2-512', 'rsa-sha2-256', 'ssh-rsa'] as const;

/** One public key: type, raw blob (what SSH sends), comment. */
export interface PublicKeyLine {
  type: string;
  blob: Buffer;
  comment: string;
}

/** "ssh-ed25519 AAAA... comment" -> key; null when it is not one. Never throws. */
export function parsePublicKeyLine(line: string): PublicKeyLine | null {
  const [type = '', b64 = '', ...rest] = line.trim().split(/\s+/);
  if (!(KEY_TYPES as readonly string[]).includes(type) || !/^[A-Za-z0-9+/]+={0,2}$/.test(b64)) return null;
  const blob = Buffer.from(b64, 'base64');
  // The blob starts with its own type name: uint32 length + name.
  if (blob.length < 4) return null;
  const n = blob.readUInt32BE(0);
  if (n > 64 || blob.length < 4 + n || blob.subarray(4, 4 + n).toString() !== type) return null;
  return { type, blob, comment: rest.join(' ') };
}

export function formatPublicKey(k: PublicKeyLine): string {
  return `${k.type} ${k.blob.toString('base64')}${k.comment === '' ? '' : ` ${k.comment}`}`;
}

/** OpenSSH's fingerprint: "SHA256:" + unpadded base64 of sha256(blob). */
export function fingerprint(blob: Buffer): string {
  return `SHA256:${createHash('sha256').update(blob).digest('base64').replace(/=+$/, '')}`;
}

/** The key type name inside a raw blob (what ssh2 hands a host verifier). */
export function blobType(blob: Buffer): string {
  if (blob.length < 4) return '?';
  const n = blob.readUInt32BE(0);
  return n <= 64 && blob.length >= 4 + n ? blob.subarray(4, 4 + n).toString() : '?';
}

/** How OpenSSH names a host in known_hosts: "ip" on port 22, else "[ip]:port". */
export function knownHostsName(ip: string, port: number): string {
  return port === 22 ? ip : `[${ip}]:${port}`;
}

/** Keys listed for a host (exact name match; hashed entries are not ours and are skipped). */
export function knownHostKeys(text: string, hostName: string): PublicKeyLine[] {
  const out: PublicKeyLine[] = [];
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    if (line === '' || line.startsWith('#') || line.startsWith('@') || line.startsWith('|')) continue;
    const sp = line.indexOf(' ');
    if (sp === -1) continue;
    if (!line.slice(0, sp).split(',').includes(hostName)) continue;
    const k = parsePublicKeyLine(line.slice(sp + 1));
    if (k !== null) out.push(k);
  }
  return out;
}

/** known_hosts with every line for hostName replaced by one for key. */
export function replaceKnownHost(text: string, hostName: string, key: PublicKeyLine): string {
  const keep = text.split('\n').filter((raw) => {
    const line = raw.trim();
    if (line === '') return false;
    const sp = line.indexOf(' ');
    return sp === -1 || line.startsWith('#') || !line.slice(0, sp).split(',').includes(hostName);
  });
  return [...keep, `${hostName} ${formatPublicKey(key)}`].join('\n') + '\n';
}

/**
 * Keys of an authorized_keys file. Lines with options (from=, command=, ...)
 * are not honoured by csyncd, so they are skipped rather than trusted
 * without their restrictions.
 */
export function authorizedKeys(text: string): { keys: PublicKeyLine[]; skipped: number } {
  const keys: PublicKeyLine[] = [];
  let skipped = 0;
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) continue;
    const k = parsePublicKeyLine(line);
    if (k === null) skipped++;
    else keys.push(k);
  }
  return { keys, skipped };
}

/** authorized_keys with the lines carrying `comment` replaced by key (other keys are kept). */
export function replaceAuthorized(text: string, key: PublicKeyLine): string {
  const keep = text.split('\n').filter((raw) => {
    const line = raw.trim();
    if (line === '') return false;
    const k = parsePublicKeyLine(line);
    return k === null || k.comment !== key.comment;
  });
  return [...keep, formatPublicKey(key)].join('\n') + '\n';
}

/** The comment csyncd puts on the keys of a node: "csyncd@node2". */
export function nodeKeyComment(node: number): string {
  return `csyncd@node${node}`;
}
