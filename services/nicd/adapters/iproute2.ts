/**
 * iproute2 as nicd's hands and eyes: Step -> `ip` command lines (pure,
 * table-tested), the steps run as one `ip -batch`, and the live links,
 * addresses and routes read as JSON in one `ip -batch`. Every `ip` is a
 * process (a fork of this Node process and an iproute2 start: ~70 ms each
 * in an idle emulated appliance, more at a busy boot), so nicd starts as few
 * as it can.
 * Everything runs `ip` with execFile (no shell); a failing command becomes
 * AppError('IP_COMMAND_FAILED') carrying iproute2's own message.
 */
import { execFile } from 'node:child_process';
import { AppError } from '../../runtime/errors';
import { cidrText } from '../../runtime/netconf/ip';
import type { LiveAddress, LiveLink, LiveRoute, RouteSpec, Step } from '../core/model';
import { StepFailed } from '../ports/net';
import { decodeAddresses, decodeLinks, decodeRoutes } from './ip-json';
import { readSpeedDuplex } from './sysfs';

const IP_TIMEOUT_MS = 10_000;

/** Bond options: link monitoring by MII every 100 ms (the kernel default is none). */
const BOND_OPTIONS = ['miimon', '100'];

/** Runs ip with args (and `input` on its stdin); rejects with iproute2's stderr. */
function ipRun(args: readonly string[], input?: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = execFile('ip', [...args], { timeout: IP_TIMEOUT_MS, maxBuffer: 16 << 20 }, (err, stdout, stderr) => {
      if (err) reject(new AppError('IP_COMMAND_FAILED', stderr.trim() || err.message, { args }));
      else resolve(stdout);
    });
    if (input !== undefined) child.stdin?.end(input);
  });
}

export function ip(args: readonly string[]): Promise<string> {
  return ipRun(args).catch((err: AppError) => {
    throw new AppError('IP_COMMAND_FAILED', `ip ${args.join(' ')}: ${err.message}`, { args });
  });
}

/**
 * A route's destination as iproute2 takes it without -4/-6 (the lines of
 * `ip -batch` take no options): the family is in the addresses, and a
 * default route is 0.0.0.0/0 or ::/0.
 */
const routeDst = (r: RouteSpec): string => (r.dst !== 'default' ? r.dst : r.family === 4 ? '0.0.0.0/0' : '::/0');

/** The `ip` argument lists of a step, in order; [] for steps that are not iproute2's (files, hostname). */
export function stepCommands(s: Step): string[][] {
  switch (s.kind) {
    case 'RemoveRoute':
      return [['route', 'del', routeDst(s.route), 'via', s.route.via, 'dev', s.route.dev]];
    case 'RemoveAddress':
      return [['addr', 'del', cidrText(s.cidr), 'dev', s.ifname]];
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
      return [s.cidr.family === 4 ? ['addr', 'add', cidrText(s.cidr), 'brd', '+', 'dev', s.ifname] : ['addr', 'add', cidrText(s.cidr), 'dev', s.ifname]];
    case 'AddRoute':
      // replace: the config names the default gateway, also when someone else set one.
      return [['route', 'replace', routeDst(s.route), 'via', s.route.via, 'dev', s.route.dev, 'proto', 'static']];
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
  AddAddress: /File exists|already assigned/i,
};

/** Where `ip -batch` stopped: iproute2 prints the error, then "Command failed -:LINE". */
export function batchFailure(stderr: string): { line: number; message: string } | null {
  const m = /^Command failed -:(\d+)\s*$/m.exec(stderr);
  if (m === null) return null;
  return { line: Number(m[1]), message: stderr.slice(0, m.index).trim() || 'failed without a message' };
}

/**
 * Runs the iproute2 steps in order as `ip -batch` (it stops at the first
 * failing line). onDone(i) after each step carried out or found already
 * done; a step failing otherwise throws StepFailed and nothing after it ran.
 */
export async function runIpSteps(steps: readonly Step[], onDone: (index: number) => void): Promise<void> {
  let from = 0;
  while (from < steps.length) {
    const lines: { step: number; args: string[] }[] = [];
    for (let i = from; i < steps.length; i++) for (const args of stepCommands(steps[i]!)) lines.push({ step: i, args });
    if (lines.length === 0) break;
    const failed = await ipRun(['-batch', '-'], lines.map((l) => `${l.args.join(' ')}\n`).join('')).then(
      () => null,
      (err: AppError) => err,
    );
    if (failed === null) break;
    const where = batchFailure(failed.message);
    const line = where === null ? undefined : lines[where.line - 1];
    // No line named (a timeout, ip missing): the first step not known to be done is the one that failed.
    const at = line?.step ?? from;
    for (let i = from; i < at; i++) onDone(i);
    const args = line?.args ?? lines[0]!.args;
    const message = where?.message ?? failed.message;
    if (ALREADY[steps[at]!.kind]?.test(message) !== true) {
      throw new StepFailed(at, new AppError('IP_COMMAND_FAILED', `ip ${args.join(' ')}: ${message}`, { args }));
    }
    onDone(at);
    from = at + 1;
  }
  for (let i = from; i < steps.length; i++) onDone(i);
}

/** `ip -j [options] -batch -` of `commands`: iproute2 prints one JSON document per command, one per line. */
async function ipJsonBatch(options: readonly string[], commands: readonly string[]): Promise<unknown[]> {
  const what = `ip -j ${options.join(' ')} -batch (${commands.join('; ')})`;
  const out = await ipRun(['-j', ...options, '-batch', '-'], commands.map((c) => `${c}\n`).join('')).catch((err: AppError) => {
    throw new AppError('IP_COMMAND_FAILED', `${what}: ${err.message}`, { commands });
  });
  const docs = out.split('\n').filter((l) => l.trim() !== '');
  if (docs.length !== commands.length) throw new AppError('IP_COMMAND_FAILED', `${what}: ${docs.length} answers to ${commands.length} commands`, { commands });
  try {
    return docs.map((d) => JSON.parse(d) as unknown);
  } catch (err) {
    throw new AppError('IP_COMMAND_FAILED', `${what}: not JSON (${(err as Error).message})`, { commands });
  }
}

/** Links with their details and speed/duplex, and their addresses: `ip -d addr` shows both. */
async function linksAndAddresses(json: unknown): Promise<{ links: LiveLink[]; addresses: LiveAddress[] }> {
  const links = decodeLinks(json);
  await Promise.all(links.map(async (l) => Object.assign(l, await readSpeedDuplex(l.name))));
  return { links, addresses: decodeAddresses(json) };
}

/** Links (with speed/duplex) and addresses, in one `ip` call. */
export async function readLinksAndAddresses(): Promise<{ links: LiveLink[]; addresses: LiveAddress[] }> {
  const [addr] = await ipJsonBatch(['-d'], ['addr show']);
  return linksAndAddresses(addr);
}

/** Links, addresses and the routes of the main table (IPv4 and IPv6: `table all` dumps both), in one `ip` call. */
export async function readNetwork(): Promise<{ links: LiveLink[]; addresses: LiveAddress[]; routes: LiveRoute[] }> {
  const [addr, route] = await ipJsonBatch(['-d'], ['addr show', 'route show table all']);
  return { ...(await linksAndAddresses(addr)), routes: decodeRoutes(route) };
}
