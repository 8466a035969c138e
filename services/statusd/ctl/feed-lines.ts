/**
 * How `statusctl watch` prints feed messages for humans: one line each,
 * the snapshot as the status bar plus a summary, deltas as `path = value`.
 */
import type { Change, Json, JsonObject } from '../core/json';
import type { ServerMessage } from '../core/messages';
import { statusBar } from '../core/service-views';

const obj = (v: Json | undefined): Record<string, Json> => (typeof v === 'object' && v !== null && !Array.isArray(v) ? v : {});

/** Master|Slave Active|Passive Link, as the page's status bar. */
export function barText(state: JsonObject): string {
  const hbd = obj(state.hbd);
  if (hbd.running !== true) return 'hbd not running';
  const b = statusBar(hbd);
  const role = b.master ? 'Master' : b.slave ? 'Slave' : '?';
  const st = b.active ? 'Active' : b.passive ? 'Passive' : String(hbd.state ?? '?');
  const link = b.link === 'up' ? 'Link' : b.link === 'down' ? 'NO LINK' : 'no peer';
  return `${role} ${st} ${link}`;
}

export function summary(state: JsonObject): string {
  const parts = [barText(state)];
  const sync = obj(state.csyncd);
  parts.push(sync.running === true ? `sync ${String(sync.status)}` : 'sync: csyncd not running');
  const nics = obj(obj(state.nicd).interfaces);
  if (Object.keys(nics).length > 0) parts.push(`nics ${Object.entries(nics).map(([n, i]) => `${n} ${obj(i).carrier === true ? 'up' : 'down'}`).join(', ')}`);
  const units = obj(obj(state.systemd).units);
  if (Object.keys(units).length > 0) parts.push(`units ${Object.entries(units).map(([n, u]) => `${n.replace(/\.service$/, '')} ${String(obj(u).active)}`).join(', ')}`);
  return parts.join('  |  ');
}

function value(v: Json | undefined, max = 80): string {
  const s = JSON.stringify(v) ?? 'undefined';
  return s.length > max ? `${s.slice(0, max - 1)}…` : s;
}

export function changeText(c: Change): string {
  return c.removed === true ? `${c.path.join('.')} removed` : `${c.path.join('.')} = ${value(c.value)}`;
}

/** One line for a message, or null for messages humans do not need (heartbeats, pongs). */
export function humanLine(m: ServerMessage, state: JsonObject | null, at: Date): string | null {
  const ts = at.toISOString().slice(11, 23);
  switch (m.t) {
    case 'snapshot':
      return `${ts} snapshot #${m.seq} (epoch ${m.epoch})  ${summary(m.state)}`;
    case 'resumed':
      return `${ts} resumed at #${m.from}; ${m.seq - m.from} missed change(s) follow`;
    case 'delta': {
      const bar = m.changes.some((c) => c.path[0] === 'hbd') && state !== null ? `   [${barText(state)}]` : '';
      return `${ts} #${m.seq} ${m.changes.map(changeText).join('; ')}${bar}`;
    }
    case 'error':
      return `${ts} error from statusd: ${m.code} ${m.message}`;
    case 'hb':
    case 'pong':
      return null;
  }
}
