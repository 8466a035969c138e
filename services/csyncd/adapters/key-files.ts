/**
 * The key material in config_dir, in OpenSSH formats (ALOHA's file names):
 *
 *   host_key, host_key.pub        this unit's SSH host key (Ed25519; private 0600)
 *   user_key, user_key.pub        the key this unit logs in to the peer with
 *   ssh_known_hosts               the peer's host key: "[REMOTE_IP]:port ssh-ed25519 AAAA..."
 *   csyncd_authorized             the peer's user key (authorized_keys format)
 *   accounts                      scrypt hashes of management passwords (getkey proof; 0600)
 */
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { utils } from 'ssh2';
import { writeFileAtomic } from '../../runtime/atomic-file';
import { AppError } from '../../runtime/errors';
import { authorizedKeys, knownHostKeys, knownHostsName, nodeKeyComment, parsePublicKeyLine, replaceAuthorized, replaceKnownHost, type PublicKeyLine } from '../core/ssh-keys';
import { formatAccount, parseAccounts, type AccountEntry } from '../core/getkey-proof';

export const KEY_FILE_NAMES = {
  hostKey: 'host_key',
  userKey: 'user_key',
  knownHosts: 'ssh_known_hosts',
  authorized: 'csyncd_authorized',
  accounts: 'accounts',
} as const;

export type KeyKind = 'host' | 'user';

export class KeyFiles {
  constructor(readonly dir: string) {}

  path(name: keyof typeof KEY_FILE_NAMES): string {
    return path.join(this.dir, KEY_FILE_NAMES[name]);
  }

  private keyPath(kind: KeyKind): string {
    return this.path(kind === 'host' ? 'hostKey' : 'userKey');
  }

  /** New Ed25519 host and user keys (private 0600, public 0644), replacing the old ones. */
  async generate(node: number): Promise<{ host: PublicKeyLine; user: PublicKeyLine }> {
    await fs.mkdir(this.dir, { recursive: true, mode: 0o755 });
    const out: Partial<Record<KeyKind, PublicKeyLine>> = {};
    for (const kind of ['host', 'user'] as const) {
      const { pair, pub } = generateEd25519(nodeKeyComment(node), kind);
      await writeFileAtomic(this.keyPath(kind), pair.private, { mode: 0o600 });
      await writeFileAtomic(`${this.keyPath(kind)}.pub`, `${pair.public}\n`, { mode: 0o644 });
      out[kind] = pub;
    }
    return { host: out.host as PublicKeyLine, user: out.user as PublicKeyLine };
  }

  async readPrivate(kind: KeyKind): Promise<string> {
    try {
      return await fs.readFile(this.keyPath(kind), 'utf8');
    } catch {
      throw new AppError('NO_KEYS', `${this.keyPath(kind)} is missing: run "csyncctl genkey" (with csyncd stopped)`);
    }
  }

  async readPublic(kind: KeyKind): Promise<PublicKeyLine> {
    let text: string;
    try {
      text = await fs.readFile(`${this.keyPath(kind)}.pub`, 'utf8');
    } catch {
      throw new AppError('NO_KEYS', `${this.keyPath(kind)}.pub is missing: run "csyncctl genkey" (with csyncd stopped)`);
    }
    const k = parsePublicKeyLine(text);
    if (k === null) throw new AppError('NO_KEYS', `${this.keyPath(kind)}.pub is not an OpenSSH public key: run "csyncctl genkey"`);
    return k;
  }

  /** The peer's pinned host keys (normally one). */
  async knownHost(ip: string, port: number): Promise<PublicKeyLine[]> {
    return knownHostKeys(await readOr(this.path('knownHosts'), ''), knownHostsName(ip, port));
  }

  async authorized(): Promise<{ keys: PublicKeyLine[]; skipped: number }> {
    return authorizedKeys(await readOr(this.path('authorized'), ''));
  }

  /** Pin the peer's host key and authorize its user key (the end of getkey). */
  async storePeerKeys(ip: string, port: number, host: PublicKeyLine, user: PublicKeyLine): Promise<void> {
    await fs.mkdir(this.dir, { recursive: true, mode: 0o755 });
    const kh = replaceKnownHost(await readOr(this.path('knownHosts'), ''), knownHostsName(ip, port), { ...host, comment: host.comment });
    await writeFileAtomic(this.path('knownHosts'), kh, { mode: 0o644 });
    const auth = replaceAuthorized(await readOr(this.path('authorized'), ''), user);
    await writeFileAtomic(this.path('authorized'), auth, { mode: 0o600 });
  }

  async account(name: string): Promise<AccountEntry | null> {
    return parseAccounts(await readOr(this.path('accounts'), '')).accounts.find((a) => a.name === name) ?? null;
  }

  async setAccount(entry: AccountEntry): Promise<void> {
    const others = parseAccounts(await readOr(this.path('accounts'), '')).accounts.filter((a) => a.name !== entry.name);
    await fs.mkdir(this.dir, { recursive: true, mode: 0o755 });
    await writeFileAtomic(this.path('accounts'), [...others, entry].map(formatAccount).join('\n') + '\n', { mode: 0o600 });
  }
}

/**
 * ssh2 1.17 strips leading zero bytes from an Ed25519 public key, so about
 * 1 key in 256 comes out 31 bytes long and unreadable, even by ssh2 itself
 * (mscdex/ssh2#1390, #1513). Such a pair is thrown away and drawn again;
 * 8 bad draws in a row (odds 2^-64) means something else is wrong.
 */
export function generateEd25519(comment: string, kind: KeyKind): { pair: { private: string; public: string }; pub: PublicKeyLine } {
  for (let attempt = 0; attempt < 8; attempt++) {
    const pair = utils.generateKeyPairSync('ed25519', { comment });
    const pub = parsePublicKeyLine(pair.public);
    if (pub !== null && pub.blob.length === ED25519_BLOB_BYTES && !(utils.parseKey(pair.private) instanceof Error)) return { pair, pub };
  }
  throw new AppError('KEYGEN_FAILED', `ssh2 produced an unreadable ${kind} key 8 times in a row`);
}

/** uint32 + "ssh-ed25519" + uint32 + 32-byte key. */
const ED25519_BLOB_BYTES = 4 + 11 + 4 + 32;

async function readOr(file: string, fallback: string): Promise<string> {
  try {
    return await fs.readFile(file, 'utf8');
  } catch {
    return fallback;
  }
}
