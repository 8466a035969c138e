/**
 * Where users and their password hashes live: the users file
 * (adapters/users-file.ts) or, in tests, memory.
 */
import { hashPassword } from '../adapters/scrypt';

export interface UserStore {
  /** The stored hash of a user, or null when there is no such user. */
  lookup(name: string): Promise<string | null>;
  /** Is this user's password still the unit's initial one (it must be changed at login)? */
  isInitial(name: string): Promise<boolean>;
  /** Set a user's password (hashing it); the initial password of that user is then gone. */
  setPassword(name: string, password: string): Promise<void>;
}

export class MemoryUserStore implements UserStore {
  constructor(readonly users = new Map<string, string>(), readonly initial = new Set<string>()) {}

  async lookup(name: string): Promise<string | null> {
    return this.users.get(name) ?? null;
  }

  async isInitial(name: string): Promise<boolean> {
    return this.initial.has(name);
  }

  async setPassword(name: string, password: string): Promise<void> {
    this.users.set(name, await hashPassword(password));
    this.initial.delete(name);
  }
}
