/**
 * Which paths a push may write, decided from the path, the registry and the
 * lstat(2) facts of every component (gathered by adapters/safe-fs.ts). Pure:
 * the same checks run on the pusher before it reads a file and on the
 * receiver before it writes one.
 *
 *   not absolute, NUL           -> PATH_NOT_ABSOLUTE / PATH_TRAVERSAL
 *   "." / ".." / "//" anywhere  -> PATH_TRAVERSAL
 *   not in the service's files  -> PATH_UNREGISTERED
 *   a parent is a symlink       -> PATH_SYMLINK      (/etc/haproxy -> /root)
 *   a parent is not a directory -> PATH_NOT_REGULAR
 *   a parent is missing         -> PATH_PARENT_MISSING
 *   the file is a symlink       -> PATH_SYMLINK
 *   device, fifo, socket, dir   -> PATH_NOT_REGULAR
 *   larger than max_size        -> PAYLOAD_TOO_LARGE
 */

export type PathCode =
  | 'PATH_NOT_ABSOLUTE'
  | 'PATH_TRAVERSAL'
  | 'PATH_UNREGISTERED'
  | 'PATH_SYMLINK'
  | 'PATH_NOT_REGULAR'
  | 'PATH_PARENT_MISSING'
  | 'PAYLOAD_TOO_LARGE';

export type PathVerdict = { ok: true } | { ok: false; code: PathCode; message: string };

/** What lstat(2) said about one component. */
export type FileKind = 'file' | 'dir' | 'symlink' | 'char-device' | 'block-device' | 'fifo' | 'socket' | 'missing';

export interface ComponentFact {
  path: string;
  kind: FileKind;
}

const ok: PathVerdict = { ok: true };
const no = (code: PathCode, message: string): PathVerdict => ({ ok: false, code, message });

/** String and registry checks, before touching the file system. */
export function checkRequestedPath(p: string, registered: readonly string[]): PathVerdict {
  if (typeof p !== 'string' || p.length === 0 || p[0] !== '/') return no('PATH_NOT_ABSOLUTE', `${JSON.stringify(p)} is not an absolute path`);
  if (p.includes('\0')) return no('PATH_TRAVERSAL', `${JSON.stringify(p)} contains a NUL byte`);
  const parts = p.split('/').slice(1);
  if (parts.some((c) => c === '..' || c === '.' || c === '')) return no('PATH_TRAVERSAL', `${JSON.stringify(p)} has "..", "." or empty components`);
  if (!registered.includes(p)) return no('PATH_UNREGISTERED', `${p} is not a file of this service in services.conf`);
  return ok;
}

/** "/etc/haproxy/haproxy.cfg" -> ["/etc", "/etc/haproxy", "/etc/haproxy/haproxy.cfg"]. */
export function componentsOf(p: string): string[] {
  const parts = p.split('/').filter((c) => c !== '');
  return parts.map((_, i) => `/${parts.slice(0, i + 1).join('/')}`);
}

/**
 * Facts for every component of p, root first (as componentsOf). A missing
 * final file is fine (a push may create it); anything else odd is refused.
 */
export function checkPathFacts(p: string, facts: readonly ComponentFact[]): PathVerdict {
  const want = componentsOf(p);
  if (facts.length !== want.length || facts.some((f, i) => f.path !== want[i])) return no('PATH_TRAVERSAL', `internal: facts do not describe ${p}`);
  for (const f of facts.slice(0, -1)) {
    if (f.kind === 'symlink') return no('PATH_SYMLINK', `${f.path} (a parent of ${p}) is a symbolic link`);
    if (f.kind === 'missing') return no('PATH_PARENT_MISSING', `${f.path} (a parent of ${p}) does not exist`);
    if (f.kind !== 'dir') return no('PATH_NOT_REGULAR', `${f.path} (a parent of ${p}) is not a directory`);
  }
  const leaf = facts[facts.length - 1];
  if (leaf === undefined) return no('PATH_NOT_ABSOLUTE', 'empty path');
  switch (leaf.kind) {
    case 'file':
    case 'missing':
      return ok;
    case 'symlink':
      return no('PATH_SYMLINK', `${p} is a symbolic link; csyncd only writes regular files`);
    case 'dir':
    case 'char-device':
    case 'block-device':
    case 'fifo':
    case 'socket':
      return no('PATH_NOT_REGULAR', `${p} is a ${leaf.kind}, not a regular file`);
  }
}

export function checkSize(p: string, size: number, maxSize: number): PathVerdict {
  if (!Number.isSafeInteger(size) || size < 0) return no('PAYLOAD_TOO_LARGE', `${p}: invalid size ${String(size)}`);
  if (size > maxSize) return no('PAYLOAD_TOO_LARGE', `${p}: ${size} bytes is more than max_size ${maxSize}`);
  return ok;
}
