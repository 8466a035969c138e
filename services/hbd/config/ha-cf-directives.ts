/**
 * One handler per ha.cf directive. Each checks its own arguments and records
 * them, with their line, in a draft; defaults and cross-directive rules come
 * later (ha-cf-resolve.ts) so that every problem of the file is reported.
 */
import type { DirectiveLine } from '../../runtime/config/lines';
import {
  parseDurationMs,
  parseEnum,
  parseIfName,
  parseIntInRange,
  parseIpAddress,
  type Parsed,
} from '../../runtime/config/values';
import { canonicalIp } from './ip-canon';
import { BAUD_RATES, DEFAULT_TRACK_SCRIPT_INTERVAL_MS, MAX_TIMER_MS, MIN_TIMER_MS } from './ha-cf-types';
import type { TrackScript, UcastLink } from './ha-cf-types';
import { type Located, type ScalarKey, type Sink, type HaCfDraft, report, warn } from './ha-cf-draft';

/** Arity and handler of one directive. */
export interface DirectiveSpec {
  minArgs: number;
  maxArgs: number;
  usage: string;
  apply(d: DirectiveLine, draft: HaCfDraft, sink: Sink): void;
}

const MANY = Number.POSITIVE_INFINITY;
/** Node names travel in every advert; keep them hostname-like and short. */
const NODE_NAME = /^[a-z0-9][a-z0-9._-]{0,62}$/;

const duration = (minMs: number) => (t: string) =>
  parseDurationMs(t, { bareUnit: 's', minMs, maxMs: MAX_TIMER_MS });
const intIn = (min: number, max: number) => (t: string) => parseIntInRange(t, min, max);

function parseBaud(text: string): Parsed<number> {
  const v = parseEnum(text, BAUD_RATES.map(String));
  return v.ok ? { ok: true, value: Number(v.value) } : v;
}

/** on | off | legacy (legacy behaves as on, Heartbeat's deprecated default). */
function parseAutoFailback(text: string): Parsed<number> {
  const v = parseEnum(text.toLowerCase(), ['on', 'off', 'legacy', 'yes', 'no', 'true', 'false'] as const);
  if (!v.ok) return { ok: false, message: `"${text}" is not one of on, off, legacy` };
  return { ok: true, value: ['off', 'no', 'false'].includes(v.value) ? 0 : 1 };
}

/** A directive that may appear once and takes one value. */
function scalar(key: ScalarKey, usage: string, parse: (t: string) => Parsed<number>): DirectiveSpec {
  return {
    minArgs: 1,
    maxArgs: 1,
    usage,
    apply(d, draft, sink) {
      const first = draft.scalars.get(key);
      if (first !== undefined) {
        report(sink, d, `given twice (lines ${first.line} and ${d.line}); keep one`);
        return;
      }
      const v = parse(d.args[0] ?? '');
      if (!v.ok) return report(sink, d, v.message);
      draft.scalars.set(key, { value: v.value, line: d.line });
      if (key === 'auto_failback' && d.args[0]?.toLowerCase() === 'legacy') {
        warn(sink, d, 'legacy is deprecated in Heartbeat and read as on; write `auto_failback on`');
      }
    },
  };
}

/** Adds an item unless an equal one is already listed (then reports both lines). */
function addUnique<T>(
  list: Located<T>[],
  item: T,
  same: (a: T) => boolean,
  d: DirectiveLine,
  sink: Sink,
  what: string,
): void {
  const first = list.find((x) => same(x.value));
  if (first === undefined) list.push({ value: item, line: d.line });
  else report(sink, d, `${what} listed twice (lines ${first.line} and ${d.line})`);
}

function applyNode(d: DirectiveLine, draft: HaCfDraft, sink: Sink): void {
  for (const raw of d.args) {
    const name = raw.toLowerCase();
    if (!NODE_NAME.test(name)) {
      report(sink, d, `"${raw}" is not a node name (letters, digits, . _ -, at most 63, as \`uname -n\`)`);
    } else if (draft.nodes.some((n) => n.value === name)) {
      warn(sink, d, `node ${name} listed twice`);
    } else {
      draft.nodes.push({ value: name, line: d.line });
    }
  }
}

function applyUcast(d: DirectiveLine, draft: HaCfDraft, sink: Sink): void {
  const iface = parseIfName(d.args[0] ?? '');
  const peer = parseIpAddress(d.args[1] ?? '');
  if (!iface.ok) report(sink, d, iface.message);
  if (!peer.ok) report(sink, d, peer.message);
  if (!iface.ok || !peer.ok) return;
  const link: UcastLink = { iface: iface.value, peerAddress: peer.value.address, family: peer.value.family };
  const key = canonicalIp(link.peerAddress);
  const same = (u: UcastLink) => u.iface === link.iface && canonicalIp(u.peerAddress) === key;
  addUnique(draft.ucast, link, same, d, sink, `peer ${link.peerAddress} on ${link.iface}`);
}

function applySerial(d: DirectiveLine, draft: HaCfDraft, sink: Sink): void {
  for (const dev of d.args) {
    if (!dev.startsWith('/')) report(sink, d, `"${dev}" is not a device path (e.g. /dev/ttyS0)`);
    else addUnique(draft.serial, dev, (x) => x === dev, d, sink, `serial device ${dev}`);
  }
}

function applyPing(d: DirectiveLine, draft: HaCfDraft, sink: Sink): void {
  for (const host of d.args) {
    const ip = parseIpAddress(host);
    if (!ip.ok) {
      report(sink, d, `${ip.message}; ping nodes are IP addresses (no DNS at failover time)`);
      continue;
    }
    const key = canonicalIp(host);
    addUnique(draft.ping, host, (x) => canonicalIp(x) === key, d, sink, `ping node ${host}`);
  }
}

function applyTrackInterface(d: DirectiveLine, draft: HaCfDraft, sink: Sink): void {
  const iface = parseIfName(d.args[0] ?? '');
  if (!iface.ok) return report(sink, d, iface.message);
  addUnique(draft.trackInterfaces, iface.value, (x) => x === iface.value, d, sink, `interface ${iface.value}`);
}

function applyTrackScript(d: DirectiveLine, draft: HaCfDraft, sink: Sink): void {
  const path = d.args[0] ?? '';
  if (!path.startsWith('/')) return report(sink, d, `"${path}" is not an absolute path`);
  let intervalMs = DEFAULT_TRACK_SCRIPT_INTERVAL_MS;
  if (d.args[1] !== undefined) {
    const v = duration(MIN_TIMER_MS)(d.args[1]);
    if (!v.ok) return report(sink, d, `interval: ${v.message}`);
    intervalMs = v.value;
  }
  const script: TrackScript = { path, intervalMs };
  addUnique(draft.trackScripts, script, (x) => x.path === path, d, sink, `script ${path}`);
}

/** Every directive hbd implements. */
export const DIRECTIVES: Record<string, DirectiveSpec> = {
  node: { minArgs: 1, maxArgs: MANY, usage: 'node NAME...', apply: applyNode },
  ucast: { minArgs: 2, maxArgs: 2, usage: 'ucast IFACE PEER_IP', apply: applyUcast },
  serial: { minArgs: 1, maxArgs: MANY, usage: 'serial DEVICE...', apply: applySerial },
  ping: { minArgs: 1, maxArgs: MANY, usage: 'ping IP...', apply: applyPing },
  track_interface: { minArgs: 1, maxArgs: 1, usage: 'track_interface IFACE', apply: applyTrackInterface },
  track_script: { minArgs: 1, maxArgs: 2, usage: 'track_script PATH [INTERVAL]', apply: applyTrackScript },
  udpport: scalar('udpport', 'udpport PORT', intIn(1, 65535)),
  baud: scalar('baud', 'baud RATE', parseBaud),
  keepalive: scalar('keepalive', 'keepalive DURATION', duration(MIN_TIMER_MS)),
  warntime: scalar('warntime', 'warntime DURATION', duration(MIN_TIMER_MS)),
  deadtime: scalar('deadtime', 'deadtime DURATION', duration(MIN_TIMER_MS)),
  initdead: scalar('initdead', 'initdead DURATION', duration(MIN_TIMER_MS)),
  deadping: scalar('deadping', 'deadping DURATION', duration(MIN_TIMER_MS)),
  auto_failback: scalar('auto_failback', 'auto_failback on|off|legacy', parseAutoFailback),
  priority: scalar('priority', 'priority 1..254', intIn(1, 254)),
  preempt_delay: scalar('preempt_delay', 'preempt_delay DURATION', duration(0)),
  garp_repeat: scalar('garp_repeat', 'garp_repeat 1..100', intIn(1, 100)),
  garp_delay: scalar('garp_delay', 'garp_delay DURATION', duration(0)),
};
