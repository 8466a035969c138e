/**
 * Parser of hardware profile files. Line-oriented like ha.cf(5): `#`
 * comments, one directive per line, positional words then `key value`
 * options. Every problem is reported as `file:line: key: message`; nothing
 * here touches the disk or the hardware.
 *
 *   model        LB-2000
 *   kind         physical
 *   match        LB-2000 Rev B
 *   nic          eth0 speed 1000
 *   cable        eth2 eth3 packets 500 bytes 64M max-loss 0 min-mbps 800
 *   serial       ttyS0 bauds 9600,19200,115200 frames 50
 *   panel        size 20x4 keys Up,Down,Enter,Escape server 127.0.0.1:13666 driver curses
 *   led          lbos:green:status
 *   disk         sda min-size 30G smart auto read 64M
 *   memory       7.5G..8G
 *   cpus         4
 *   temperature  5..85 required
 *   hypervisor   kvm agent qemu-ga
 */
import { splitDirectiveLines, type DirectiveLine } from '../../services/runtime/config/lines';
import { ProblemList } from '../../services/runtime/config/problems';
import { closestWord } from '../../services/runtime/config/suggest';
import { parseEnum, parseIfName, parseIntInRange, type Parsed } from '../../services/runtime/config/values';
import type { CableSpec, DiskSpec, PanelSpec, Profile, ProfileKind, SmartMode } from './types';
import { parseHostPort, parseList, parseNumber, parseRange, parseSize } from './values';

export const DEFAULT_LCDD = { host: '127.0.0.1', port: 13666 };
export const CABLE_DEFAULTS = { packets: 200, bytes: 16 * 2 ** 20, maxLossPct: 0, minMbps: 0 };
export const SERIAL_DEFAULT_FRAMES = 20;
export const DISK_DEFAULT_READ = 16 * 2 ** 20;
/** Upper bounds keep every test bounded in time, whatever a profile says. */
const MAX_PACKETS = 100_000;
const MAX_BYTES = 2 ** 32;
const MAX_FRAMES = 10_000;
const BAUDS = [1200, 2400, 4800, 9600, 19200, 38400, 57600, 115200, 230400, 460800, 921600];

interface Directive {
  /** Positional words before the options, e.g. 2 for `cable A B`. */
  positional: number;
  /** Option keys accepted after the positional words. */
  options: string[];
  /** May appear more than once. */
  repeat: boolean;
  /** One-line example for messages. */
  example: string;
}

const DIRECTIVES: Record<string, Directive> = {
  model: { positional: 1, options: [], repeat: false, example: 'model LB-2000' },
  kind: { positional: 1, options: [], repeat: false, example: 'kind physical' },
  match: { positional: -1, options: [], repeat: true, example: 'match LB-2000 Rev B' },
  nic: { positional: 1, options: ['speed'], repeat: true, example: 'nic eth0 speed 1000' },
  cable: { positional: 2, options: ['packets', 'bytes', 'max-loss', 'min-mbps'], repeat: true, example: 'cable eth2 eth3 packets 500' },
  serial: { positional: 1, options: ['bauds', 'frames'], repeat: true, example: 'serial ttyS0 bauds 9600,115200' },
  panel: { positional: 0, options: ['size', 'keys', 'server', 'driver'], repeat: false, example: 'panel size 20x4 keys Up,Down,Enter,Escape' },
  led: { positional: 1, options: [], repeat: true, example: 'led lbos:green:status' },
  disk: { positional: 1, options: ['min-size', 'smart', 'read'], repeat: true, example: 'disk sda min-size 30G' },
  memory: { positional: 1, options: [], repeat: false, example: 'memory 7.5G..8G' },
  cpus: { positional: 1, options: [], repeat: false, example: 'cpus 4' },
  temperature: { positional: 1, options: ['required'], repeat: false, example: 'temperature 5..85 required' },
  hypervisor: { positional: 1, options: ['agent'], repeat: false, example: 'hypervisor kvm agent qemu-ga' },
};
const NAMES = Object.keys(DIRECTIVES);

/** Words that are flags (no value) among the options. */
const FLAGS = new Set(['required']);

/** A directive split into positional words and options, or undefined after reporting problems. */
interface Split {
  d: DirectiveLine;
  words: string[];
  opts: Map<string, string>;
}

/** Parses a profile; throws ConfigError listing every problem. */
export function parseProfile(text: string, file: string): Profile {
  const problems = new ProblemList();
  const p: Profile = { file, model: '', kind: 'physical', match: [], nics: [], cables: [], serials: [], leds: [], disks: [] };
  const seen = new Map<string, number>();
  let kindSeen = false;
  for (const d of splitDirectiveLines(text, file)) {
    const spec = DIRECTIVES[d.key];
    if (spec === undefined) {
      const guess = closestWord(d.key, NAMES);
      problems.add({ file, line: d.line, key: d.key, message: `unknown directive${guess === undefined ? '' : ` (did you mean ${guess}?)`}` });
      continue;
    }
    const first = seen.get(d.key);
    if (first !== undefined && !spec.repeat) {
      problems.add({ file, line: d.line, key: d.key, message: `given twice (first on line ${first})` });
      continue;
    }
    seen.set(d.key, d.line);
    const s = splitOptions(d, spec, problems);
    if (s === undefined) continue;
    if (d.key === 'kind') kindSeen = true;
    apply(p, s, problems);
  }
  if (!seen.has('model')) problems.add({ file, key: 'model', message: 'missing (e.g. `model LB-2000`)' });
  if (!kindSeen) problems.add({ file, key: 'kind', message: 'missing (physical, virtual or sim)' });
  crossCheck(p, problems);
  problems.throwIfAny();
  return p;
}

function splitOptions(d: DirectiveLine, spec: Directive, problems: ProblemList): Split | undefined {
  const bad = (message: string): undefined => {
    problems.add({ file: d.file, line: d.line, key: d.key, message });
    return undefined;
  };
  if (spec.positional === -1) {
    if (d.args.length === 0) return bad(`needs a value (e.g. \`${spec.example}\`)`);
    return { d, words: [d.args.join(' ')], opts: new Map() };
  }
  if (d.args.length < spec.positional) return bad(`needs ${spec.positional} value(s) (e.g. \`${spec.example}\`)`);
  const words = d.args.slice(0, spec.positional);
  const opts = new Map<string, string>();
  const rest = d.args.slice(spec.positional);
  for (let i = 0; i < rest.length; i++) {
    const key = rest[i] ?? '';
    if (!spec.options.includes(key)) {
      const guess = closestWord(key, spec.options);
      const allowed = spec.options.length === 0 ? 'no options' : `options: ${spec.options.join(', ')}`;
      return bad(`unexpected "${key}"${guess === undefined ? '' : ` (did you mean ${guess}?)`}; ${allowed}`);
    }
    if (opts.has(key)) return bad(`option ${key} given twice`);
    if (FLAGS.has(key)) {
      opts.set(key, 'yes');
      continue;
    }
    const value = rest[i + 1];
    if (value === undefined) return bad(`option ${key} needs a value (e.g. \`${spec.example}\`)`);
    opts.set(key, value);
    i++;
  }
  return { d, words, opts };
}

/** Records a verdict's message as a problem; returns the value or undefined. */
function take<T>(v: Parsed<T>, s: Split, problems: ProblemList, what?: string): T | undefined {
  if (v.ok) return v.value;
  problems.add({ file: s.d.file, line: s.d.line, key: s.d.key, message: what === undefined ? v.message : `${what}: ${v.message}` });
  return undefined;
}

function opt<T>(s: Split, key: string, parse: (t: string) => Parsed<T>, fallback: T, problems: ProblemList): T {
  const text = s.opts.get(key);
  if (text === undefined) return fallback;
  return take(parse(text), s, problems, key) ?? fallback;
}

const deviceName = (t: string): Parsed<string> =>
  /^[A-Za-z0-9_.:-]+(\/[A-Za-z0-9_.:-]+)*$/.test(t) && !t.split('/').includes('..')
    ? { ok: true, value: t }
    : { ok: false, message: `"${t}" is not a device name under /dev (e.g. ttyS0, sda, disk/by-id/ata-X)` };

const ledName = (t: string): Parsed<string> =>
  /^[A-Za-z0-9_.:+-]+$/.test(t) ? { ok: true, value: t } : { ok: false, message: `"${t}" is not an LED class name (e.g. lbos:green:status)` };

const keyName = (t: string): Parsed<string> =>
  /^[A-Za-z0-9_]+$/.test(t) ? { ok: true, value: t } : { ok: false, message: `"${t}" is not an LCDproc key name (e.g. Up, Enter)` };

const baud = (t: string): Parsed<string> =>
  BAUDS.includes(Number(t)) ? { ok: true, value: t } : { ok: false, message: `"${t}" is not a standard baud rate (${BAUDS.join(', ')})` };

function apply(p: Profile, s: Split, problems: ProblemList): void {
  const line = s.d.line;
  const w0 = s.words[0] ?? '';
  switch (s.d.key) {
    case 'model':
      p.model = w0;
      return;
    case 'kind':
      p.kind = take(parseEnum<ProfileKind>(w0, ['physical', 'virtual', 'sim']), s, problems) ?? p.kind;
      return;
    case 'match':
      p.match.push(w0);
      return;
    case 'nic': {
      const name = take(parseIfName(w0), s, problems);
      const speed = opt(s, 'speed', (t) => parseIntInRange(t, 1, 800_000), undefined as number | undefined, problems);
      if (name !== undefined) p.nics.push({ name, ...(speed === undefined ? {} : { speedMbps: speed }), line });
      return;
    }
    case 'cable':
      return addCable(p, s, problems);
    case 'serial': {
      const device = take(deviceName(w0), s, problems);
      const bauds = opt(s, 'bauds', (t) => parseList(t, baud), undefined as string[] | undefined, problems);
      if (!s.opts.has('bauds')) problems.add({ file: s.d.file, line, key: 'serial', message: 'needs bauds (e.g. `serial ttyS0 bauds 9600,115200`)' });
      const frames = opt(s, 'frames', (t) => parseIntInRange(t, 1, MAX_FRAMES), SERIAL_DEFAULT_FRAMES, problems);
      if (device !== undefined && bauds !== undefined) p.serials.push({ device, bauds: bauds.map(Number), frames, line });
      return;
    }
    case 'panel':
      p.panel = parsePanel(s, problems);
      return;
    case 'led': {
      const name = take(ledName(w0), s, problems);
      if (name !== undefined) p.leds.push({ name, line });
      return;
    }
    case 'disk':
      return addDisk(p, s, problems);
    case 'memory':
      p.memory = take(parseRange(w0, parseSize), s, problems);
      return;
    case 'cpus':
      p.cpus = take(parseRange(w0, (t) => parseIntInRange(t, 1, 4096)), s, problems);
      return;
    case 'temperature': {
      const r = take(parseRange(w0, (t) => parseNumber(t, -40, 150)), s, problems);
      if (r !== undefined) p.temperature = { ...r, required: s.opts.has('required') };
      return;
    }
    case 'hypervisor': {
      const agent = s.opts.get('agent');
      if (agent === undefined) {
        problems.add({ file: s.d.file, line, key: 'hypervisor', message: 'needs agent (e.g. `hypervisor kvm agent qemu-ga`)' });
        return;
      }
      p.hypervisor = { name: w0.toLowerCase(), agent, line };
      return;
    }
    default:
      return;
  }
}

function addCable(p: Profile, s: Split, problems: ProblemList): void {
  const a = take(parseIfName(s.words[0] ?? ''), s, problems);
  const b = take(parseIfName(s.words[1] ?? ''), s, problems);
  const c: CableSpec = {
    a: a ?? '',
    b: b ?? '',
    packets: opt(s, 'packets', (t) => parseIntInRange(t, 1, MAX_PACKETS), CABLE_DEFAULTS.packets, problems),
    bytes: opt(s, 'bytes', (t) => bounded(parseSize(t), 1, MAX_BYTES), CABLE_DEFAULTS.bytes, problems),
    maxLossPct: opt(s, 'max-loss', (t) => parseNumber(t, 0, 100), CABLE_DEFAULTS.maxLossPct, problems),
    minMbps: opt(s, 'min-mbps', (t) => parseNumber(t, 0, 800_000), CABLE_DEFAULTS.minMbps, problems),
    line: s.d.line,
  };
  if (a !== undefined && a === b) problems.add({ file: s.d.file, line: s.d.line, key: 'cable', message: `${a} is cabled to itself` });
  else if (a !== undefined && b !== undefined) p.cables.push(c);
}

function addDisk(p: Profile, s: Split, problems: ProblemList): void {
  const device = take(deviceName(s.words[0] ?? ''), s, problems);
  const d: DiskSpec = {
    device: device ?? '',
    minBytes: opt(s, 'min-size', parseSize, 0, problems),
    smart: opt(s, 'smart', (t) => parseEnum<SmartMode>(t, ['auto', 'required', 'off']), 'auto' as SmartMode, problems),
    readBytes: opt(s, 'read', (t) => bounded(parseSize(t), 0, MAX_BYTES), DISK_DEFAULT_READ, problems),
    line: s.d.line,
  };
  if (device !== undefined) p.disks.push(d);
}

function parsePanel(s: Split, problems: ProblemList): PanelSpec | undefined {
  const size = s.opts.get('size');
  const m = size === undefined ? null : /^(\d{1,3})x(\d{1,3})$/.exec(size);
  if (m === null) {
    problems.add({ file: s.d.file, line: s.d.line, key: 'panel', message: `needs size WIDTHxHEIGHT (e.g. size 20x4)${size === undefined ? '' : `, not "${size}"`}` });
  }
  const keys = opt(s, 'keys', (t) => parseList(t, keyName), [] as string[], problems);
  const server = opt(s, 'server', parseHostPort, DEFAULT_LCDD, problems);
  const driver = opt(s, 'driver', lcddDriver, undefined as string | undefined, problems);
  if (m === null) return undefined;
  return { width: Number(m[1]), height: Number(m[2]), keys, host: server.host, port: server.port, ...(driver === undefined ? {} : { driver }), line: s.d.line };
}

/** An LCDd driver name as in LCDd.conf's Driver= (a module file name: CFontzPacket, hd44780, curses...). */
function lcddDriver(t: string): Parsed<string> {
  return /^[A-Za-z][A-Za-z0-9_]{0,31}$/.test(t) ? { ok: true, value: t } : { ok: false, message: `"${t}" is not an LCDd driver name (e.g. CFontzPacket, hd44780)` };
}

function bounded(v: Parsed<number>, min: number, max: number): Parsed<number> {
  if (!v.ok) return v;
  return v.value < min || v.value > max ? { ok: false, message: `${v.value} is out of range (allowed ${min}..${max} bytes)` } : v;
}

/** Problems that need the whole file: cables must join NICs that are listed, each port in one cable. */
function crossCheck(p: Profile, problems: ProblemList): void {
  const nics = new Set(p.nics.map((n) => n.name));
  const used = new Map<string, number>();
  for (const c of p.cables) {
    for (const port of [c.a, c.b]) {
      if (!nics.has(port)) problems.add({ file: p.file, line: c.line, key: 'cable', message: `${port} is not a listed nic (add \`nic ${port}\`)` });
      const before = used.get(port);
      if (before !== undefined) problems.add({ file: p.file, line: c.line, key: 'cable', message: `${port} is already cabled on line ${before}` });
      used.set(port, c.line);
    }
  }
  const dup = <T extends { line: number }>(items: T[], name: (t: T) => string, key: string): void => {
    const at = new Map<string, number>();
    for (const it of items) {
      const first = at.get(name(it));
      if (first !== undefined) problems.add({ file: p.file, line: it.line, key, message: `${name(it)} listed twice (first on line ${first})` });
      else at.set(name(it), it.line);
    }
  };
  dup(p.nics, (n) => n.name, 'nic');
  dup(p.serials, (n) => n.device, 'serial');
  dup(p.leds, (n) => n.name, 'led');
  dup(p.disks, (n) => n.device, 'disk');
  if (p.hypervisor !== undefined && p.kind !== 'virtual') {
    problems.add({ file: p.file, line: p.hypervisor.line, key: 'hypervisor', message: `only for kind virtual (this profile is ${p.kind})` });
  }
}
