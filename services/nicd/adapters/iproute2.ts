/**
 * iproute2 as nicd's hands and eyes: Step -> `ip` command lines (pure,
 * table-tested), and the live links, addresses and routes as JSON.
 * Everything runs `ip` with execFile (no shell); a failing command becomes
 * AppError('IP_COMMAND_FAILED') carrying iproute2's own message.
 */
import { execFile } from 'node:child_process';
import { AppError } from '../../runtime/errors';
import { cidrText } from '../core/ip';
import type { LiveAddress, LiveLink, LiveRoute, RouteSpec, Step } from '../core/model';
import { decodeAddresses, decodeLinks, decodeRoutes } from './ip-json';
import { readSpeedDuplex } from './sysfs';

const IP_TIMEOUT_MS = 10_000;

/** Bond options: link monitoring by MII every 100 ms (the kernel default is none). */
const BOND_OPTIONS = ['miimon', '100'];

export function ip(args: readonly string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile('ip', [...args], { timeout: IP_TIMEOUT_MS, maxBuffer: 16 << 20 }, (err, stdout, stderr) => {
      if (err) reject(new AppError('IP_COMMAND_FAILED', `ip ${args.join(' ')}: ${stderr.trim() || err.message}`, { args }));
      else resolve(stdout);
    });
  });
}

const routeArgs = (r: RouteSpec): string[] => [`-${r.family}`, 'route'];

/** The `ip` argument lists of a step, in order; [] for steps that are not iproute2's (files, hostname). */
export function stepCommands(s: Step): string[][] {
  switch (s.kind) {
    case 'RemoveRoute':
      return [[...routeArgs(s.route), 'del', s.route.dst, 'via', s.route.via, 'dev', s.route.dev]];
    case 'RemoveAddress':
      return [[`-${s.cidr.family}`, 'addr', 'del', cidrText(s.cidr), 'dev', s.ifname]];
    case 'ReleaseSlave':
      return [['link', 'set', 'dev', s.name, 'nomaster']];
    case 'DeleteLink':
      return [['link', 'del', 'dev', s.name]];
    case 'CreateBond':
      return [['link', 'add', 'name', s.name, 'type', 'bond', 'mode', s.mode, ...BOND_OPTIONS]];
    case 'EnslaveLink':
      // The bonding driver only takes slaves that are down.
      return [['link', 'set', 'dev', s.name, 'down'], ['link', 'set', 'dev', s.name, 'master', s.master]];
    case 'CreateVlan':
      return [['link', 'add', 'link', s.parent, 'name', s.name, 'type', 'vlan', 'id', String(s.id)]];
    case 'SetMtu':
      return [['link', 'set', 'dev', s.name, 'mtu', String(s.mtu)]];
    case 'SetLinkUp':
      return [['link', 'set', 'dev', s.name, 'up']];
    case 'SetLinkDown':
      return [['link', 'set', 'dev', s.name, 'down']];
    case 'AddAddress':
      return [s.cidr.family === 4 ? ['-4', 'addr', 'add', cidrText(s.cidr), 'brd', '+', 'dev', s.ifname] : ['-6', 'addr', 'add', cidrText(s.cidr), 'dev', s.ifname]];
    case 'AddRoute':
      // replace: the config names the default gateway, also when someone else set one.
      return [[...routeArgs(s.route), 'replace', s.route.dst, 'via', s.route.via, 'dev', s.route.dev, 'proto', 'static']];
    case 'WriteResolvConf':
    case 'SetHostname':
      return [];
  }
}

/** Errors meaning "already done": the live state moved while we planned. */
const ALREADY: Partial<Record<Step['kind'], RegExp>> = {
  RemoveRoute: /No such process|not found/i,
  RemoveAddress: /Cannot assign requested address|not found/i,
  DeleteLink: /Cannot find device/i,
  AddAddress: /File exists/i,
};

/** Run a step's commands; true when they ran, false when the change was already made. */
export async function runIpStep(s: Step): Promise<boolean> {
  for (const args of stepCommands(s)) {
    try {
      await ip(args);
    } catch (err) {
      if (ALREADY[s.kind]?.test((err as Error).message) === true) return false;
      throw err;
    }
  }
  return true;
}

/** Links (with speed/duplex) and addresses, in two `ip` calls. */
export async function readLinksAndAddresses(): Promise<{ links: LiveLink[]; addresses: LiveAddress[] }> {
  const [linkText, addrText] = await Promise.all([ip(['-j', '-d', 'link', 'show']), ip(['-j', 'addr', 'show'])]);
  const links = decodeLinks(JSON.parse(linkText));
  await Promise.all(links.map(async (l) => Object.assign(l, await readSpeedDuplex(l.name))));
  return { links, addresses: decodeAddresses(JSON.parse(addrText)) };
}

export async function readRoutes(): Promise<LiveRoute[]> {
  const [v4, v6] = await Promise.all([ip(['-4', '-j', 'route', 'show', 'table', 'main']), ip(['-6', '-j', 'route', 'show', 'table', 'main'])]);
  return [...decodeRoutes(JSON.parse(v4), 4), ...decodeRoutes(JSON.parse(v6), 6)];
}
