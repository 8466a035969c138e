/**
 * Value parsers of profile files, in the runtime's verdict style (no throw):
 * sizes (64M, 7.5G), ranges (4, 2..8, 10..85, 1..), lists (a,b,c).
 */
import { parseIntInRange, type Parsed } from '../../services/runtime/config/values';
import type { Range } from './types';

const ok = <T>(value: T): Parsed<T> => ({ ok: true, value });
const bad = <T>(message: string): Parsed<T> => ({ ok: false, message });

const SIZE_UNITS: Record<string, number> = { '': 1, K: 2 ** 10, M: 2 ** 20, G: 2 ** 30, T: 2 ** 40 };

/** "512", "64K", "32M", "7.5G", "2T" (binary units) -> bytes. */
export function parseSize(text: string): Parsed<number> {
  const m = /^(\d+(?:\.\d+)?)([KMGT]?)(?:i?B)?$/i.exec(text);
  const unit = SIZE_UNITS[(m?.[2] ?? '').toUpperCase()];
  if (m === null || unit === undefined) return bad(`"${text}" is not a size (e.g. 512, 64M, 7.5G)`);
  return ok(Math.round(Number(m[1]) * unit));
}

/** A number with an optional decimal part, e.g. 0.5. */
export function parseNumber(text: string, min: number, max: number): Parsed<number> {
  if (!/^-?\d+(\.\d+)?$/.test(text)) return bad(`"${text}" is not a number (allowed ${min}..${max})`);
  const n = Number(text);
  if (n < min || n > max) return bad(`${n} is out of range (allowed ${min}..${max})`);
  return ok(n);
}

/** "N" (exactly N), "A..B", "A.." or "..B", each end parsed by `one`. */
export function parseRange(text: string, one: (t: string) => Parsed<number>): Parsed<Range> {
  const dots = text.indexOf('..');
  if (dots === -1) {
    const v = one(text);
    return v.ok ? ok({ min: v.value, max: v.value }) : v;
  }
  const lo = text.slice(0, dots);
  const hi = text.slice(dots + 2);
  if (lo === '' && hi === '') return bad(`"${text}" is not a range (e.g. 4, 2..8, 2.. or ..8)`);
  const range: Range = {};
  if (lo !== '') {
    const v = one(lo);
    if (!v.ok) return v;
    range.min = v.value;
  }
  if (hi !== '') {
    const v = one(hi);
    if (!v.ok) return v;
    range.max = v.value;
  }
  if (range.min !== undefined && range.max !== undefined && range.min > range.max) {
    return bad(`"${text}": the lower end is above the upper end`);
  }
  return ok(range);
}

/** Comma-separated, no empty items. */
export function parseList(text: string, item: (t: string) => Parsed<string>): Parsed<string[]> {
  const parts = text.split(',');
  const out: string[] = [];
  for (const p of parts) {
    if (p === '') return bad(`"${text}" has an empty item (write a,b,c)`);
    const v = item(p);
    if (!v.ok) return v;
    out.push(v.value);
  }
  return ok(out);
}

/** host:port of a TCP service (LCDd). */
export function parseHostPort(text: string): Parsed<{ host: string; port: number }> {
  const colon = text.lastIndexOf(':');
  if (colon <= 0) return bad(`"${text}" is not host:port (e.g. 127.0.0.1:13666)`);
  const port = parseIntInRange(text.slice(colon + 1), 1, 65535);
  if (!port.ok) return bad(`port of "${text}": ${port.message}`);
  return ok({ host: text.slice(0, colon), port: port.value });
}

/** Human-readable range for messages: "4", "2..8", ">= 2", "<= 8". */
export function formatRange(r: Range, unit = ''): string {
  const u = unit === '' ? '' : ` ${unit}`;
  if (r.min !== undefined && r.max !== undefined) return r.min === r.max ? `${r.min}${u}` : `${r.min}..${r.max}${u}`;
  if (r.min !== undefined) return `>= ${r.min}${u}`;
  if (r.max !== undefined) return `<= ${r.max}${u}`;
  return 'any';
}

export function inRange(v: number, r: Range): boolean {
  return (r.min === undefined || v >= r.min) && (r.max === undefined || v <= r.max);
}
