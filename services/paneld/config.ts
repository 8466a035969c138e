/**
 * paneld.conf and the LED mapping files (README "Configuration", "LED
 * mapping"): one directive per line, `#` comments, every problem reported
 * as file:line: key: message before anything starts.
 */
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { stringOpt, type ParsedCli } from '../runtime/cli';
import { checkFileModes, type FileOwner, type FileToCheck } from '../runtime/config/file-mode';
import { splitDirectiveLines, type DirectiveLine } from '../runtime/config/lines';
import { ConfigError, type ConfigProblem } from '../runtime/config/problems';
import { closestWord } from '../runtime/config/suggest';
import { parseBool, parseDurationMs, parseHostOrAddress, parseIntInRange, type Parsed } from '../runtime/config/values';
import { errorMessage } from '../runtime/errors';
import type { LoadedConfig } from '../runtime/service';
import { LED_ROLES, type LedRole } from './core/leds';

export const DEFAULT_CONFIG_FILE = '/etc/lbos/paneld.conf';
export const DEFAULT_LED_DIR = '/usr/share/lbos/leds';
export const SERVICES = ['hbd', 'nicd', 'csyncd'] as const;

export interface LedBinding {
  led: string;
  /** null: the LED's max_brightness. */
  brightness: number | null;
}

export interface LedMap {
  file: string;
  roles: Partial<Record<LedRole, LedBinding>>;
  blinkOnMs: number;
  blinkOffMs: number;
}

export interface PaneldConfig {
  file: string;
  lcd: boolean;
  lcdprocHost: string;
  lcdprocPort: number;
  pageIntervalMs: number;
  ledRoot: string;
  /** none, or a model name (<led_dir>/<model>.conf), or an absolute file. */
  ledModel: string;
  ledDir: string;
  /** Loaded with the config, so a bad map is refused like a bad config. */
  ledMap: LedMap | null;
  banner: boolean;
  bannerFile: string;
  /** Touched after each banner change so agetty prints it again (none: off). */
  agettyReload: string | null;
  webPort: number;
  expect: (typeof SERVICES)[number][];
  /** Seconds nicd waits for "keep" after a change made on the keypad; 0: applied at once. */
  confirmTimeoutS: number;
  hostname: string | null;
}

export function defaultConfig(): PaneldConfig {
  return {
    file: '(defaults)',
    lcd: true,
    lcdprocHost: '127.0.0.1',
    lcdprocPort: 13666,
    pageIntervalMs: 4000,
    ledRoot: '/sys/class/leds',
    ledModel: 'none',
    ledDir: DEFAULT_LED_DIR,
    ledMap: null,
    banner: true,
    bannerFile: '/etc/issue.d/lbos.issue',
    agettyReload: '/run/agetty.reload',
    webPort: 9443,
    expect: [...SERVICES],
    confirmTimeoutS: 120,
    hostname: null,
  };
}

type Setter = (c: PaneldConfig, args: string[]) => Parsed<void>;
const ok: Parsed<void> = { ok: true, value: undefined };
const fail = (message: string): Parsed<void> => ({ ok: false, message });
const abs = (set: (c: PaneldConfig, v: string) => void): Setter => (c, [a = '']) => (a.startsWith('/') ? (set(c, a), ok) : fail(`"${a}" must be an absolute path`));
const bool = (set: (c: PaneldConfig, v: boolean) => void): Setter => (c, [a = '']) => {
  const r = parseBool(a);
  return r.ok ? (set(c, r.value), ok) : r;
};
const int = (min: number, max: number, set: (c: PaneldConfig, v: number) => void): Setter => (c, [a = '']) => {
  const r = parseIntInRange(a, min, max);
  return r.ok ? (set(c, r.value), ok) : r;
};

const DIRECTIVES: Readonly<Record<string, { args: [number, number]; set: Setter }>> = {
  lcd: { args: [1, 1], set: bool((c, v) => (c.lcd = v)) },
  lcdproc_host: {
    args: [1, 1],
    set: (c, [a = '']) => {
      const r = parseHostOrAddress(a);
      return r.ok ? ((c.lcdprocHost = r.value), ok) : r;
    },
  },
  lcdproc_port: { args: [1, 1], set: int(1, 65535, (c, v) => (c.lcdprocPort = v)) },
  page_interval: {
    args: [1, 1],
    set: (c, [a = '']) => {
      const r = parseDurationMs(a, { bareUnit: 's', minMs: 1000, maxMs: 60_000 });
      return r.ok ? ((c.pageIntervalMs = r.value), ok) : r;
    },
  },
  led_root: { args: [1, 1], set: abs((c, v) => (c.ledRoot = v)) },
  led_dir: { args: [1, 1], set: abs((c, v) => (c.ledDir = v)) },
  led_model: { args: [1, 1], set: (c, [a = '']) => (a.startsWith('/') || /^[A-Za-z0-9_.-]{1,64}$/.test(a) ? ((c.ledModel = a), ok) : fail(`"${a}" is not a model name (e.g. lb-2000) or an absolute file`)) },
  banner: { args: [1, 1], set: bool((c, v) => (c.banner = v)) },
  banner_file: { args: [1, 1], set: abs((c, v) => (c.bannerFile = v)) },
  agetty_reload: { args: [1, 1], set: (c, [v]) => (v === 'none' ? ((c.agettyReload = null), ok) : abs((cc, p) => (cc.agettyReload = p))(c, [v ?? ''])) },
  web_port: { args: [1, 1], set: int(1, 65535, (c, v) => (c.webPort = v)) },
  expect: {
    args: [0, 3],
    set: (c, a) => {
      const bad = a.filter((s) => !(SERVICES as readonly string[]).includes(s));
      return bad.length > 0 ? fail(`unknown service ${bad.join(' ')} (known: ${SERVICES.join(' ')})`) : ((c.expect = a as PaneldConfig['expect']), ok);
    },
  },
  confirm_timeout: {
    args: [1, 1],
    set: (c, [a = '']) => {
      const r = parseDurationMs(a, { bareUnit: 's', minMs: 0, maxMs: 3_600_000 });
      if (!r.ok) return r;
      if (r.value !== 0 && r.value < 30_000) return fail(`${a} is too short to walk to a laptop and check (0, or 30s..3600s)`);
      c.confirmTimeoutS = Math.round(r.value / 1000);
      return ok;
    },
  },
  hostname: { args: [1, 1], set: (c, [a = '']) => (/^[A-Za-z0-9][A-Za-z0-9.-]{0,62}$/.test(a) ? ((c.hostname = a), ok) : fail(`"${a}" is not a host name`)) },
};

function walk<C>(text: string, file: string, c: C, table: Readonly<Record<string, { args: [number, number]; set: (c: C, a: string[]) => Parsed<void>; repeatable?: boolean }>>): ConfigProblem[] {
  const problems: ConfigProblem[] = [];
  const seen = new Map<string, DirectiveLine>();
  for (const d of splitDirectiveLines(text, file, (p) => problems.push(p))) {
    const at = { file: d.file, line: d.line, key: d.key };
    const spec = table[d.key];
    if (spec === undefined) {
      const hint = closestWord(d.key, Object.keys(table));
      problems.push({ ...at, message: `unknown directive${hint === undefined ? '' : ` (did you mean "${hint}"?)`}` });
      continue;
    }
    const first = seen.get(d.key);
    if (first !== undefined && spec.repeatable !== true) {
      problems.push({ ...at, message: `given twice (first on line ${first.line})` });
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
  return problems;
}

export function parsePaneldConf(text: string, file: string): PaneldConfig {
  const c: PaneldConfig = { ...defaultConfig(), file };
  const problems = walk(text, file, c, DIRECTIVES);
  if (problems.length > 0) throw new ConfigError(problems);
  return c;
}

type MapSetter = (m: LedMap, args: string[]) => Parsed<void>;
const role = (r: LedRole): { args: [number, number]; set: MapSetter } => ({
  args: [1, 2],
  set: (m, [led = '', b]) => {
    if (!/^[^/\s]{1,128}$/.test(led) || led === '.' || led === '..') return fail(`"${led}" is not an LED name (a directory under /sys/class/leds)`);
    let brightness: number | null = null;
    if (b !== undefined && b !== 'max') {
      const v = parseIntInRange(b, 1, 65535);
      if (!v.ok) return { ok: false, message: `brightness: ${v.message} (or "max")` };
      brightness = v.value;
    }
    m.roles[r] = { led, brightness };
    return ok;
  },
});

const MAP_DIRECTIVES: Readonly<Record<string, { args: [number, number]; set: MapSetter }>> = {
  ...Object.fromEntries(LED_ROLES.map((r) => [r, role(r)])),
  blink: {
    args: [2, 2],
    set: (m, [on = '', off = '']) => {
      const a = parseDurationMs(on, { bareUnit: 'ms', minMs: 50, maxMs: 10_000 });
      const b = parseDurationMs(off, { bareUnit: 'ms', minMs: 50, maxMs: 10_000 });
      if (!a.ok) return a;
      if (!b.ok) return b;
      m.blinkOnMs = a.value;
      m.blinkOffMs = b.value;
      return ok;
    },
  },
};

export function parseLedMap(text: string, file: string): LedMap {
  const m: LedMap = { file, roles: {}, blinkOnMs: 500, blinkOffMs: 500 };
  const problems = walk(text, file, m, MAP_DIRECTIVES);
  const leds = Object.entries(m.roles).map(([r, b]) => [r, b.led] as const);
  for (const [r, led] of leds) {
    const other = leds.find(([r2, l2]) => l2 === led && r2 !== r);
    if (other !== undefined && r < other[0]) problems.push({ file, key: r, message: `LED ${led} is also given to ${other[0]}` });
  }
  if (problems.length > 0) throw new ConfigError(problems);
  return m;
}

export function ledMapFile(c: PaneldConfig): string | null {
  if (c.ledModel === 'none') return null;
  return c.ledModel.startsWith('/') ? c.ledModel : path.join(c.ledDir, `${c.ledModel}.conf`);
}

async function readOrNull(file: string): Promise<string | null> {
  try {
    return await fs.readFile(file, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw new ConfigError([{ file, message: `cannot read: ${errorMessage(err)}` }]);
  }
}

/** -c FILE (must exist), else /etc/lbos/paneld.conf when present, else the defaults; then the LED map. */
export async function loadPaneldConfig(cli: ParsedCli, owner?: FileOwner): Promise<LoadedConfig<PaneldConfig>> {
  const given = stringOpt(cli, 'config');
  const file = given ?? DEFAULT_CONFIG_FILE;
  const text = await readOrNull(file);
  if (text === null && given !== undefined) throw new ConfigError([{ file, message: 'cannot read: no such file' }]);
  const config = text === null ? defaultConfig() : parsePaneldConf(text, file);
  const mapFile = ledMapFile(config);
  if (mapFile !== null) {
    const mapText = await readOrNull(mapFile);
    if (mapText === null) throw new ConfigError([{ file: config.file, key: 'led_model', message: `no LED mapping file ${mapFile}` }]);
    config.ledMap = parseLedMap(mapText, mapFile);
  }
  // Nobody but root may change what the panel does (its keypad changes addresses through nicd).
  const trusted: FileToCheck[] = [...(text === null ? [] : [{ file, trust: 'config' as const }]), ...(mapFile === null ? [] : [{ file: mapFile, trust: 'config' as const }])];
  const problems = await checkFileModes(trusted, owner);
  if (problems.length > 0) throw new ConfigError(problems);
  return { config, warnings: [] };
}
