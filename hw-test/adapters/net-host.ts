/**
 * The NICs under test and the cables between them, through iproute2 and
 * sysfs. A port may live in a network namespace (the simulated rig puts each
 * veth end in its own); for the traffic test both ends of a cable must be in
 * namespaces of their own so packets cross the cable, not the local route:
 * on a unit `isolate` moves the two physical ports into fresh namespaces
 * (recorded in the simulation kit's registry before they are made) and
 * deleting the namespaces gives the ports back to the root namespace.
 */
import { spawn } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import * as path from 'node:path';
import { run, waitFor } from '../../scripts/sim/exec';
import { repoRoot } from '../../services/runtime/cli';
import type { TrafficFigures } from '../tools/netperf';

export interface PortLink {
  exists: boolean;
  /** Administratively up (IFF_UP). */
  up: boolean;
  /** Carrier (IFF_LOWER_UP): a cable with a live port at the other end. */
  carrier: boolean;
  operstate: string;
  speedMbps: number | null;
}

/** Both ends of a cable, addressed inside their own namespaces. */
export interface CablePath {
  nsA: string;
  nsB: string;
  addrA: string;
  addrB: string;
  /** Removes the addresses (sim) or the namespaces (unit); idempotent. */
  release(): Promise<void>;
}

export interface NetHost {
  link(port: string): Promise<PortLink>;
  /** On a unit: set the port up so it can negotiate. False where the rig owns the port state. */
  bringUp(port: string): Promise<boolean>;
  cable(a: string, b: string, index: number): Promise<CablePath>;
  /** Runs the traffic test over a cable path. */
  traffic(p: CablePath, packets: number, bytes: number, timeoutMs: number): Promise<TrafficFigures>;
}

/** By its place in the tree: this code may be bundled into hw-test's main.js (image build). */
const NETPERF = path.join(repoRoot(), 'dist', 'hw-test', 'tools', 'netperf.js');
const PERF_PORT = 5201;
/** Autonegotiation after a port moved into its namespace. */
const RELINK_WAIT_MS = 10_000;

/** 198.18.0.0/15 (RFC 2544): only ever inside namespaces this harness made. */
export function cableAddresses(index: number): { a: string; b: string; prefix: number } {
  return { a: `198.18.${100 + index}.1`, b: `198.18.${100 + index}.2`, prefix: 30 };
}

const ipIn = (ns: string | null, ...args: string[]): string[] => (ns === null ? args : ['-n', ns, ...args]);

export async function readPortLink(ns: string | null, port: string): Promise<PortLink> {
  let info: { flags?: string[]; operstate?: string } | undefined;
  try {
    const r = await run('ip', ipIn(ns, '-j', 'link', 'show', 'dev', port));
    info = (JSON.parse(r.stdout) as { flags?: string[]; operstate?: string }[])[0];
  } catch {
    info = undefined;
  }
  if (info === undefined) return { exists: false, up: false, carrier: false, operstate: 'absent', speedMbps: null };
  const flags = info.flags ?? [];
  return { exists: true, up: flags.includes('UP'), carrier: flags.includes('LOWER_UP'), operstate: (info.operstate ?? 'UNKNOWN').toLowerCase(), speedMbps: await readSpeed(ns, port) };
}

/** /sys/class/net/PORT/speed; the kernel answers EINVAL (or -1) without a link. */
async function readSpeed(ns: string | null, port: string): Promise<number | null> {
  const file = `/sys/class/net/${port}/speed`;
  let text: string;
  try {
    text = ns === null ? await readFile(file, 'utf8') : (await run('ip', ['netns', 'exec', ns, 'cat', file])).stdout;
  } catch {
    return null;
  }
  const v = Number(text.trim());
  return Number.isInteger(v) && v > 0 ? v : null;
}

export interface NetHostOptions {
  /** Where a port lives now (null: the root namespace). */
  portNs(port: string): string | null;
  /** Unit: the harness may set ports up. Sim: the rig owns them. */
  mayBringUp: boolean;
  /** Unit: make a namespace to move a port into for its traffic test (recorded for cleanup). Sim: absent (each port already has its own). */
  makeNamespace?: (port: string) => Promise<string>;
  dropNamespace?: (ns: string) => Promise<void>;
}

export function netHost(o: NetHostOptions): NetHost {
  return {
    link: (port) => readPortLink(o.portNs(port), port),
    bringUp: async (port) => {
      if (!o.mayBringUp) return false;
      await run('ip', ipIn(o.portNs(port), 'link', 'set', 'dev', port, 'up'));
      return true;
    },
    cable: async (a, b, index) => {
      const addr = cableAddresses(index);
      const made: string[] = [];
      const place = async (port: string): Promise<string> => {
        const current = o.portNs(port);
        if (o.makeNamespace === undefined) return current ?? '';
        const ns = await o.makeNamespace(port);
        made.push(ns);
        await run('ip', ipIn(current, 'link', 'set', 'dev', port, 'netns', ns));
        await run('ip', ['-n', ns, 'link', 'set', 'lo', 'up']);
        await run('ip', ['-n', ns, 'link', 'set', 'dev', port, 'up']);
        return ns;
      };
      let released = false;
      const path: CablePath = {
        nsA: '',
        nsB: '',
        addrA: addr.a,
        addrB: addr.b,
        release: async () => {
          if (released) return;
          released = true;
          for (const [ns, port, ip] of [[path.nsA, a, addr.a], [path.nsB, b, addr.b]] as const) {
            if (ns !== '' && !made.includes(ns)) await run('ip', ['-n', ns, 'addr', 'del', `${ip}/${addr.prefix}`, 'dev', port]).catch(() => undefined);
          }
          for (const ns of made) await o.dropNamespace?.(ns);
        },
      };
      try {
        path.nsA = await place(a);
        path.nsB = await place(b);
        if (path.nsA === '' || path.nsB === '') throw new Error('each port of a cable needs a namespace of its own');
        if (made.length > 0) {
          // A physical port renegotiates after the move: let both ends get link
          // back (bounded; without it the traffic figures say what happened).
          await waitFor('link after the move', async () => (await readPortLink(path.nsA, a)).carrier && (await readPortLink(path.nsB, b)).carrier, RELINK_WAIT_MS, 100).catch(() => undefined);
        }
        await run('ip', ['-n', path.nsA, 'addr', 'add', `${addr.a}/${addr.prefix}`, 'dev', a, 'nodad']);
        await run('ip', ['-n', path.nsB, 'addr', 'add', `${addr.b}/${addr.prefix}`, 'dev', b, 'nodad']);
      } catch (err) {
        await path.release();
        throw err;
      }
      return path;
    },
    traffic: (p, packets, bytes, timeoutMs) => trafficOver(p, packets, bytes, timeoutMs),
  };
}

/** Starts the far end (serve in nsB), then the near end (run in nsA); both bounded by timeoutMs. */
async function trafficOver(p: CablePath, packets: number, bytes: number, timeoutMs: number): Promise<TrafficFigures> {
  const server = spawn('ip', ['netns', 'exec', p.nsB, process.execPath, NETPERF, 'serve', p.addrB, String(PERF_PORT)], { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  server.stdout.on('data', (d: Buffer) => (out += d.toString()));
  server.stderr.on('data', (d: Buffer) => (err += d.toString()));
  const exited = new Promise<void>((r) => server.once('exit', () => r()));
  try {
    await waitFor('traffic test listener', () => out.includes('ready') || (server.exitCode !== null ? 'gone' : undefined), 10_000);
    if (!out.includes('ready')) throw new Error(`the traffic listener in ${p.nsB} did not start: ${err.trim() || `exit ${server.exitCode}`}`);
    const r = await run('ip', ['netns', 'exec', p.nsA, process.execPath, NETPERF, 'run', p.addrB, String(PERF_PORT), String(packets), String(bytes)], { timeoutMs });
    return JSON.parse(r.stdout.trim()) as TrafficFigures;
  } finally {
    if (server.exitCode === null && server.signalCode === null) server.kill('SIGKILL');
    await exited;
  }
}
