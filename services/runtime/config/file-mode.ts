/**
 * Who may change (or read) the files a service trusts. A file that grants
 * access (keys, authorized keys, passwords) or whose content runs as root
 * (services.conf's commands, resource scripts named in haresources) is
 * only as safe as its mode: like Heartbeat with authkeys and sshd with its
 * host keys, a service refuses to start (exit 78) when
 *
 * - the file is not owned by the user the service runs as, or by root;
 * - group or others may write it (any file);
 * - group or others may read it (secrets: keys, password hashes, authkeys);
 * - it is not a regular file.
 *
 * Each problem names the file, what is wrong and the exact command that
 * fixes it (`chmod 600 FILE`, `chown root:root FILE`). The owner is a
 * parameter: root for every service today, and statusd runs as `statusd`.
 */
import { readFileSync } from 'node:fs';
import { stat } from 'node:fs/promises';
import * as os from 'node:os';
import type { ConfigProblem } from './problems';

/** What a file holds, which decides who may read it. */
export type FileTrust =
  /** Read by anyone, written only by its owner: config files, public keys, known hosts. */
  | 'config'
  /** Read and written only by its owner: private keys, password hashes, authkeys. */
  | 'secret';

/** The user a service runs as: the owner its files must have (root is always accepted too). */
export interface FileOwner {
  uid: number;
  /** For the chown line. */
  user: string;
  group: string;
}

export const ROOT_OWNER: FileOwner = { uid: 0, user: 'root', group: 'root' };

/** The facts of a stat(2) the check needs. */
export interface FileFacts {
  mode: number;
  uid: number;
  isFile: boolean;
}

/** One file to check. */
export interface FileToCheck {
  file: string;
  trust: FileTrust;
  /** Absent is fine (e.g. keys not yet exchanged); otherwise absence is left to the loader. */
  optional?: boolean;
}

const octal = (n: number): string => (n & 0o7777).toString(8).padStart(4, '0');

/**
 * The problem with one file's facts, or undefined. Pure: tests give it
 * made-up modes. Ownership first (chown), then the mode (chmod), both in
 * one message when both are wrong.
 */
export function fileModeProblem(f: FileFacts, file: string, trust: FileTrust, owner: FileOwner): ConfigProblem | undefined {
  if (!f.isFile) return { file, message: 'not a regular file: a config file must be a plain file' };
  const wrong: string[] = [];
  const fixes: string[] = [];
  if (f.uid !== owner.uid && f.uid !== 0) {
    wrong.push(`owned by uid ${f.uid}, not ${owner.user}${owner.uid === 0 ? '' : ' or root'}`);
    fixes.push(`chown ${owner.user}:${owner.group} ${file}`);
  }
  const forbidden = trust === 'secret' ? 0o077 : 0o022;
  const lax = f.mode & forbidden;
  if (lax !== 0) {
    const who = [(lax & 0o070) !== 0 ? 'group' : '', (lax & 0o007) !== 0 ? 'others' : ''].filter((w) => w !== '').join(' and ');
    const verbs = [(lax & 0o044) !== 0 ? 'read' : '', (lax & 0o022) !== 0 ? 'write' : ''].filter((v) => v !== '');
    const what = verbs.length === 0 ? 'execute' : verbs.join(' and ');
    wrong.push(`mode ${octal(f.mode)} lets ${who} ${what} it${trust === 'secret' ? ' (a secret: only its owner may read it)' : ''}`);
    // Keep the owner's bits and drop the set-id bits: the fix is the least change that passes.
    fixes.push(`chmod ${((f.mode & 0o777) & ~forbidden).toString(8).padStart(3, '0')} ${file}`);
  }
  if (wrong.length === 0) return undefined;
  return { file, message: `${wrong.join('; ')}; run: ${fixes.join(' && ')}` };
}

/** stat(2) every file and report each problem; a missing optional file is fine. */
export async function checkFileModes(files: readonly FileToCheck[], owner: FileOwner = serviceOwner()): Promise<ConfigProblem[]> {
  const out: ConfigProblem[] = [];
  for (const f of files) {
    let facts: FileFacts;
    try {
      const st = await stat(f.file);
      facts = { mode: st.mode, uid: st.uid, isFile: st.isFile() };
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      if (code === 'ENOENT' && f.optional === true) continue;
      // The loader reports a missing or unreadable file in its own words.
      if (code === 'ENOENT' || code === 'EACCES' || code === 'ENOTDIR') continue;
      throw err;
    }
    const p = fileModeProblem(facts, f.file, f.trust, owner);
    if (p !== undefined) out.push(p);
  }
  return out;
}

/**
 * The user this process runs as, with its primary group's name: the owner
 * a service's files must have (besides root).
 */
export function serviceOwner(): FileOwner {
  const uid = process.geteuid?.() ?? 0;
  if (uid === 0) return ROOT_OWNER;
  const gid = process.getegid?.() ?? uid;
  let user = String(uid);
  try {
    user = os.userInfo().username;
  } catch {
    /* no passwd entry: the number does for chown */
  }
  return { uid, user, group: groupName(gid) };
}

function groupName(gid: number): string {
  try {
    const line = readFileSync('/etc/group', 'utf8').split('\n').find((l) => l.split(':')[2] === String(gid));
    return line?.split(':')[0] ?? String(gid);
  } catch {
    return String(gid);
  }
}
