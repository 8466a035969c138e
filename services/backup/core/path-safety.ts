/**
 * An archive is outside input: every path in it is checked before it is
 * compared with the allow-list, let alone joined to --root.
 */
import * as path from 'node:path';

export const MAX_PATH_LENGTH = 1024;

/** Why a path from an archive is unsafe, or null: absolute, normalised, no `..`, no control characters. */
export function archivePathProblem(p: unknown): string | null {
  if (typeof p !== 'string' || p === '') return 'the path is not a non-empty string';
  if (p.length > MAX_PATH_LENGTH) return `the path is longer than ${MAX_PATH_LENGTH} characters`;
  if (/[\x00-\x1f\x7f]/.test(p)) return 'the path contains a control character';
  if (!p.startsWith('/')) return 'the path is not absolute';
  if (p.split('/').some((part) => part === '..' || part === '.')) return 'the path contains "." or ".." components';
  if (path.posix.normalize(p) !== p || p.endsWith('/')) return 'the path is not in normal form';
  return null;
}

/** A safe appliance path under --root; throws on an unsafe one (callers check first). */
export function underRoot(root: string, appliancePath: string): string {
  const problem = archivePathProblem(appliancePath);
  if (problem !== null) throw new Error(`${JSON.stringify(appliancePath)}: ${problem}`);
  const joined = path.join(root, appliancePath);
  const base = path.resolve(root);
  if (joined !== base && !joined.startsWith(base === '/' ? '/' : `${base}/`)) throw new Error(`${appliancePath} escapes ${root}`);
  return joined;
}

/** A path quoted for a message: at most 80 characters, control characters escaped. */
export function quotePath(p: unknown): string {
  const s = JSON.stringify(typeof p === 'string' ? p : String(p));
  return s.length > 82 ? `${s.slice(0, 79)}..."` : s;
}
