/**
 * Versions and the push decision.
 *
 * A service's configuration has a version {counter, node, sha256}: sha256 is
 * the content hash of all its files, node the unit that made the change,
 * counter grows by one per change seen anywhere in the pair. Each unit also
 * records `synced`, the version both units had at their last successful
 * sync. A push says which version it expects to replace; the receiver
 * refuses it as a CONFLICT when its own files changed since the last sync,
 * unless the push is forced.
 *
 *   current == incoming                       -> unchanged (nothing to do)
 *   force                                     -> accept
 *   current == expect                         -> accept (the pusher knows what it replaces)
 *   synced != null and current == synced      -> accept (no local change since the last sync)
 *   synced == null and expect == null         -> accept (first sync of this service)
 *   otherwise                                 -> conflict
 */
import { createHash } from 'node:crypto';

export interface Version {
  counter: number;
  node: number;
  /** Content hash of the service (see contentHash). */
  sha256: string;
}

/** One file's digest; sha256 null when the file does not exist. */
export interface FileDigest {
  path: string;
  sha256: string | null;
}

/** What a unit remembers about one service between runs. */
export interface ServiceMeta {
  version: Version;
  /** The version both units had at the last successful sync; null: never synced. */
  synced: Version | null;
}

/**
 * sha256 over the sha256sum(1)-style listing of the files, sorted by path
 * ("-" for a missing file), so both units agree whatever order their
 * registries list the files in.
 */
export function contentHash(files: readonly FileDigest[]): string {
  const listing = [...files]
    .sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0))
    .map((f) => `${f.sha256 ?? '-'}  ${f.path}\n`)
    .join('');
  return createHash('sha256').update(listing).digest('hex');
}

/**
 * Fold the current content hash into the remembered meta: a changed hash is
 * a new local version - except the content of the last sync, which is that
 * version again (an edit undone is not a change).
 */
export function observeLocal(meta: ServiceMeta | null, current: string, localNode: number): { meta: ServiceMeta; changed: boolean } {
  if (meta === null) return { meta: { version: { counter: 1, node: localNode, sha256: current }, synced: null }, changed: true };
  if (meta.version.sha256 === current) return { meta, changed: false };
  if (meta.synced !== null && meta.synced.sha256 === current) return { meta: { ...meta, version: meta.synced }, changed: true };
  return { meta: { ...meta, version: { counter: meta.version.counter + 1, node: localNode, sha256: current } }, changed: true };
}

/** The receiver's view when a push arrives. */
export interface PushFacts {
  /** Content hash of the receiver's files now. */
  current: string;
  /** The receiver's last synced hash. */
  synced: string | null;
  /** The version the pusher believes it replaces (its own last synced version), or null. */
  expect: string | null;
  /** Content hash of the pushed files. */
  incoming: string;
  force: boolean;
}

export type PushDecision =
  | { verdict: 'unchanged' }
  | { verdict: 'accept'; reason: 'forced' | 'expected' | 'unchanged-since-sync' | 'first-sync' }
  | { verdict: 'conflict'; reason: string };

export function decidePush(f: PushFacts): PushDecision {
  if (f.current === f.incoming) return { verdict: 'unchanged' };
  if (f.force) return { verdict: 'accept', reason: 'forced' };
  if (f.expect !== null && f.current === f.expect) return { verdict: 'accept', reason: 'expected' };
  if (f.synced !== null && f.current === f.synced) return { verdict: 'accept', reason: 'unchanged-since-sync' };
  if (f.synced === null && f.expect === null) return { verdict: 'accept', reason: 'first-sync' };
  if (f.synced === null) return { verdict: 'conflict', reason: 'this unit has no record of a sync with the pusher and its files differ from what the pusher expects' };
  return { verdict: 'conflict', reason: 'the configuration was changed on this unit since the last sync' };
}

/** The version a receiver records after accepting a push: the pusher's, never lower than its own. */
export function acceptedVersion(own: Version | null, incoming: Version): Version {
  const counter = Math.max(incoming.counter, own === null ? 0 : own.counter + 1);
  return { ...incoming, counter };
}

/** "v4@node1 3f2a9c1e" for logs and status. */
export function versionLabel(v: Version | null): string {
  return v === null ? '-' : `v${v.counter}@node${v.node} ${v.sha256.slice(0, 8)}`;
}

/** Structural check of a version from the wire; never throws. */
export function isVersion(v: unknown): v is Version {
  if (typeof v !== 'object' || v === null) return false;
  const o = v as Record<string, unknown>;
  return Number.isSafeInteger(o.counter) && (o.counter as number) >= 0 && Number.isInteger(o.node) && (o.node as number) >= 1 && (o.node as number) <= 255 && isSha256(o.sha256);
}

export function isSha256(v: unknown): v is string {
  return typeof v === 'string' && /^[0-9a-f]{64}$/.test(v);
}
