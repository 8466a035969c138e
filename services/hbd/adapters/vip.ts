/**
 * Floating IPs with iproute2, announced with a gratuitous ARP (iputils
 * arping -U) for IPv4 and an unsolicited neighbour advertisement for IPv6
 * (send_ua from resource-agents, the tool Heartbeat's IPv6addr uses).
 * IPv6 VIPs are added with `nodad`: DAD would hold the address tentative for
 * a second, and fail it outright while a partitioned peer still has it; the
 * kernel sends no advertisement for a nodad address, hence send_ua.
 */
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { AppError } from '../../runtime/errors';

/** A floating IP with its interface resolved. */
export interface Vip {
  address: string;
  prefix: number;
  family: 4 | 6;
  iface: string;
}

export interface GarpSettings {
  repeat: number;
  delayMs: number;
}

export const vipLabel = (v: Vip): string => `${v.address}/${v.prefix} on ${v.iface}`;

function ip(args: string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile('ip', args, { timeout: 10_000 }, (err, stdout, stderr) => {
      if (err) reject(new AppError('IP_COMMAND_FAILED', `ip ${args.join(' ')}: ${stderr.trim() || err.message}`));
      else resolve(stdout);
    });
  });
}

export async function addVip(v: Vip): Promise<void> {
  const extra = v.family === 6 ? ['nodad'] : [];
  await ip([`-${v.family}`, 'addr', 'replace', `${v.address}/${v.prefix}`, 'dev', v.iface, ...extra]);
}

export async function removeVip(v: Vip): Promise<boolean> {
  try {
    await ip([`-${v.family}`, 'addr', 'del', `${v.address}/${v.prefix}`, 'dev', v.iface]);
    return true;
  } catch (err) {
    if (/Cannot assign requested address|not found/i.test((err as Error).message)) return false;
    throw err;
  }
}

interface IpAddrJson {
  ifname: string;
  addr_info?: { local: string; prefixlen: number; family: string }[];
}

/** Which of the VIPs are configured right now. */
export async function presentVips(vips: readonly Vip[]): Promise<Vip[]> {
  const all = JSON.parse(await ip(['-j', 'addr', 'show'])) as IpAddrJson[];
  const have = new Set(all.flatMap((i) => (i.addr_info ?? []).map((a) => `${i.ifname}|${a.local}`)));
  return vips.filter((v) => have.has(`${v.iface}|${v.address}`));
}

export const SEND_UA = '/usr/libexec/heartbeat/send_ua';

/** A running announcement; cancel() stops the repeats still to come. */
export interface Announcement {
  cancel(): void;
}

/**
 * Announce a VIP: `repeat` packets `delayMs` apart, the first at once; in the
 * background. Cancel it when the VIP is released: a repeat sent after the
 * release would point the LAN at a unit that no longer holds the address.
 */
export function announceVip(v: Vip, garp: GarpSettings, onError: (err: Error) => void): Announcement {
  const children = new Set<ChildProcess>();
  const timers: NodeJS.Timeout[] = [];
  const start = (cmd: string, args: string[], okCodes: number[]): void => {
    const child = runAnnouncer(cmd, args, okCodes, v, onError);
    children.add(child);
    child.once('exit', () => children.delete(child));
  };
  if (v.family === 6) {
    if (!existsSync(SEND_UA)) onError(new Error(`${SEND_UA} missing (package resource-agents): ${vipLabel(v)} not announced`));
    else start(SEND_UA, ['-i', String(garp.delayMs), '-c', String(garp.repeat), v.address, String(v.prefix), v.iface], [0]);
  } else {
    // One arping per packet: iputils arping takes whole seconds only for -i.
    // -U expects no reply, so arping exits 1 after its wait: that is success here.
    const send = (): void => start('arping', ['-q', '-U', '-c', '1', '-w', '1', '-I', v.iface, v.address], [0, 1]);
    send();
    for (let i = 1; i < garp.repeat; i++) timers.push(setTimeout(send, i * garp.delayMs));
  }
  return {
    cancel: () => {
      timers.forEach((t) => clearTimeout(t));
      children.forEach((c) => c.kill('SIGKILL'));
    },
  };
}

function runAnnouncer(cmd: string, args: string[], okCodes: number[], v: Vip, onError: (err: Error) => void): ChildProcess {
  const child = spawn(cmd, args, { stdio: 'ignore' });
  child.on('error', onError);
  child.on('exit', (code, signal) => {
    if (signal === null && code !== null && !okCodes.includes(code)) onError(new Error(`${cmd} for ${vipLabel(v)} exited ${code}`));
  });
  return child;
}

/** Interface whose subnet contains an IPv4 VIP, like Heartbeat's findif. */
export async function findInterface(address: string, family: 4 | 6): Promise<string | null> {
  const all = JSON.parse(await ip([`-${family}`, '-j', 'addr', 'show'])) as IpAddrJson[];
  for (const i of all) {
    for (const a of i.addr_info ?? []) {
      if (a.local !== address && sameSubnet(a.local, address, a.prefixlen, family)) return i.ifname;
    }
  }
  return null;
}

function sameSubnet(a: string, b: string, prefix: number, family: 4 | 6): boolean {
  const bits = (x: string): bigint => (family === 4 ? v4Bits(x) : v6Bits(x));
  const width = family === 4 ? 32 : 128;
  const shift = BigInt(width - prefix);
  return bits(a) >> shift === bits(b) >> shift;
}

function v4Bits(x: string): bigint {
  return x.split('.').reduce((acc, o) => (acc << 8n) | BigInt(Number(o)), 0n);
}

function v6Bits(x: string): bigint {
  const [head = '', tail = ''] = x.split('::');
  const h = head === '' ? [] : head.split(':');
  const t = tail === '' ? [] : tail.split(':');
  const groups = x.includes('::') ? [...h, ...Array(8 - h.length - t.length).fill('0'), ...t] : h;
  return groups.reduce((acc, g) => (acc << 16n) | BigInt(parseInt(g || '0', 16)), 0n);
}
