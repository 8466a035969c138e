/**
 * The HA page's heartbeat settings (keepalive, warntime, deadtime, initdead,
 * ping node, serial link on or off) read from ha.cf and written back into
 * it: the lines of those directives are replaced where they are, the rest
 * of the file is left as it is. Pure; hbd --check-config judges the result
 * (deadtime above keepalive, and the rest of ha.cf(5)'s rules).
 */
import { parseIpAddress } from '../../runtime/config/values';
import type { Decoded } from './offer';

export interface HeartbeatSettings {
  keepalive: string;
  warntime: string;
  deadtime: string;
  initdead: string;
  pingNode: string | null;
  serial: boolean;
}

const TIMING = ['keepalive', 'warntime', 'deadtime', 'initdead'] as const;
/** Heartbeat's time values: seconds, or with ms / s. */
const DURATION = /^\d{1,6}(\.\d{1,3})?(ms|s)?$/;

const directive = (line: string): string | null => /^\s*([a-z_]+)\b/.exec(line)?.[1] ?? null;

/** What ha.cf says now (Heartbeat's defaults for what it does not say). */
export function readSettings(haCf: string): HeartbeatSettings {
  const lines = haCf.split('\n');
  const value = (key: string, fallback: string): string => {
    const l = lines.find((x) => directive(x) === key);
    return l === undefined ? fallback : (l.trim().split(/\s+/)[1] ?? fallback);
  };
  const ping = lines.find((x) => directive(x) === 'ping');
  return {
    keepalive: value('keepalive', '2'), warntime: value('warntime', '10'), deadtime: value('deadtime', '30'), initdead: value('initdead', '60'),
    pingNode: ping === undefined ? null : (ping.trim().split(/\s+/)[1] ?? null),
    serial: lines.some((x) => directive(x) === 'serial'),
  };
}

/** The page's form, as outside input. */
export function decodeSettings(v: unknown): Decoded<HeartbeatSettings> {
  const o = typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Record<string, unknown>) : null;
  if (o === null) return { ok: false, message: 'expected {"keepalive", "warntime", "deadtime", "initdead", "pingNode", "serial"}' };
  for (const k of TIMING) {
    if (typeof o[k] !== 'string' || !DURATION.test(o[k])) return { ok: false, message: `${k}: a time such as 1, 500ms or 2s` };
  }
  if (o.pingNode !== null && (typeof o.pingNode !== 'string' || !parseIpAddress(o.pingNode).ok)) return { ok: false, message: 'pingNode: an IP address, or null for none' };
  if (typeof o.serial !== 'boolean') return { ok: false, message: 'serial: true or false' };
  return { ok: true, value: { keepalive: o.keepalive as string, warntime: o.warntime as string, deadtime: o.deadtime as string, initdead: o.initdead as string, pingNode: o.pingNode as string | null, serial: o.serial } };
}

/**
 * ha.cf with `s` in it. `serialPort`: the port a serial link uses when it is
 * turned on (the model's); null: it cannot be turned on (refused by the caller).
 */
export function editHaCf(text: string, s: HeartbeatSettings, serialPort: string | null): string {
  const out: string[] = [];
  const done = new Set<string>();
  let serialLines = false;
  for (const line of text.replace(/\n$/, '').split('\n')) {
    const d = directive(line);
    if (d !== null && (TIMING as readonly string[]).includes(d)) {
      if (!done.has(d)) out.push(`${d} ${s[d as (typeof TIMING)[number]]}`);
      done.add(d);
    } else if (d === 'ping') {
      if (!done.has('ping') && s.pingNode !== null) out.push(`ping ${s.pingNode}`);
      done.add('ping');
    } else if (d === 'serial' || d === 'baud') {
      if (s.serial) out.push(line);
      serialLines = true;
    } else {
      out.push(line);
    }
  }
  // What the file did not say yet goes before the node lines (Heartbeat reads node lines last).
  const add: string[] = [];
  for (const k of TIMING) if (!done.has(k)) add.push(`${k} ${s[k]}`);
  if (!done.has('ping') && s.pingNode !== null) add.push(`ping ${s.pingNode}`);
  if (s.serial && !serialLines && serialPort !== null) add.push('baud 19200', `serial ${serialPort}`);
  const firstNode = out.findIndex((l) => directive(l) === 'node');
  out.splice(firstNode < 0 ? out.length : firstNode, 0, ...add);
  return `${out.join('\n')}\n`;
}
