/**
 * statusd.conf: one directive per line, `#` comments (the ha.cf style the
 * other services use). Every problem is collected with file, line and
 * directive before anything starts (README "Configuration").
 */
import { isIP } from 'node:net';
import { splitDirectiveLines, type DirectiveLine } from '../../runtime/config/lines';
import { ConfigError, type ConfigProblem } from '../../runtime/config/problems';
import { closestWord } from '../../runtime/config/suggest';
import { parseDurationMs, parseIntInRange, type Parsed } from '../../runtime/config/values';
import { defaultConfig, type StatusdConfig } from './types';

type Setter = (c: StatusdConfig, args: string[]) => Parsed<void>;
interface Directive {
  repeatable?: boolean;
  /** Allowed number of arguments: [min, max]. */
  args: [number, number];
  set: Setter;
}

const ok: Parsed<void> = { ok: true, value: undefined };
const fail = (message: string): Parsed<void> => ({ ok: false, message });

/** 500ms, 5s, 30 (seconds), 10min, 12h. */
export function parseSpan(text: string, minMs: number, maxMs: number): Parsed<number> {
  const m = /^(\d+)(min|h)$/.exec(text);
  const asSeconds = m?.[1] !== undefined ? `${Number(m[1]) * (m[2] === 'h' ? 3600 : 60)}s` : text;
  const r = parseDurationMs(asSeconds, { bareUnit: 's', minMs, maxMs });
  return r.ok || m === null ? r : { ok: false, message: `${text} is out of range (allowed ${minMs}ms..${maxMs}ms)` };
}

/** 4096, 64K, 1M. */
export function parseBytes(text: string, min: number, max: number): Parsed<number> {
  const m = /^(\d+)([KM]?)$/i.exec(text);
  if (m?.[1] === undefined) return { ok: false, message: `"${text}" is not a size (e.g. 4096, 64K, 1M)` };
  const n = Number(m[1]) * (m[2]?.toUpperCase() === 'M' ? 2 ** 20 : m[2]?.toUpperCase() === 'K' ? 1024 : 1);
  return n < min || n > max ? { ok: false, message: `${text} is out of range (allowed ${min}..${max} bytes)` } : { ok: true, value: n };
}

const int = (key: keyof StatusdConfig, min: number, max: number): Setter => (c, [a = '']) => assign(c, key, parseIntInRange(a, min, max));
const span = (key: keyof StatusdConfig, min: number, max: number): Setter => (c, [a = '']) => assign(c, key, parseSpan(a, min, max));
const bytes = (key: keyof StatusdConfig, min: number, max: number): Setter => (c, [a = '']) => assign(c, key, parseBytes(a, min, max));
const file = (key: 'tlsCert' | 'tlsKey' | 'stateDir' | 'wwwDir'): Setter => (c, [a = '']) => (a.startsWith('/') ? ((c[key] = a), ok) : fail(`"${a}" must be an absolute path`));

function assign(c: StatusdConfig, key: keyof StatusdConfig, r: Parsed<number>): Parsed<void> {
  if (!r.ok) return r;
  (c as unknown as Record<string, number>)[key] = r.value;
  return ok;
}

const UNIT = /^[A-Za-z0-9:_.@\\-]+\.(service|socket|target|timer|mount)$/;
const ORIGIN = /^https?:\/\/[A-Za-z0-9.-]+(:\d{1,5})?$|^https?:\/\/\[[0-9A-Fa-f:.]+\](:\d{1,5})?$/;

export const DIRECTIVES: Readonly<Record<string, Directive>> = {
  listen: { args: [1, 8], set: (c, a) => (a.every((x) => isIP(x) !== 0) ? ((c.listen = a), ok) : fail('addresses must be IPv4 or IPv6 addresses (omit the directive for all)')) },
  http_port: { args: [1, 1], set: int('httpPort', 0, 65535) },
  https_port: { args: [1, 1], set: int('httpsPort', 1, 65535) },
  tls_cert: { args: [1, 1], set: file('tlsCert') },
  tls_key: { args: [1, 1], set: file('tlsKey') },
  state_dir: { args: [1, 1], set: file('stateDir') },
  www_dir: { args: [1, 1], set: file('wwwDir') },
  units: { args: [0, 64], set: (c, a) => (a.every((u) => UNIT.test(u)) ? ((c.units = a), ok) : fail(`not a unit name: ${a.filter((u) => !UNIT.test(u)).join(' ')}`)) },
  sources: { args: [0, 16], set: (c, a) => (a.every((s) => /^[a-z][a-z0-9]{0,31}$/.test(s)) ? ((c.sources = a), ok) : fail('sources are service names like hbd, nicd, csyncd, paneld')) },
  systemd_bus: { args: [1, 1], set: (c, [a = '']) => (/^(unix|tcp):/.test(a) ? ((c.systemdBus = a), ok) : fail('not a D-Bus address (unix:path=...)')) },
  sample_interval: { args: [1, 1], set: span('sampleIntervalMs', 1000, 600_000) },
  session_idle: { args: [1, 1], set: span('sessionIdleMs', 60_000, 7 * 86_400_000) },
  session_lifetime: { args: [1, 1], set: span('sessionLifetimeMs', 60_000, 30 * 86_400_000) },
  max_sessions: { args: [1, 1], set: int('maxSessions', 1, 100_000) },
  login_burst: { args: [1, 1], set: int('loginBurst', 1, 1000) },
  login_refill: { args: [1, 1], set: span('loginRefillMs', 100, 3_600_000) },
  login_global_burst: { args: [1, 1], set: int('loginGlobalBurst', 1, 10_000) },
  login_global_refill: { args: [1, 1], set: span('loginGlobalRefillMs', 10, 3_600_000) },
  max_clients: { args: [1, 1], set: int('maxClients', 1, 100_000) },
  max_payload: { args: [1, 1], set: bytes('maxPayloadBytes', 128, 65536) },
  history: { args: [1, 1], set: int('historyDeltas', 0, 1_000_000) },
  history_bytes: { args: [1, 1], set: bytes('historyBytes', 0, 256 * 2 ** 20) },
  slow_client_high: { args: [1, 1], set: bytes('slowHighBytes', 1024, 64 * 2 ** 20) },
  slow_client_low: { args: [1, 1], set: bytes('slowLowBytes', 0, 64 * 2 ** 20) },
  slow_client_timeout: { args: [1, 1], set: span('slowTimeoutMs', 100, 3_600_000) },
  heartbeat: { args: [1, 1], set: span('heartbeatMs', 100, 600_000) },
  redirect_to: { args: [1, 1], set: (c, [a = '']) => (/^https:/i.test(a) && ORIGIN.test(a) ? ((c.redirectTo = a.toLowerCase()), ok) : fail(`"${a}" is not an https origin like https://lb.example.com:9443`)) },
  allow_origin: { repeatable: true, args: [1, 1], set: (c, [a = '']) => (ORIGIN.test(a) ? (c.allowOrigins.push(a.toLowerCase()), ok) : fail(`"${a}" is not an origin like https://lb.example.com:9443`)) },
};

/** Parse and validate; throws ConfigError listing every problem. */
export function parseStatusdConf(text: string, fileName: string, base: StatusdConfig = defaultConfig()): StatusdConfig {
  const c: StatusdConfig = { ...base, file: fileName, allowOrigins: [...base.allowOrigins] };
  const problems: ConfigProblem[] = [];
  const seen = new Map<string, DirectiveLine>();
  for (const d of splitDirectiveLines(text, fileName, (p) => problems.push(p))) {
    const at = { file: d.file, line: d.line, key: d.key };
    const spec = DIRECTIVES[d.key];
    if (spec === undefined) {
      const hint = closestWord(d.key, Object.keys(DIRECTIVES));
      problems.push({ ...at, message: `unknown directive${hint === undefined ? '' : ` (did you mean "${hint}"?)`}` });
      continue;
    }
    const first = seen.get(d.key);
    if (first !== undefined && spec.repeatable !== true) {
      problems.push({ ...at, message: `given twice (first on line ${first.line}); it takes one value` });
      continue;
    }
    seen.set(d.key, d);
    const [min, max] = spec.args;
    if (d.args.length < min || d.args.length > max) {
      problems.push({ ...at, message: min === max ? `takes ${min} value(s), got ${d.args.length}` : `takes ${min}..${max} values, got ${d.args.length}` });
      continue;
    }
    const r = spec.set(c, d.args);
    if (!r.ok) problems.push({ ...at, message: r.message });
  }
  problems.push(...crossChecks(c, fileName, seen));
  if (problems.length > 0) throw new ConfigError(problems);
  return c;
}

function crossChecks(c: StatusdConfig, file: string, seen: Map<string, DirectiveLine>): ConfigProblem[] {
  const out: ConfigProblem[] = [];
  const where = (key: string): ConfigProblem => ({ file, line: seen.get(key)?.line, key, message: '' });
  if (c.httpPort === c.httpsPort) out.push({ ...where('http_port'), message: `same port as https_port (${c.httpsPort})` });
  if ((c.tlsCert === null) !== (c.tlsKey === null)) out.push({ ...where(c.tlsCert === null ? 'tls_key' : 'tls_cert'), message: 'tls_cert and tls_key go together (give both, or neither for a self-signed certificate)' });
  if (c.slowLowBytes >= c.slowHighBytes) out.push({ ...where('slow_client_low'), message: `must be below slow_client_high (${c.slowHighBytes})` });
  if (c.sessionIdleMs > c.sessionLifetimeMs) out.push({ ...where('session_idle'), message: 'longer than session_lifetime' });
  return out;
}
