/**
 * STATE_DIR/users (0600): NAME:scrypt-hash lines (core/passwords.ts). Read
 * at each login (it is tiny, and `statusctl passwd` changes it without a
 * reload); written tmp -> fsync -> rename -> fsync dir.
 *
 * First start: no users file -> user `admin` with a random password
 * (80 bits), written to STATE_DIR/initial-password (0600) for the console
 * and front panel, and logged once. No two units share a password.
 */
import { promises as fs } from 'node:fs';
import { randomBytes } from 'node:crypto';
import * as path from 'node:path';
import { writeFileAtomic } from '../../runtime/atomic-file';
import type { Logger } from '../../runtime/log';
import { formatUsers, parseUsers, passwordFromBytes } from '../core/passwords';
import type { UserStore } from '../ports/user-store';
import { hashPassword } from './scrypt';

export const USERS_FILE = 'users';
export const INITIAL_PASSWORD_FILE = 'initial-password';
export const INITIAL_USER = 'admin';

export class UsersFile implements UserStore {
  private reported = '';

  constructor(readonly file: string, private readonly log: Logger | null = null) {}

  async read(): Promise<Map<string, string>> {
    let text: string;
    try {
      text = await fs.readFile(this.file, 'utf8');
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return new Map();
      throw err;
    }
    const parsed = parseUsers(text);
    const report = JSON.stringify(parsed.problems);
    if (parsed.problems.length > 0 && report !== this.reported) {
      for (const p of parsed.problems) this.log?.warn({ file: this.file, line: p.line }, p.message);
    }
    this.reported = report;
    return parsed.users;
  }

  async lookup(name: string): Promise<string | null> {
    return (await this.read()).get(name) ?? null;
  }

  /** admin's password is the initial one while the initial-password file exists (setPassword removes it). */
  async isInitial(name: string): Promise<boolean> {
    if (name !== INITIAL_USER) return false;
    return fs.access(this.initialPasswordFile).then(() => true, () => false);
  }

  get initialPasswordFile(): string {
    return path.join(path.dirname(this.file), INITIAL_PASSWORD_FILE);
  }

  /** The initial password while admin has not changed it, else null. */
  async initialPassword(): Promise<string | null> {
    try {
      return (await fs.readFile(this.initialPasswordFile, 'utf8')).split('\n')[0] ?? null;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
      throw err;
    }
  }

  /**
   * A new initial password for admin (the console's "reset the web admin
   * password": console access is physical access). The file first, as at the
   * first start; admin must change it at the next login.
   */
  async resetInitial(random: (n: number) => Buffer = randomBytes): Promise<string> {
    const password = passwordFromBytes(random(16));
    const dir = await fs.stat(path.dirname(this.file));
    const owner = { uid: dir.uid, gid: dir.gid };
    await writeFileAtomic(this.initialPasswordFile, `${password}\n`, { mode: 0o600, owner });
    const users = await this.read();
    users.set(INITIAL_USER, await hashPassword(password));
    await writeFileAtomic(this.file, formatUsers(users), { mode: 0o600, owner });
    return password;
  }

  /** Add or change a user; the initial-password file goes once admin's password changed. */
  async setPassword(name: string, password: string): Promise<void> {
    const users = await this.read();
    users.set(name, await hashPassword(password));
    // statusctl passwd runs as root; statusd (User=statusd) must still read the file: it belongs to
    // whoever owns the state directory (systemd's StateDirectory= gives it to the service's user).
    const dir = await fs.stat(path.dirname(this.file));
    await writeFileAtomic(this.file, formatUsers(users), { mode: 0o600, owner: { uid: dir.uid, gid: dir.gid } });
    if (name === INITIAL_USER) await fs.rm(this.initialPasswordFile, { force: true });
  }
}

/**
 * Make sure somebody can log in: create `admin` with a unique password on a
 * unit that has no users file yet. Returns the password when one was made.
 */
export async function ensureInitialUser(stateDir: string, log: Logger, random: (n: number) => Buffer = randomBytes): Promise<string | null> {
  await fs.mkdir(stateDir, { recursive: true, mode: 0o700 });
  const usersPath = path.join(stateDir, USERS_FILE);
  const store = new UsersFile(usersPath, log);
  if ((await store.read()).size > 0) return null;
  const password = passwordFromBytes(random(16));
  const pwFile = path.join(stateDir, INITIAL_PASSWORD_FILE);
  // Password file first: a crash in between leaves no users file, and the next start makes a new pair.
  await writeFileAtomic(pwFile, `${password}\n`, { mode: 0o600 });
  const users = new Map([[INITIAL_USER, await hashPassword(password)]]);
  await writeFileAtomic(usersPath, formatUsers(users), { mode: 0o600 });
  // The password itself never goes to the log (the journal is read by more people and kept longer).
  log.warn({ user: INITIAL_USER, file: pwFile }, `initial password of web user ${INITIAL_USER} made, unique to this unit: on the console banner and in ${pwFile} until changed with statusctl passwd`);
  return password;
}
