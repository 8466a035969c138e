/**
 * Where users and their password hashes live: the users file
 * (adapters/users-file.ts) or, in tests, memory.
 */

export interface UserStore {
  /** The stored hash of a user, or null when there is no such user. */
  lookup(name: string): Promise<string | null>;
}

export class MemoryUserStore implements UserStore {
  constructor(readonly users = new Map<string, string>()) {}

  async lookup(name: string): Promise<string | null> {
    return this.users.get(name) ?? null;
  }
}
