/**
 * Value parsers for config directives. Each returns a verdict instead of
 * throwing, so a loader can collect every problem of a file in one pass.
 */
import { isIP } from 'node:net';
import { quoteText } from './problems';

export type Parsed<T> = { ok: true; value: T } | { ok: false; message: string };

const ok = <T>(value: T): Parsed<T> => ({ ok: true, value });
const bad = <T>(message: string): Parsed<T> => ({ ok: false, message });

/**
 * Integer within [min, max], written plainly: digits with an optional
 * minus, no leading zeros (`010` is octal to some readers, decimal to
 * others), no `-0`, `+1`, `1e3` or `0x10`.
 */
export function parseIntInRange(text: string, min: number, max: number): Parsed<number> {
  if (!/^-?\d+$/.test(text)) return bad(`${quoteText(text)} is not a whole number (allowed ${min}..${max})`);
  if (/^-?0\d/.test(text) || text === '-0') return bad(`${quoteText(text)}: write the number without leading zeros (allowed ${min}..${max})`);
  if (text.length > 16) return bad(`${quoteText(text)} is out of range (allowed ${min}..${max})`);
  const n = Number(text);
  if (n < min || n > max) return bad(`${n} is out of range (allowed ${min}..${max})`);
  return ok(n);
}

export interface DurationBounds {
  /** Unit of a bare number: ha.cf uses seconds. */
  bareUnit: 's' | 'ms';
  minMs: number;
  maxMs: number;
}

/** "2", "2s", "500ms", "0.5" (seconds when bareUnit is s) -> milliseconds. */
export function parseDurationMs(text: string, bounds: DurationBounds): Parsed<number> {
  const m = /^(\d+(?:\.\d+)?)(ms|s)?$/.exec(text);
  if (m === null || m[1] === undefined || text.length > 24) {
    return bad(`${quoteText(text)} is not a duration (e.g. 2, 2s or 500ms)`);
  }
  const unit = m[2] ?? bounds.bareUnit;
  const ms = Math.round(Number(m[1]) * (unit === 's' ? 1000 : 1));
  if (ms < bounds.minMs || ms > bounds.maxMs) {
    return bad(`${text} is out of range (allowed ${bounds.minMs}ms..${bounds.maxMs}ms)`);
  }
  return ok(ms);
}

const TRUE_WORDS = new Set(['on', 'yes', 'true', '1']);
const FALSE_WORDS = new Set(['off', 'no', 'false', '0']);

/** on/off, yes/no, true/false, 1/0. */
export function parseBool(text: string): Parsed<boolean> {
  const t = text.toLowerCase();
  if (TRUE_WORDS.has(t)) return ok(true);
  if (FALSE_WORDS.has(t)) return ok(false);
  return bad(`${quoteText(text)} is not on/off (or yes/no, true/false)`);
}

/** One of a fixed set of words. */
export function parseEnum<T extends string>(text: string, allowed: readonly T[]): Parsed<T> {
  return (allowed as readonly string[]).includes(text)
    ? ok(text as T)
    : bad(`${quoteText(text)} is not one of ${allowed.join(', ')}`);
}

/** An IPv4 or IPv6 address (no prefix). */
export function parseIpAddress(text: string): Parsed<{ address: string; family: 4 | 6 }> {
  const family = isIP(text);
  if (family === 0) return bad(`${quoteText(text)} is not an IPv4 or IPv6 address`);
  return ok({ address: text, family: family as 4 | 6 });
}

/**
 * A DNS host name (RFC 1123 2.1): dot-separated labels of 1..63 letters,
 * digits and inner hyphens, at most 253 characters, optionally one final
 * dot. A name whose last label is all digits would be read as an address
 * by resolvers (`127.0.-0.1`, `256.1.1.1`), so it is refused.
 */
export function parseHostName(text: string): Parsed<string> {
  const name = text.endsWith('.') ? text.slice(0, -1) : text;
  const labels = name.split('.');
  const labelOk = (l: string): boolean => /^[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?$/.test(l);
  if (name.length === 0 || name.length > 253 || !labels.every(labelOk)) {
    return bad(`${quoteText(text)} is not a host name (dot-separated labels of 1..63 letters, digits and inner '-')`);
  }
  if (/^\d+$/.test(labels[labels.length - 1] ?? '')) return bad(`${quoteText(text)} is neither an IP address nor a host name`);
  return ok(text);
}

/** An IP address or a host name (parseHostName), for settings that take either. */
export function parseHostOrAddress(text: string): Parsed<string> {
  if (isIP(text) !== 0) return ok(text);
  return parseHostName(text);
}

/** address/prefix, with the prefix checked against the family. */
export function parseCidr(text: string): Parsed<{ address: string; prefix: number; family: 4 | 6 }> {
  const slash = text.lastIndexOf('/');
  if (slash === -1) return bad(`${quoteText(text)} has no /prefix (e.g. 192.0.2.10/24)`);
  const addr = parseIpAddress(text.slice(0, slash));
  if (!addr.ok) return addr;
  const max = addr.value.family === 4 ? 32 : 128;
  const prefix = parseIntInRange(text.slice(slash + 1), 0, max);
  if (!prefix.ok) return bad(`prefix of ${quoteText(text)}: ${prefix.message}`);
  return ok({ ...addr.value, prefix: prefix.value });
}

/** Linux interface name rules (IFNAMSIZ 16 incl. NUL, no '/', ':' or white space). */
export function parseIfName(text: string): Parsed<string> {
  if (text.length === 0 || text.length > 15) return bad(`${quoteText(text)} is not an interface name (1..15 characters)`);
  if (!/^[A-Za-z0-9_.@-]+$/.test(text) || text === '.' || text === '..') {
    return bad(`${quoteText(text)} is not an interface name (letters, digits, _ . - @)`);
  }
  return ok(text);
}
