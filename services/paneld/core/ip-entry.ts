/**
 * IPv4 entry on a keypad: the address is a row of 12 digits shown as
 * "ddd.ddd.ddd.ddd" (Up/Down change the digit under the cursor), the prefix
 * two digits. Validation says why in words short enough for the LCD, using
 * nicd's own address rules (services/runtime/netconf/ip.ts, shared with nicd).
 */
import { isV4NetworkOrBroadcast, subnetContains, unusableReason, type Cidr } from '../../runtime/netconf/ip';

export const ADDRESS_DIGITS = 12;
export const PREFIX_DIGITS = 2;
export const MIN_PREFIX = 8;
export const MAX_PREFIX = 30;

/** "192.168.2.21" -> "192168002021"; anything that is not dotted IPv4 -> zeros. */
export function ipToDigits(ip: string | undefined): string {
  const parts = (ip ?? '').split('.');
  if (parts.length !== 4 || !parts.every((p) => /^\d{1,3}$/.test(p))) return '0'.repeat(ADDRESS_DIGITS);
  return parts.map((p) => p.padStart(3, '0')).join('');
}

/** "192168002021" -> "192.168.002.021" (as shown while editing). */
export function digitsShown(d: string): string {
  return [d.slice(0, 3), d.slice(3, 6), d.slice(6, 9), d.slice(9, 12)].join('.');
}

/** Column of digit `k` in the shown form (dots skipped). */
export const digitColumn = (k: number): number => k + Math.floor(k / 3);

export type Verdict<T> = { ok: true; value: T } | { ok: false; message: string };

/** "192168002021" -> "192.168.2.21", or why not. */
export function digitsToIp(d: string): Verdict<string> {
  if (!/^\d{12}$/.test(d)) return { ok: false, message: 'need 12 digits' };
  const octets = [0, 3, 6, 9].map((k) => Number(d.slice(k, k + 3)));
  const big = octets.findIndex((o) => o > 255);
  if (big !== -1) return { ok: false, message: `part ${big + 1} is over 255` };
  return { ok: true, value: octets.join('.') };
}

/** Change digit `k` by +1/-1, wrapping 9 <-> 0. */
export function bumpDigit(d: string, k: number, by: 1 | -1): string {
  const c = Number(d[k] ?? '0');
  return d.slice(0, k) + String((c + by + 10) % 10) + d.slice(k + 1);
}

export function checkAddress(ip: string): string | null {
  const why = unusableReason(ip);
  return why === null ? null : `${ip} ${why}`;
}

export function checkCidr(ip: string, prefix: number): Verdict<Cidr> {
  if (!Number.isInteger(prefix) || prefix < MIN_PREFIX || prefix > MAX_PREFIX) return { ok: false, message: `prefix must be /${MIN_PREFIX}../${MAX_PREFIX}` };
  const c: Cidr = { address: ip, prefix, family: 4 };
  if (isV4NetworkOrBroadcast(c)) return { ok: false, message: `${ip}/${prefix} is the network or broadcast address` };
  return { ok: true, value: c };
}

/** A gateway must be a usable host on the management subnet, other than the unit itself. */
export function checkGateway(gw: string, mgmt: Cidr | null): string | null {
  if (mgmt === null) return 'set the IP address first';
  const why = unusableReason(gw);
  if (why !== null) return `${gw} ${why}`;
  if (!subnetContains(mgmt, gw)) return `${gw} is not on ${mgmt.address}/${mgmt.prefix}`;
  if (gw === mgmt.address) return `${gw} is this unit`;
  if (isV4NetworkOrBroadcast({ address: gw, prefix: mgmt.prefix, family: 4 })) return `${gw} is the network or broadcast address`;
  return null;
}

/** The first IPv4 CIDR of a list ("a.b.c.d/nn"), parsed. */
export function firstV4(addresses: readonly string[]): Cidr | null {
  for (const a of addresses) {
    const m = /^(\d{1,3}(?:\.\d{1,3}){3})\/(\d{1,2})$/.exec(a);
    if (m?.[1] !== undefined && m[2] !== undefined) return { address: m[1], prefix: Number(m[2]), family: 4 };
  }
  return null;
}
