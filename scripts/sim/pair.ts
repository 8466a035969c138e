/**
 * Simulation kit: two appliance units on one machine.
 *
 *            lan namespace (client / ping node)
 *            br0 198.18.0.254/24  fd00:5b::fe/64
 *             |                  |
 *   u1: eth0 198.18.0.1      u2: eth0 198.18.0.2      <- VIPs live here
 *   u1: eth1 198.19.0.1/30 ---- u2: eth1 198.19.0.2   <- dedicated heartbeat link
 *   u1: DIR/u1-ttyS0  ==socat pty pair==  DIR/u2-ttyS0 <- null-modem cable
 *   u1: private dbus-daemon   u2: private dbus-daemon
 *
 * Addresses are from 198.18.0.0/15 (RFC 2544 benchmarking) and fd00::/8, and
 * exist only inside the namespaces made here. Everything is named lbsim-<id>,
 * recorded in /run/lbos-sim before it is made, and removed by teardown(), by
 * an exit handler, or by the next run's cleanLeftovers().
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, openSync, closeSync, existsSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import * as path from 'node:path';
import { run, runSync, waitFor, type RunResult } from './exec';
import { cleanLeftovers, destroyRecord, processStart, saveRecord, SIM_PREFIX, type SimRecord } from './registry';
import { startPrivateBus } from './bus';
import { repoRoot } from '../../services/runtime/cli';

export type UnitName = 'u1' | 'u2';

/** One simulated appliance. */
export interface SimUnit {
  name: UnitName;
  ns: string;
  dir: string;
  busAddress: string;
  /** The unit's end of the serial cable (a symlink to a pty). */
  tty: string;
  lanIp: string;
  lanIp6: string;
  hbIp: string;
}

export interface PairOptions {
  /** Start the socat null-modem cable (default true). */
  serial?: boolean;
  /** Start a dbus-daemon per unit (default true). */
  buses?: boolean;
  /** Give the units' eth0/eth1 their addresses (default true); false when nicd is to do it. */
  addresses?: boolean;
}

export const LAN_PREFIX = 24;
export const VIP = '198.18.0.100';
export const VIP6 = 'fd00:5b::100';
export const PING_NODE = '198.18.0.254';
export const POLICY_FILE = () => path.join(repoRoot(), 'rootfs', 'overlay', 'etc', 'dbus-1', 'system.d', 'com.lbos.conf');

/** A handle on a running process of the kit or of a test. */
export interface SimProcess {
  child: ChildProcess;
  pid: number;
  logFile: string;
  /** SIGTERM, then SIGKILL after the grace time; resolves with the exit code. */
  stop(graceMs?: number): Promise<number | null>;
  kill9(): Promise<void>;
  exited: Promise<number | null>;
}

export class SimPair {
  readonly units: [SimUnit, SimUnit];
  readonly lanNs: string;
  private cable: ChildProcess | null = null;
  private torn = false;
  private readonly onExit = (): void => this.teardown();

  private constructor(readonly id: string, readonly dir: string, private readonly rec: SimRecord) {
    this.lanNs = `${SIM_PREFIX}${id}-lan`;
    this.units = [this.unit('u1', 1), this.unit('u2', 2)];
    process.on('exit', this.onExit);
  }

  private unit(name: UnitName, n: number): SimUnit {
    return {
      name,
      ns: `${SIM_PREFIX}${this.id}-${name}`,
      dir: path.join(this.dir, name),
      busAddress: `unix:path=${path.join(this.dir, name, 'bus.sock')}`,
      tty: path.join(this.dir, `${name}-ttyS0`),
      lanIp: `198.18.0.${n}`,
      lanIp6: `fd00:5b::${n}`,
      hbIp: `198.19.0.${n}`,
    };
  }

  /** Build a pair; on any failure everything made so far is removed. */
  static async create(opts: PairOptions = {}): Promise<SimPair> {
    cleanLeftovers();
    const id = randomBytes(3).toString('hex');
    const dir = `/tmp/${SIM_PREFIX}${id}`;
    const rec: SimRecord = { id, ownerPid: process.pid, dir, namespaces: [], pids: [] };
    const pair = new SimPair(id, dir, rec);
    rec.namespaces = [pair.lanNs, ...pair.units.map((u) => u.ns)];
    saveRecord(rec);
    try {
      mkdirSync(dir, { recursive: true });
      pair.units.forEach((u) => mkdirSync(u.dir, { recursive: true }));
      pair.buildNetwork(opts.addresses ?? true);
      if (opts.serial ?? true) await pair.plugSerial();
      if (opts.buses ?? true) await pair.startBuses();
    } catch (err) {
      pair.teardown();
      throw err;
    }
    return pair;
  }

  private buildNetwork(addresses: boolean): void {
    const ip = (...a: string[]): string => runSync('ip', a);
    for (const ns of this.rec.namespaces) {
      ip('netns', 'add', ns);
      ip('-n', ns, 'link', 'set', 'lo', 'up');
      this.sysctl(ns, 'net.ipv6.conf.all.accept_dad', '0');
      this.sysctl(ns, 'net.ipv6.conf.default.accept_dad', '0');
    }
    // As rootfs/overlay/etc/sysctl.d/60-lbos.conf sets on the appliance.
    for (const u of this.units) {
      this.sysctl(u.ns, 'net.ipv4.ip_nonlocal_bind', '1');
    }
    ip('-n', this.lanNs, 'link', 'add', 'br0', 'type', 'bridge');
    ip('-n', this.lanNs, 'addr', 'add', `${PING_NODE}/${LAN_PREFIX}`, 'dev', 'br0');
    ip('-n', this.lanNs, 'addr', 'add', 'fd00:5b::fe/64', 'dev', 'br0', 'nodad');
    ip('-n', this.lanNs, 'link', 'set', 'br0', 'up');
    const short = `lbs${this.id}`;
    this.units.forEach((u, i) => {
      const a = `${short}l${i + 1}`;
      const b = `${short}b${i + 1}`;
      ip('link', 'add', a, 'type', 'veth', 'peer', 'name', b);
      ip('link', 'set', a, 'netns', u.ns);
      ip('-n', u.ns, 'link', 'set', a, 'name', 'eth0');
      ip('link', 'set', b, 'netns', this.lanNs);
      ip('-n', this.lanNs, 'link', 'set', b, 'master', 'br0', 'up');
      if (addresses) {
        ip('-n', u.ns, 'addr', 'add', `${u.lanIp}/${LAN_PREFIX}`, 'dev', 'eth0');
        ip('-n', u.ns, 'addr', 'add', `${u.lanIp6}/64`, 'dev', 'eth0', 'nodad');
      }
      ip('-n', u.ns, 'link', 'set', 'eth0', 'up');
    });
    ip('link', 'add', `${short}h1`, 'type', 'veth', 'peer', 'name', `${short}h2`);
    this.units.forEach((u, i) => {
      ip('link', 'set', `${short}h${i + 1}`, 'netns', u.ns);
      ip('-n', u.ns, 'link', 'set', `${short}h${i + 1}`, 'name', 'eth1');
      if (addresses) ip('-n', u.ns, 'addr', 'add', `${u.hbIp}/30`, 'dev', 'eth1');
      ip('-n', u.ns, 'link', 'set', 'eth1', 'up');
    });
  }

  private sysctl(ns: string, key: string, value: string): void {
    runSync('ip', ['netns', 'exec', ns, 'sysctl', '-qw', `${key}=${value}`]);
  }

  private async startBuses(): Promise<void> {
    for (const u of this.units) {
      const bus = await startPrivateBus(u.dir, POLICY_FILE());
      this.track(bus.child);
    }
  }

  /** Plug the null-modem cable in (again): a new socat pty pair at the same paths. */
  async plugSerial(): Promise<void> {
    if (this.cable !== null && this.cable.exitCode === null) return;
    const [a, b] = this.units;
    const link = (u: SimUnit): string => `pty,raw,echo=0,link=${u.tty}`;
    const child = spawn('socat', [link(a), link(b)], { stdio: 'ignore' });
    this.cable = child;
    this.track(child);
    await waitFor('socat pty pair', () => child.exitCode === null && existsSync(a.tty) && existsSync(b.tty), 5000);
  }

  /** Pull the cable: both ptys disappear, as a USB serial adapter would. */
  async unplugSerial(): Promise<void> {
    const c = this.cable;
    this.cable = null;
    if (c === null || c.exitCode !== null) return;
    const gone = new Promise((r) => c.once('exit', r));
    c.kill('SIGTERM');
    await gone;
  }

  /** Cut or restore a link: 'hb' is the eth1 cable, 'lan-u1'/'lan-u2' a unit's eth0 to the LAN. */
  async setLink(which: 'hb' | 'lan-u1' | 'lan-u2', up: boolean): Promise<void> {
    const state = up ? 'up' : 'down';
    if (which === 'hb') {
      for (const u of this.units) await run('ip', ['-n', u.ns, 'link', 'set', 'eth1', state]);
      return;
    }
    const unit = which === 'lan-u1' ? this.units[0] : this.units[1];
    await run('ip', ['-n', unit.ns, 'link', 'set', 'eth0', state]);
  }

  /** Run a command inside a namespace and wait for it. */
  exec(ns: string, cmd: string, args: string[], opts: { env?: NodeJS.ProcessEnv; timeoutMs?: number } = {}): Promise<RunResult> {
    return run('ip', ['netns', 'exec', ns, cmd, ...args], opts);
  }

  /** Start a long-running process inside a namespace; output goes to DIR/<logName>.log. */
  spawnIn(ns: string, cmd: string, args: string[], opts: { env?: NodeJS.ProcessEnv; logName: string }): SimProcess {
    const logFile = path.join(this.dir, `${opts.logName}.log`);
    const fd = openSync(logFile, 'a');
    const child = spawn('ip', ['netns', 'exec', ns, cmd, ...args], { stdio: ['ignore', fd, fd], env: { ...process.env, ...opts.env } });
    closeSync(fd);
    // Not tracked by pid: it lives in a namespace, and teardown empties namespaces.
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    return {
      child,
      pid: child.pid ?? -1,
      logFile,
      exited,
      stop: async (graceMs = 5000) => {
        if (child.exitCode !== null || child.signalCode !== null) return child.exitCode;
        child.kill('SIGTERM');
        const t = setTimeout(() => child.kill('SIGKILL'), graceMs);
        const code = await exited;
        clearTimeout(t);
        return code;
      },
      kill9: async () => {
        if (child.exitCode !== null || child.signalCode !== null) return;
        child.kill('SIGKILL');
        await exited;
      },
    };
  }

  /** Record a process started outside the namespaces, so teardown and leftover cleaning kill it. */
  track(child: ChildProcess): void {
    const pid = child.pid;
    if (pid === undefined) return;
    const start = processStart(pid);
    if (start === null) return;
    this.rec.pids.push({ pid, start });
    saveRecord(this.rec);
  }

  /** Remove everything; safe to call twice, synchronous so exit handlers can use it. */
  teardown(): void {
    if (this.torn) return;
    this.torn = true;
    process.removeListener('exit', this.onExit);
    destroyRecord(this.rec);
  }
}
