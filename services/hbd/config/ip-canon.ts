/**
 * Canonical text of an IP address, so that `2001:db8::10` and
 * `2001:DB8:0:0:0:0:0:10` are recognised as the same VIP or peer.
 * Pure string work: no DNS, no sockets.
 */
import { isIP } from 'node:net';

/** Lower-case, fully expanded form; the input unchanged when it is not an address. */
export function canonicalIp(text: string): string {
  const family = isIP(text);
  if (family === 4) return text.split('.').map((o) => String(Number(o))).join('.');
  if (family !== 6) return text;
  return expandV6(withoutZone(text).toLowerCase());
}

function withoutZone(text: string): string {
  const pct = text.indexOf('%');
  return pct === -1 ? text : text.slice(0, pct);
}

function expandV6(text: string): string {
  const groups = embeddedV4ToHex(text);
  const [head = '', tail] = groups.split('::');
  const left = head === '' ? [] : head.split(':');
  const right = tail === undefined || tail === '' ? [] : tail.split(':');
  const zeros = tail === undefined ? [] : new Array<string>(8 - left.length - right.length).fill('0');
  return [...left, ...zeros, ...right].map((g) => g.padStart(4, '0')).join(':');
}

/** `::ffff:192.0.2.1` -> `::ffff:c000:201`. */
function embeddedV4ToHex(text: string): string {
  const m = /^(.*:)(\d+\.\d+\.\d+\.\d+)$/.exec(text);
  if (m === null || m[1] === undefined || m[2] === undefined) return text;
  const o = m[2].split('.').map(Number);
  const hex = (a: number, b: number): string => ((a << 8) | b).toString(16);
  return `${m[1]}${hex(o[0] ?? 0, o[1] ?? 0)}:${hex(o[2] ?? 0, o[3] ?? 0)}`;
}
