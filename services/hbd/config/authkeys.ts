/**
 * Loader for /etc/ha.d/authkeys (Heartbeat format):
 *
 *   auth 2
 *   1 md5 an old secret
 *   2 sha256 the current secret
 *
 * `auth N` selects the key used to sign and check adverts. sha256 is our
 * extension (HMAC-SHA-256); sha1 and md5 are accepted for migration with a
 * warning; crc is refused because it authenticates nothing. The secret is
 * the rest of the line, spaces and `#` included, so only whole-line
 * comments are recognised. The secrets of the shipped examples (README,
 * /usr/share/lbos/examples) are refused: a pair running on one is not
 * authenticated. Like Heartbeat, load.ts refuses a file that group or others
 * can read, or that root does not own (runtime/config/file-mode.ts).
 */
import type { ConfigProblem } from '../../runtime/config/problems';
import { ProblemList } from '../../runtime/config/problems';
import { lineProblem } from '../../runtime/config/lines';
import { parseIntInRange } from '../../runtime/config/values';
import { AppError } from '../../runtime/errors';

export type AuthMethod = 'sha256' | 'sha1' | 'md5';

/** The selected key. */
export interface Authkeys {
  /** The `auth N` index. */
  index: number;
  method: AuthMethod;
  key: Buffer;
}

/** A successful load and what it warned about. */
export interface AuthkeysResult {
  config: Authkeys;
  warnings: ConfigProblem[];
}

const METHODS = ['sha256', 'sha1', 'md5', 'crc'] as const;
type AnyMethod = (typeof METHODS)[number];
const MAX_INDEX = 15;
/** Below this a secret is guessable offline from one captured advert. */
const MIN_KEY_BYTES = 16;
/**
 * Secrets printed in our documentation and example files: anyone can read
 * them. authkeys.test.ts checks that every example shipped is listed here.
 */
export const EXAMPLE_SECRETS: readonly string[] = ['a-long-random-secret', 'replace-me-with-a-long-random-secret-shared-by-both-units'];

interface KeyLine {
  index: number;
  method: AnyMethod;
  key: string;
  line: number;
}

interface Walk {
  file: string;
  problems: ProblemList;
  warnings: ConfigProblem[];
  keys: KeyLine[];
  auth?: { index: number; line: number };
}

/** Parses authkeys; throws ConfigError listing every problem. */
export function parseAuthkeys(text: string, file: string): AuthkeysResult {
  const w: Walk = { file, problems: new ProblemList(), warnings: [], keys: [] };
  text.split('\n').forEach((crlf, i) => {
    const raw = crlf.endsWith('\r') ? crlf.slice(0, -1) : crlf;
    const why = lineProblem(raw);
    if (why !== undefined) return w.problems.add({ file, line: i + 1, message: why });
    parseLine(raw.trim(), i + 1, w);
  });
  const selected = select(w);
  w.problems.throwIfAny();
  if (selected === undefined) throw new AppError('HBD_INTERNAL', 'authkeys: no key selected but no problem recorded');
  return { config: selected, warnings: w.warnings };
}

function parseLine(text: string, line: number, w: Walk): void {
  if (text === '' || text.startsWith('#')) return;
  const m = /^(\S+)(?:\s+(\S+))?(?:\s+(.*))?$/.exec(text);
  const [first = '', second = '', rest = ''] = [m?.[1], m?.[2], m?.[3]];
  const err = (key: string, message: string) => w.problems.add({ file: w.file, line, key, message });
  if (first === 'auth') {
    if (rest !== '') return err('auth', `too many arguments: ${rest} (usage: auth N)`);
    const index = parseIntInRange(second, 1, MAX_INDEX);
    if (!index.ok) return err('auth', second === '' ? 'missing key index (usage: auth N)' : index.message);
    if (w.auth !== undefined) return err('auth', `given twice (lines ${w.auth.line} and ${line}); keep one`);
    w.auth = { index: index.value, line };
    return;
  }
  const index = parseIntInRange(first, 1, MAX_INDEX);
  if (!index.ok) return err(first, 'expected `auth N` or `N METHOD SECRET`');
  const method = second.toLowerCase();
  if (!(METHODS as readonly string[]).includes(method)) {
    return err(first, second === '' ? 'missing method (sha256, sha1 or md5)' : `unknown method "${second}" (sha256, sha1 or md5)`);
  }
  const dup = w.keys.find((k) => k.index === index.value);
  if (dup !== undefined) return err(first, `key ${index.value} defined twice (lines ${dup.line} and ${line})`);
  if (method !== 'crc' && rest.trim() === '') return err(first, `empty key for ${method}`);
  w.keys.push({ index: index.value, method: method as AnyMethod, key: rest.trim(), line });
}

/** Applies `auth N` to the key lines. */
function select(w: Walk): Authkeys | undefined {
  if (w.auth === undefined) {
    w.problems.add({ file: w.file, key: 'auth', message: 'missing `auth N` line selecting the key' });
    return undefined;
  }
  const { index, line } = w.auth;
  const k = w.keys.find((x) => x.index === index);
  if (k === undefined) {
    w.problems.add({ file: w.file, line, key: 'auth', message: `selects key ${index}, which is not defined` });
    return undefined;
  }
  const at = { file: w.file, line: k.line, key: String(k.index) };
  if (k.method === 'crc') {
    // Refused, so never computed and no CRC code kept for it. Heartbeat's crc (HBauth/crc.c) is not
    // zlib's CRC-32 that the serial frames carry: polynomial 0x04C11DB7 shifted MSB-first (the POSIX
    // cksum table), initial value 0, final NOT, sent as hex. Accepting it would need that code back.
    w.problems.add({ ...at, message: 'crc gives no authentication; use sha256' });
    return undefined;
  }
  if (EXAMPLE_SECRETS.includes(k.key)) {
    w.problems.add({ ...at, message: 'this is the example secret from the documentation: anyone can forge adverts with it; put a random one on both units (e.g. openssl rand -hex 32)' });
    return undefined;
  }
  if (k.method !== 'sha256') w.warnings.push({ ...at, message: `${k.method} is weak; accepted for Heartbeat compatibility, prefer sha256` });
  const key = Buffer.from(k.key, 'utf8');
  if (key.length < MIN_KEY_BYTES) w.warnings.push({ ...at, message: `key is short (${key.length} bytes); use at least ${MIN_KEY_BYTES}` });
  return { index, method: k.method, key };
}
