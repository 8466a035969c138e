/**
 * Loader for /etc/ha.d/haresources (Heartbeat v1 resource groups):
 *
 *   lb1 IPaddr2::192.0.2.10/24/eth0 IPaddr2::2001:db8::10/64/eth0 haproxy Foo::arg1::arg2
 *
 * The first word is the preferred owner; resources follow in start order
 * (stopped in reverse). A word that starts with an address is IPaddr; the
 * IP agents (IPaddr, IPaddr2, IPv6addr) take `address/prefix[/iface][/broadcast]`,
 * split on the first `::` only because IPv6 addresses contain `::`. Anything
 * else is a resource script (`name::arg::arg`). Unlike Heartbeat we never
 * guess a netmask, and we accept a single resource group (active/passive).
 */
import { isIP } from 'node:net';
import { splitDirectiveLines, type DirectiveLine } from '../../runtime/config/lines';
import { ProblemList } from '../../runtime/config/problems';
import { parseIfName, parseIntInRange, type Parsed } from '../../runtime/config/values';
import { canonicalIp } from './ip-canon';

/** A service address hbd adds on takeover and removes on release. */
export interface VipResource {
  kind: 'vip';
  address: string;
  prefix: number;
  family: 4 | 6;
  /** Absent: the adapter picks the interface whose subnet contains the address. */
  iface?: string;
}

/** A Heartbeat resource script (/etc/ha.d/resource.d/NAME or /etc/init.d/NAME) with its arguments. */
export interface ScriptResource {
  kind: 'script';
  name: string;
  args: string[];
}

export type Resource = VipResource | ScriptResource;

/** The one resource group of the pair. */
export interface Haresources {
  /** Preferred node (lower-cased), the "owner" of auto_failback. */
  owner: string;
  /** In start order. */
  resources: Resource[];
}

const SCRIPT_NAME = /^[A-Za-z0-9_.-]+$/;
const IP_AGENTS: Record<string, 4 | 6 | 'any'> = { IPaddr: 4, IPaddr2: 'any', IPv6addr: 6 };
/** The resource agents hbd runs itself (floating IPs); any other name is a script. */
export const IP_AGENT_NAMES: readonly string[] = Object.keys(IP_AGENTS);

/** Parses haresources for a pair made of `nodes`; throws ConfigError listing every problem. */
export function parseHaresources(text: string, file: string, nodes: string[]): Haresources {
  const problems = new ProblemList();
  const known = nodes.map((n) => n.toLowerCase());
  const lines = splitDirectiveLines(text, file, (p) => problems.add(p));
  const seen: Array<{ resource: Resource; line: number }> = [];
  let owner: { name: string; line: number } | undefined;
  for (const d of lines) {
    const name = d.key.toLowerCase();
    if (!known.includes(name)) {
      problems.add({ file, line: d.line, key: d.key, message: `owner is not one of the nodes (${known.join(', ')})` });
    } else if (owner !== undefined && owner.name !== name) {
      const msg = `active/active resource groups are not supported (line ${owner.line} gives ${owner.name}); list every resource after one owner`;
      problems.add({ file, line: d.line, key: d.key, message: msg });
    } else {
      owner ??= { name, line: d.line };
    }
    if (d.args.length === 0) problems.add({ file, line: d.line, key: d.key, message: 'no resources listed' });
    for (const token of d.args) addResource(token, d, seen, problems);
  }
  if (lines.length === 0) {
    problems.add({ file, message: 'no resource group: expected e.g. `lb1 IPaddr2::192.0.2.10/24/eth0 haproxy`' });
  }
  problems.throwIfAny();
  return { owner: owner?.name ?? '', resources: seen.map((s) => s.resource) };
}

function addResource(token: string, d: DirectiveLine, seen: Array<{ resource: Resource; line: number }>, problems: ProblemList): void {
  const r = parseResource(token);
  if (!r.ok) return problems.add({ file: d.file, line: d.line, key: token, message: r.message });
  const first = seen.find((s) => sameResource(s.resource, r.value));
  if (first !== undefined) {
    const what = r.value.kind === 'vip' ? `VIP ${r.value.address}` : `resource ${r.value.name}`;
    const msg = `${what} listed twice (lines ${first.line} and ${d.line})`;
    return problems.add({ file: d.file, line: d.line, key: token, message: msg });
  }
  seen.push({ resource: r.value, line: d.line });
}

function sameResource(a: Resource, b: Resource): boolean {
  if (a.kind === 'vip' && b.kind === 'vip') return canonicalIp(a.address) === canonicalIp(b.address);
  if (a.kind === 'script' && b.kind === 'script') return a.name === b.name && a.args.join('\0') === b.args.join('\0');
  return false;
}

/** One resource word. Exported for tests. */
export function parseResource(token: string): Parsed<Resource> {
  if (isIP(token.split('/')[0] ?? '') !== 0) return parseIpSpec('IPaddr', token, 'any');
  const sep = token.indexOf('::');
  const name = sep === -1 ? token : token.slice(0, sep);
  const rest = sep === -1 ? undefined : token.slice(sep + 2);
  const family = IP_AGENTS[name];
  if (family !== undefined) {
    if (rest === undefined || rest === '') return bad(`${name} needs an address, e.g. ${name}::192.0.2.10/24/eth0`);
    return parseIpSpec(name, rest, family);
  }
  if (!SCRIPT_NAME.test(name)) return bad(`"${name}" is not a resource name (letters, digits, _ . -)`);
  const args = rest === undefined ? [] : rest.split('::');
  if (args.some((a) => a === '')) return bad('empty argument (two `::` in a row or a trailing `::`)');
  return { ok: true, value: { kind: 'script', name, args } };
}

const bad = <T>(message: string): Parsed<T> => ({ ok: false, message });

/** `address/prefix[/iface][/broadcast]`; the broadcast is checked and dropped (the kernel derives it). */
function parseIpSpec(agent: string, spec: string, allowed: 4 | 6 | 'any'): Parsed<Resource> {
  const [address = '', prefixText, third, fourth, ...extra] = spec.split('/');
  const family = isIP(address);
  if (family === 0) return bad(`"${address}" is not an IPv4 or IPv6 address`);
  if (allowed !== 'any' && family !== allowed) {
    return bad(`${agent} is IPv${allowed} only; use IPaddr2 for ${address}`);
  }
  if (prefixText === undefined || prefixText === '') {
    return bad(`${address} has no /prefix; hbd does not guess netmasks (e.g. ${address}/${family === 4 ? 24 : 64})`);
  }
  if (isIP(prefixText) !== 0) return bad(`/${prefixText} is a netmask; write the prefix length (e.g. /24)`);
  const prefix = parseIntInRange(prefixText, 1, family === 4 ? 32 : 128);
  if (!prefix.ok) return bad(`prefix of ${address}: ${prefix.message}`);
  if (extra.length > 0) return bad(`too many /fields in "${spec}" (address/prefix[/iface][/broadcast])`);
  const vip: VipResource = { kind: 'vip', address, prefix: prefix.value, family: family as 4 | 6 };
  const tail = parseTail(third, fourth, family);
  if (!tail.ok) return tail;
  if (tail.value !== undefined) vip.iface = tail.value;
  return { ok: true, value: vip };
}

/** The optional interface and broadcast fields; returns the interface. */
function parseTail(third: string | undefined, fourth: string | undefined, family: number): Parsed<string | undefined> {
  const broadcastOk = (b: string): Parsed<undefined> =>
    family === 4 && isIP(b) === 4 ? { ok: true, value: undefined } : bad(`"${b}" is not an IPv4 broadcast address`);
  if (third === undefined) return { ok: true, value: undefined };
  if (isIP(third) !== 0) return fourth === undefined ? broadcastOk(third) : bad('broadcast must come after the interface');
  if (third.includes(':')) return bad(`"${third}": interface aliases are not needed; write ${third.split(':')[0]}`);
  const iface = parseIfName(third);
  if (!iface.ok) return iface;
  if (fourth !== undefined) {
    const b = broadcastOk(fourth);
    if (!b.ok) return b;
  }
  return { ok: true, value: iface.value };
}
