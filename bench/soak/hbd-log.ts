/**
 * Reads hbd's JSON log (pino lines) for what the soak counts: peer status
 * changes (warn, dead), state changes, links going dead, and anything at
 * error level or above. The log is the record that survives a slow D-Bus:
 * every transition is logged by the core as it happens.
 */
import { existsSync, readFileSync } from 'node:fs';

export type HbdLogKind = 'peer-warn' | 'peer-dead' | 'peer-up' | 'became-active' | 'became-standby' | 'link-dead' | 'link-up' | 'error';

export interface HbdLogEvent {
  tMs: number;
  kind: HbdLogKind;
  /** The line as logged, for the report. */
  line: string;
}

interface PinoLine {
  level?: number;
  time?: string;
  msg?: string;
  status?: string;
  to?: string;
}

const PINO_ERROR = 50;

function kindOf(l: PinoLine): HbdLogKind | undefined {
  if (l.msg === 'peer status') return l.status === 'warn' ? 'peer-warn' : l.status === 'dead' ? 'peer-dead' : l.status === 'up' ? 'peer-up' : undefined;
  if (l.msg === 'state change') return l.to === 'active' ? 'became-active' : l.to === 'standby' ? 'became-standby' : undefined;
  if (l.msg === 'link dead') return 'link-dead';
  if (l.msg === 'link up') return 'link-up';
  if ((l.level ?? 0) >= PINO_ERROR) return 'error';
  return undefined;
}

/** The events in `file` logged at or after `sinceMs` (wall clock). */
export function readHbdLog(file: string, sinceMs: number): HbdLogEvent[] {
  return existsSync(file) ? parseHbdLog(readFileSync(file, 'utf8'), sinceMs) : [];
}

/** The events in a log text at or after `sinceMs`; non-JSON lines (a crash trace) count as errors. Pure. */
export function parseHbdLog(text: string, sinceMs: number): HbdLogEvent[] {
  const out: HbdLogEvent[] = [];
  let lastMs = Number.NEGATIVE_INFINITY;
  for (const line of text.split('\n')) {
    if (line.trim() === '') continue;
    let l: PinoLine;
    try {
      l = JSON.parse(line) as PinoLine;
    } catch {
      // A stack trace or a message from node itself: keep it, timed like the line before it.
      if (lastMs >= sinceMs) out.push({ tMs: lastMs, kind: 'error', line });
      continue;
    }
    const tMs = l.time === undefined ? Number.NaN : Date.parse(l.time);
    if (!Number.isFinite(tMs)) continue;
    lastMs = tMs;
    if (tMs < sinceMs) continue;
    const kind = kindOf(l);
    if (kind !== undefined) out.push({ tMs, kind, line });
  }
  return out;
}

export const countKind = (evs: readonly HbdLogEvent[], kind: HbdLogKind): number => evs.filter((e) => e.kind === kind).length;
