/**
 * csyncd.cfg: ALOHA's `KEY=VALUE` lines (LOCAL_IP, REMOTE_IP, LOCAL_NODE,
 * REMOTE_NODE) and the service options of ALOHA's `service csyncd` block
 * (`port 24`, `config_dir`, `state_dir`, `account`) plus ours (`auto_sync`,
 * `debounce`, `check_interval`), in one file. Every problem is reported with
 * file:line; ALOHA-only options are accepted with a warning.
 */
import * as path from 'node:path';
import { splitDirectiveLines, type DirectiveLine } from '../../runtime/config/lines';
import { ConfigError, type ConfigProblem } from '../../runtime/config/problems';
import { parseBool, parseDurationMs, parseIntInRange, parseIpAddress, type Parsed } from '../../runtime/config/values';
import { DEFAULTS, type CsyncdSettings } from './types';

const ASSIGNMENTS = ['LOCAL_IP', 'REMOTE_IP', 'LOCAL_NODE', 'REMOTE_NODE'] as const;
type Assignment = (typeof ASSIGNMENTS)[number];
const OPTIONS = ['port', 'config_dir', 'state_dir', 'account', 'auto_sync', 'debounce', 'check_interval'] as const;
type Option = (typeof OPTIONS)[number];
/** ALOHA options that mean nothing here: csyncd talks SSH directly, systemd starts it. */
const IGNORED: Record<string, string> = {
  tunnel_name: 'ignored: csyncd uses SSH directly, there is no tunnel interface',
  tunnel_prefix: 'ignored: csyncd uses SSH directly, there is no tunnel interface',
  no: 'ignored: use `systemctl enable|disable csyncd` instead of "no autostart"',
};

export interface ParsedCsyncdCfg {
  settings: CsyncdSettings;
  warnings: ConfigProblem[];
}

interface Seen {
  value: string;
  line: number;
}

/** Parse and validate; throws ConfigError with every problem. */
export function parseCsyncdCfg(text: string, file: string): ParsedCsyncdCfg {
  const problems: ConfigProblem[] = [];
  const warnings: ConfigProblem[] = [];
  const seen = new Map<string, Seen>();
  for (const d of splitDirectiveLines(text, file, (p) => problems.push(p))) {
    const entry = classify(d);
    const at = { file, line: d.line };
    if (entry.kind === 'ignored') {
      warnings.push({ ...at, key: d.key, message: entry.message });
      continue;
    }
    if (entry.kind === 'bad') {
      problems.push({ ...at, key: entry.key ?? d.key, message: entry.message });
      continue;
    }
    const before = seen.get(entry.key);
    if (before !== undefined) {
      problems.push({ ...at, key: entry.key, message: `set twice (also on line ${before.line})` });
      continue;
    }
    seen.set(entry.key, { value: entry.value, line: d.line });
  }
  const settings = validate(seen, file, problems);
  if (problems.length > 0 || settings === null) throw new ConfigError([...problems].sort((a, b) => (a.line ?? 1e9) - (b.line ?? 1e9)));
  return { settings, warnings };
}

type Classified = { kind: 'set'; key: Assignment | Option; value: string } | { kind: 'ignored'; message: string } | { kind: 'bad'; message: string; key?: string };

function classify(d: DirectiveLine): Classified {
  const whole = [d.key, ...d.args].join(' ');
  const assign = /^([A-Za-z_][A-Za-z0-9_]*)\s*=\s*(.*)$/.exec(whole);
  if (assign !== null) {
    const key = assign[1] ?? '';
    if (!(ASSIGNMENTS as readonly string[]).includes(key)) {
      return { kind: 'bad', key, message: `unknown setting (known: ${ASSIGNMENTS.join(', ')})` };
    }
    return { kind: 'set', key: key as Assignment, value: unquote(assign[2] ?? '') };
  }
  const ignored = IGNORED[d.key];
  if (ignored !== undefined) return { kind: 'ignored', message: ignored };
  if (!(OPTIONS as readonly string[]).includes(d.key)) {
    return { kind: 'bad', message: `unknown option (known: ${[...ASSIGNMENTS.map((a) => `${a}=`), ...OPTIONS].join(', ')})` };
  }
  if (d.args.length !== 1) return { kind: 'bad', message: `takes exactly one value, got ${d.args.length}` };
  return { kind: 'set', key: d.key as Option, value: d.args[0] ?? '' };
}

function unquote(v: string): string {
  const t = v.trim();
  const m = /^"(.*)"$|^'(.*)'$/.exec(t);
  return m === null ? t : (m[1] ?? m[2] ?? '');
}

function validate(seen: Map<string, Seen>, file: string, problems: ConfigProblem[]): CsyncdSettings | null {
  const get = <T>(key: string, parse: (v: string) => Parsed<T>, fallback: T | undefined, hint: string): T | undefined => {
    const s = seen.get(key);
    if (s === undefined) {
      if (fallback === undefined) problems.push({ file, key, message: `missing: ${hint}` });
      return fallback;
    }
    if (s.value === '') {
      problems.push({ file, line: s.line, key, message: `empty: ${hint}` });
      return undefined;
    }
    const r = parse(s.value);
    if (!r.ok) problems.push({ file, line: s.line, key, message: r.message });
    return r.ok ? r.value : undefined;
  };
  const ip = (v: string): Parsed<string> => {
    const r = parseIpAddress(v);
    return r.ok ? { ok: true, value: r.value.address } : r;
  };
  const node = (v: string): Parsed<number> => parseIntInRange(v, 1, 255);
  const localIp = get('LOCAL_IP', ip, undefined, "set this unit's administration address, e.g. LOCAL_IP=10.0.32.11");
  const remoteIp = get('REMOTE_IP', ip, undefined, "set the peer's administration address, e.g. REMOTE_IP=10.0.32.12");
  const localNode = get('LOCAL_NODE', node, undefined, 'this unit\'s id, 1..255 (by convention 1 on the primary)');
  const remoteNode = get('REMOTE_NODE', node, undefined, "the peer's id, 1..255");
  const port = get('port', (v) => parseIntInRange(v, 1, 65535), DEFAULTS.port, '');
  const configDir = get('config_dir', absDir, path.dirname(file), '');
  const stateDir = get('state_dir', absDir, DEFAULTS.stateDir, '');
  const account = get('account', accountName, DEFAULTS.account, '');
  const autoSync = get('auto_sync', parseBool, DEFAULTS.autoSync, '');
  const debounceMs = get('debounce', (v) => parseDurationMs(v, { bareUnit: 's', minMs: 100, maxMs: 60_000 }), DEFAULTS.debounceMs, '');
  const checkIntervalMs = get('check_interval', (v) => parseDurationMs(v, { bareUnit: 's', minMs: 1000, maxMs: 3_600_000 }), DEFAULTS.checkIntervalMs, '');
  const line = (k: string): number | undefined => seen.get(k)?.line;
  if (localNode !== undefined && localNode === remoteNode) {
    problems.push({ file, line: line('REMOTE_NODE'), key: 'REMOTE_NODE', message: `must differ from LOCAL_NODE (both ${localNode}); the two units use inverted values` });
  }
  if (localIp !== undefined && localIp === remoteIp) {
    problems.push({ file, line: line('REMOTE_IP'), key: 'REMOTE_IP', message: `must differ from LOCAL_IP (both ${localIp})` });
  }
  if (localIp !== undefined && remoteIp !== undefined && localIp.includes(':') !== remoteIp.includes(':')) {
    problems.push({ file, line: line('REMOTE_IP'), key: 'REMOTE_IP', message: 'LOCAL_IP and REMOTE_IP must be of the same family (both IPv4 or both IPv6)' });
  }
  if (configDir !== undefined && stateDir !== undefined && (configDir === stateDir)) {
    problems.push({ file, line: line('state_dir'), key: 'state_dir', message: 'must differ from config_dir' });
  }
  const all = [localIp, remoteIp, localNode, remoteNode, port, configDir, stateDir, account, autoSync, debounceMs, checkIntervalMs];
  if (all.some((v) => v === undefined)) return null;
  return {
    file,
    localIp: localIp as string,
    remoteIp: remoteIp as string,
    localNode: localNode as number,
    remoteNode: remoteNode as number,
    port: port as number,
    configDir: configDir as string,
    stateDir: stateDir as string,
    account: account as string,
    autoSync: autoSync as boolean,
    debounceMs: debounceMs as number,
    checkIntervalMs: checkIntervalMs as number,
  };
}

function absDir(v: string): Parsed<string> {
  if (!path.isAbsolute(v)) return { ok: false, message: `"${v}" is not an absolute path` };
  return { ok: true, value: path.normalize(v).replace(/(.)\/+$/, '$1') };
}

/** ALOHA writes `user[@host]`; the host part is REMOTE_IP here, so only the user is kept. */
function accountName(v: string): Parsed<string> {
  const user = v.split('@')[0] ?? '';
  if (!/^[a-z_][a-z0-9_.-]{0,31}$/.test(user) || user === 'getkey') {
    return { ok: false, message: `"${v}" is not an account name (lower case letters, digits, _ . -; not "getkey")` };
  }
  return { ok: true, value: user };
}
