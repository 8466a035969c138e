/**
 * IP address arithmetic for the config validator and the planner: parse to
 * bigint, canonical text (RFC 5952, what `ip -j` prints), subnets, overlap.
 * Pure string and number work: no sockets, no DNS.
 */
import { isIP } from 'node:net';

export type Family = 4 | 6;

/** An address with its prefix length, e.g. 192.0.2.10/24. */
export interface Cidr {
  /** Canonical text (RFC 5952 for IPv6). */
  address: string;
  prefix: number;
  family: Family;
}

export const familyOf = (text: string): Family | null => {
  const f = isIP(text);
  return f === 4 || f === 6 ? f : null;
};

export const bitsOf = (family: Family): number => (family === 4 ? 32 : 128);

/** The address as an unsigned integer; throws on text that is not an address. */
export function toBigint(text: string): bigint {
  const family = familyOf(text);
  if (family === 4) return text.split('.').reduce((acc, o) => (acc << 8n) | BigInt(Number(o)), 0n);
  if (family === 6) return v6Groups(text).reduce((acc, g) => (acc << 16n) | BigInt(g), 0n);
  throw new Error(`not an IP address: ${text}`);
}

function v6Groups(text: string): number[] {
  let t = text.toLowerCase();
  const pct = t.indexOf('%');
  if (pct !== -1) t = t.slice(0, pct);
  const v4 = /^(.*:)(\d+\.\d+\.\d+\.\d+)$/.exec(t);
  let tailV4: number[] = [];
  if (v4 !== null && v4[1] !== undefined && v4[2] !== undefined) {
    const o = v4[2].split('.').map(Number);
    tailV4 = [((o[0] ?? 0) << 8) | (o[1] ?? 0), ((o[2] ?? 0) << 8) | (o[3] ?? 0)];
    t = v4[1].endsWith('::') ? v4[1] : v4[1].slice(0, -1);
  }
  const [head = '', tail] = t.split('::');
  const left = head === '' ? [] : head.split(':').map((g) => parseInt(g, 16));
  const right = tail === undefined || tail === '' ? [] : tail.split(':').map((g) => parseInt(g, 16));
  const total = left.length + right.length + tailV4.length;
  const zeros = tail === undefined ? [] : new Array<number>(8 - total).fill(0);
  return [...left, ...zeros, ...right, ...tailV4];
}

/** Text of an integer address: dotted quad, or RFC 5952 (lower case, longest zero run as ::). */
export function fromBigint(n: bigint, family: Family): string {
  if (family === 4) return [24n, 16n, 8n, 0n].map((s) => String((n >> s) & 0xffn)).join('.');
  const groups = Array.from({ length: 8 }, (_, i) => Number((n >> BigInt(112 - i * 16)) & 0xffffn));
  let bestStart = -1;
  let bestLen = 0;
  for (let i = 0; i < 8; ) {
    if (groups[i] !== 0) {
      i++;
      continue;
    }
    let j = i;
    while (j < 8 && groups[j] === 0) j++;
    if (j - i > bestLen && j - i >= 2) {
      bestStart = i;
      bestLen = j - i;
    }
    i = j;
  }
  const hex = (gs: number[]): string => gs.map((g) => g.toString(16)).join(':');
  if (bestStart === -1) return hex(groups);
  return `${hex(groups.slice(0, bestStart))}::${hex(groups.slice(bestStart + bestLen))}`;
}

/** Canonical text of an address; the input unchanged when it is not one. */
export function canonicalIp(text: string): string {
  const family = familyOf(text);
  return family === null ? text : fromBigint(toBigint(text), family);
}

function mask(prefix: number, family: Family): bigint {
  const width = BigInt(bitsOf(family));
  const all = (1n << width) - 1n;
  return all ^ ((1n << (width - BigInt(prefix))) - 1n);
}

/** The network address of a CIDR, as an integer. */
export const networkOf = (c: Cidr): bigint => toBigint(c.address) & mask(c.prefix, c.family);

/** The network as text, e.g. 192.0.2.0/24. */
export const networkText = (c: Cidr): string => `${fromBigint(networkOf(c), c.family)}/${c.prefix}`;

export const cidrText = (c: Cidr): string => `${c.address}/${c.prefix}`;

/** Does the subnet of `c` contain `address`? */
export function subnetContains(c: Cidr, address: string): boolean {
  if (familyOf(address) !== c.family) return false;
  return (toBigint(address) & mask(c.prefix, c.family)) === networkOf(c);
}

/** Do two subnets share any address? */
export function subnetsOverlap(a: Cidr, b: Cidr): boolean {
  if (a.family !== b.family) return false;
  const p = Math.min(a.prefix, b.prefix);
  const m = mask(p, a.family);
  return (toBigint(a.address) & m) === (toBigint(b.address) & m);
}

/** True when the host part is all zeros or all ones in an IPv4 subnet that has both (prefix <= 30). */
export function isV4NetworkOrBroadcast(c: Cidr): boolean {
  if (c.family !== 4 || c.prefix > 30) return false;
  const host = toBigint(c.address) & ~mask(c.prefix, 4) & 0xffffffffn;
  return host === 0n || host === (1n << BigInt(32 - c.prefix)) - 1n;
}

/** fe80::/10: the kernel's per-link addresses, never configured or removed by nicd. */
export function isLinkLocal6(address: string): boolean {
  return familyOf(address) === 6 && (toBigint(address) >> 118n) === 0x3fan;
}

/** Why an address cannot be a host address on an interface, or null when it can. */
export function unusableReason(address: string): string | null {
  const family = familyOf(address);
  if (family === null) return 'not an IP address';
  const n = toBigint(address);
  if (family === 4) {
    if (n >> 24n === 0n) return 'is in 0.0.0.0/8 ("this network")';
    if (n >> 24n === 127n) return 'is a loopback address';
    if (n >> 28n === 0xen) return 'is a multicast address';
    if (n >> 28n === 0xfn) return 'is reserved or broadcast (240.0.0.0/4)';
    return null;
  }
  if (n === 0n) return 'is the unspecified address ::';
  if (n === 1n) return 'is the loopback address ::1';
  if (n >> 120n === 0xffn) return 'is a multicast address';
  if (isLinkLocal6(address)) return 'is link-local (fe80::/10): the kernel manages those';
  return null;
}

/** Parse "A.B.C.D/NN" or "A.B.C.D/255.255.255.0" (IPv4 only) into a prefix length. */
export function netmaskToPrefix(mask4: string): number | null {
  if (familyOf(mask4) !== 4) return null;
  const n = toBigint(mask4);
  const inverted = ~n & 0xffffffffn;
  if ((inverted & (inverted + 1n)) !== 0n) return null; // ones must be contiguous from the top
  let prefix = 32;
  for (let x = inverted; x > 0n; x >>= 1n) prefix--;
  return prefix;
}
