/**
 * services.conf: what csyncd may sync. Only the files listed here can ever be
 * written by a push.
 *
 *   service haproxy
 *       file /etc/haproxy/haproxy.cfg          # absolute; repeatable
 *       validate haproxy -c -f {file}          # optional; must name {file} = staged copy of the first file
 *       apply systemctl reload haproxy         # optional; run after the swap
 *       max_size 16M                           # per file (default 16M)
 *       timeout 60s                            # validate/apply deadline (default 60s)
 */
import * as path from 'node:path';
import { ConfigError, type ConfigProblem } from '../../runtime/config/problems';
import { parseDurationMs } from '../../runtime/config/values';
import { DEFAULTS, SERVICE_NAME_RE, type Registry, type ServiceDef } from './types';
import { splitWordLines } from './words';

const KEYS = ['service', 'file', 'validate', 'apply', 'max_size', 'timeout'] as const;
const MAX_FILES = 64;
const MAX_SIZE_LIMIT = 1024 * 1024 * 1024;

export interface RegistryOptions {
  /** Directories no registered file may be in (csyncd's own keys and state). */
  forbiddenDirs: string[];
}

/** Parse and validate; throws ConfigError with every problem. */
export function parseRegistry(text: string, file: string, opts: RegistryOptions): Registry {
  const problems: ConfigProblem[] = [];
  const services: ServiceDef[] = [];
  const owners = new Map<string, string>();
  let cur: ServiceDef | null = null;
  const seenInService = new Set<string>();
  for (const wl of splitWordLines(text)) {
    const at = { file, line: wl.line };
    const [key = '', ...args] = wl.words;
    if (wl.error !== undefined) {
      problems.push({ ...at, message: wl.error });
      continue;
    }
    const bad = (message: string): void => void problems.push({ ...at, key, message });
    if (!(KEYS as readonly string[]).includes(key)) {
      bad(`unknown directive (known: ${KEYS.join(', ')})`);
      continue;
    }
    if (key === 'service') {
      cur = startService(args, at, services, bad);
      seenInService.clear();
      continue;
    }
    if (cur === null) {
      bad('must follow a "service NAME" line');
      continue;
    }
    if (key !== 'file' && seenInService.has(key)) {
      bad(`set twice in service ${cur.name}`);
      continue;
    }
    seenInService.add(key);
    applyDirective(cur, key, args, opts, owners, bad);
  }
  for (const s of services) {
    if (s.files.length === 0) problems.push({ file, line: s.line, key: 'service', message: `service ${s.name} has no "file" line` });
  }
  if (problems.length > 0) throw new ConfigError([...problems].sort((a, b) => (a.line ?? 0) - (b.line ?? 0)));
  return { file, services };
}

/** A new service block; a bad one still collects its lines (so they are checked) but is not registered. */
function startService(args: string[], at: { file: string; line: number }, services: ServiceDef[], bad: (m: string) => void): ServiceDef {
  const name = args[0] ?? '';
  const def: ServiceDef = { name, files: [], validate: null, apply: null, maxSize: DEFAULTS.maxSizeBytes, timeoutMs: DEFAULTS.commandTimeoutMs, ...at };
  const dup = services.find((s) => s.name === name);
  if (args.length !== 1 || !SERVICE_NAME_RE.test(name)) {
    bad(`needs one name (lower case letter, then letters, digits, _ or -; at most 32), got "${args.join(' ')}"`);
  } else if (dup !== undefined) {
    bad(`service ${name} is defined twice (also on line ${dup.line})`);
  } else {
    services.push(def);
  }
  return def;
}

function applyDirective(cur: ServiceDef, key: string, args: string[], opts: RegistryOptions, owners: Map<string, string>, bad: (m: string) => void): void {
  switch (key) {
    case 'file': {
      const p = args[0] ?? '';
      if (args.length !== 1) return bad('takes exactly one absolute path');
      const why = registrablePath(p, opts.forbiddenDirs);
      if (why !== null) return bad(why);
      const owner = owners.get(p);
      if (owner !== undefined) return bad(`${p} is already registered (service ${owner})`);
      if (cur.files.length >= MAX_FILES) return bad(`at most ${MAX_FILES} files per service`);
      owners.set(p, cur.name);
      cur.files.push(p);
      return;
    }
    case 'validate':
    case 'apply': {
      if (args.length === 0) return bad('needs a command');
      const why = placeholderProblem(key, args);
      if (why !== null) return bad(why);
      cur[key] = args;
      return;
    }
    case 'max_size': {
      const n = parseSize(args[0] ?? '');
      if (args.length !== 1 || n === null || n < 1 || n > MAX_SIZE_LIMIT) return bad(`"${args.join(' ')}" is not a size in 1..1G (e.g. 512K, 16M)`);
      cur.maxSize = n;
      return;
    }
    case 'timeout': {
      const r = parseDurationMs(args[0] ?? '', { bareUnit: 's', minMs: 100, maxMs: 3_600_000 });
      if (args.length !== 1 || !r.ok) return bad(r.ok ? 'takes one duration' : r.message);
      cur.timeoutMs = r.value;
      return;
    }
    default:
      return bad('unknown directive');
  }
}

/** What `validate` may name; commit.ts expands them. `apply` runs on the installed files and expands nothing. */
export const VALIDATE_PLACEHOLDERS = ['file', 'dir', 'service'] as const;

/**
 * A validator without `{file}` checks the installed file instead of the
 * pushed one, and passes whatever was pushed: refused, as is any
 * placeholder we would not expand (`{fale}` would reach the command as is).
 */
export function placeholderProblem(key: 'validate' | 'apply', argv: readonly string[]): string | null {
  const used = argv.flatMap((a) => [...a.matchAll(/\{([A-Za-z_]+)\}/g)].map((m) => m[1] ?? ''));
  const allowed: readonly string[] = key === 'validate' ? VALIDATE_PLACEHOLDERS : [];
  const unknown = [...new Set(used.filter((u) => !allowed.includes(u)))];
  if (unknown.length > 0) {
    const known = key === 'validate' ? `known: ${VALIDATE_PLACEHOLDERS.map((k) => `{${k}}`).join(' ')}` : 'apply runs on the installed files; placeholders are for validate only';
    return `unknown placeholder ${unknown.map((u) => `{${u}}`).join(' ')} (${known})`;
  }
  if (key === 'validate' && !used.includes('file')) {
    return 'must name {file}, the staged copy of the pushed file (e.g. validate haproxy -c -f {file}); without it the installed file is checked, not the pushed one';
  }
  return null;
}

/** Why a path cannot be registered, or null. */
export function registrablePath(p: string, forbiddenDirs: readonly string[]): string | null {
  if (!path.isAbsolute(p)) return `"${p}" is not an absolute path`;
  if (p.includes('\0') || p.split('/').some((c) => c === '..' || c === '.')) return `"${p}" contains . or .. components`;
  if (path.normalize(p) !== p || p.endsWith('/')) return `"${p}" is not normalised (write ${path.normalize(p).replace(/\/+$/, '')})`;
  for (const d of forbiddenDirs) {
    if (p === d || p.startsWith(`${d}/`)) return `"${p}" is inside ${d}, which belongs to csyncd itself`;
  }
  return null;
}

/** "512K", "16M", "1G", "1048576" -> bytes. */
export function parseSize(text: string): number | null {
  const m = /^(\d+)([KMG]?)$/i.exec(text);
  if (m === null) return null;
  const mult = { '': 1, K: 1024, M: 1024 ** 2, G: 1024 ** 3 }[(m[2] ?? '').toUpperCase() as '' | 'K' | 'M' | 'G'];
  return Number(m[1]) * mult;
}
