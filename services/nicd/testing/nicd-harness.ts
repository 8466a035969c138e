/**
 * Integration-test harness: nicd running inside unit u1 of a simulated pair
 * (scripts/sim/pair.ts) as systemd would run it, on the unit's private bus,
 * with extra veth NICs in the unit's namespace. Its own UTS namespace
 * (unshare --uts) keeps `hostname` from renaming the test machine; resolv.conf,
 * hostname file, config and state dir live in the unit's scratch directory.
 * Probes read what an operator would check: `ip -j`, the files, D-Bus.
 */
import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { SimPair, type SimProcess, type SimUnit } from '../../../scripts/sim/pair';
import { run, waitFor } from '../../../scripts/sim/exec';
import { repoRoot } from '../../runtime/cli';
import { callMember, connectSystemBus, getServiceProxy, type MessageBus, type ServiceProxy } from '../../runtime/dbus';

export const NICD_MAIN = (): string => path.join(repoRoot(), 'dist', 'services', 'nicd', 'main.js');
export const NICCTL_MAIN = (): string => path.join(repoRoot(), 'dist', 'services', 'nicd', 'nicctl.js');
export const WIZARD_MAIN = (): string => path.join(repoRoot(), 'dist', 'services', 'nicd', 'setup-wizard.js');
export const FIXTURES = (): string => path.join(repoRoot(), 'services', 'runtime', 'netconf', '__fixtures__');

export interface ToolResult {
  code: number;
  stdout: string;
  stderr: string;
}

export interface NicdUnitOptions {
  /** network.conf content; null: no file (factory default). */
  config: string | null;
  /** Extra NICs: veth NAME in the unit, its peer NAMEp (the "switch port") also there, both up. */
  nics?: string[];
}

let lastLog = '';

/** The nicd log of the unit stopped last, to explain a failure (afterEach.always). */
export const lastNicdLog = (): string => lastLog;

export class NicdUnit {
  proc: SimProcess | null = null;
  private bus: MessageBus | null = null;

  private constructor(readonly pair: SimPair, readonly unit: SimUnit) {}

  get ns(): string {
    return this.unit.ns;
  }
  get configFile(): string {
    return path.join(this.unit.dir, 'network.conf');
  }
  get stateDir(): string {
    return path.join(this.unit.dir, 'nicd-state');
  }
  get resolvConf(): string {
    return path.join(this.unit.dir, 'resolv.conf');
  }
  get hostnameFile(): string {
    return path.join(this.unit.dir, 'hostname');
  }
  get env(): NodeJS.ProcessEnv {
    return { ...process.env, DBUS_SYSTEM_BUS_ADDRESS: this.unit.busAddress, LOG_LEVEL: 'debug' };
  }

  static async start(opts: NicdUnitOptions): Promise<NicdUnit> {
    const pair = await SimPair.create({ serial: false });
    const n = new NicdUnit(pair, pair.units[0]);
    try {
      for (const nic of opts.nics ?? []) {
        await n.ip('link', 'add', nic, 'type', 'veth', 'peer', 'name', `${nic}p`);
        await n.ip('link', 'set', `${nic}p`, 'up');
      }
      mkdirSync(n.unit.dir, { recursive: true });
      if (opts.config !== null) writeFileSync(n.configFile, opts.config);
      writeFileSync(n.resolvConf, '# resolv.conf before nicd\nnameserver 198.18.0.254\n');
      await n.startNicd();
      return n;
    } catch (err) {
      await n.stop();
      throw err;
    }
  }

  /** Start nicd (again) and wait until it serves on the bus. */
  async startNicd(): Promise<void> {
    const args = [
      '--uts', process.execPath, NICD_MAIN(), '-c', this.configFile, '--state-dir', this.stateDir, '--resolv-conf', this.resolvConf, '--hostname-file', this.hostnameFile,
    ];
    const p = this.pair.spawnIn(this.ns, 'unshare', args, { env: { DBUS_SYSTEM_BUS_ADDRESS: this.unit.busAddress, LOG_LEVEL: 'debug' }, logName: 'u1-nicd' });
    this.proc = p;
    await waitFor('nicd on the bus', async () => {
      if (p.child.exitCode !== null) throw new Error(`nicd exited ${p.child.exitCode}:\n${this.log()}`);
      return this.props().then(() => true, () => false);
    }, 20_000, 100);
  }

  async stopNicd(): Promise<number | null> {
    this.bus?.disconnect();
    this.bus = null;
    return (await this.proc?.stop()) ?? null;
  }

  log(): string {
    const f = this.proc?.logFile;
    return f !== undefined && existsSync(f) ? readFileSync(f, 'utf8') : '';
  }

  async proxy(): Promise<ServiceProxy> {
    this.bus ??= await connectSystemBus(this.unit.busAddress);
    return getServiceProxy(this.bus, 'nicd');
  }

  async props(): Promise<Record<string, unknown>> {
    return (await this.proxy()).getAll();
  }

  async call(method: string, ...args: unknown[]): Promise<unknown> {
    return callMember((await this.proxy()).iface, method, ...args);
  }

  /** `ip -n NS ...` */
  async ip(...args: string[]): Promise<string> {
    return (await run('ip', ['-n', this.ns, ...args])).stdout;
  }

  /** Global addresses of an interface as CIDR texts, sorted. */
  async addrs(ifname: string): Promise<string[]> {
    const j = JSON.parse(await this.ip('-j', 'addr', 'show', 'dev', ifname)) as { addr_info?: { local: string; prefixlen: number; scope: string }[] }[];
    return (j[0]?.addr_info ?? []).filter((a) => a.scope !== 'link').map((a) => `${a.local}/${a.prefixlen}`).sort();
  }

  /** Routes with a gateway, as "family dst via gw dev if", sorted. */
  async routes(): Promise<string[]> {
    const out: string[] = [];
    for (const f of ['-4', '-6']) {
      const j = JSON.parse(await this.ip(f, '-j', 'route', 'show')) as { dst: string; gateway?: string; dev: string }[];
      for (const r of j) if (r.gateway !== undefined) out.push(`${f} ${r.dst} via ${r.gateway} dev ${r.dev}`);
    }
    return out.sort();
  }

  async mtu(ifname: string): Promise<number> {
    const j = JSON.parse(await this.ip('-j', 'link', 'show', 'dev', ifname)) as { mtu: number }[];
    return j[0]?.mtu ?? 0;
  }

  /** Everything nicd could change, as one comparable text. */
  async snapshot(): Promise<string> {
    const links = JSON.parse(await this.ip('-j', 'link', 'show')) as { ifname: string; mtu: number; flags: string[]; master?: string }[];
    const addrs = JSON.parse(await this.ip('-j', 'addr', 'show')) as { ifname: string; addr_info: { local: string; prefixlen: number }[] }[];
    const parts = [
      ...links.map((l) => `link ${l.ifname} mtu ${l.mtu} ${l.flags.includes('UP') ? 'up' : 'down'} master ${l.master ?? '-'}`),
      ...addrs.flatMap((i) => i.addr_info.map((a) => `addr ${i.ifname} ${a.local}/${a.prefixlen}`)),
      ...(await this.routes()),
      `resolv ${readFileSync(this.resolvConf, 'utf8')}`,
      `hostname-file ${existsSync(this.hostnameFile) ? readFileSync(this.hostnameFile, 'utf8') : '-'}`,
      `config ${existsSync(this.configFile) ? readFileSync(this.configFile, 'utf8') : '-'}`,
    ];
    return parts.sort().join('\n');
  }

  /** The kernel hostname nicd's UTS namespace has. */
  async kernelHostname(): Promise<string> {
    return (await run('nsenter', ['-t', String(this.proc?.pid ?? 0), '-u', 'hostname'])).stdout.trim();
  }

  /** Run nicctl against this unit's nicd (extra env e.g. SSH_CONNECTION). */
  nicctl(args: string[], env: NodeJS.ProcessEnv = {}): Promise<ToolResult> {
    return runTool(process.execPath, [NICCTL_MAIN(), ...args], { ...this.env, ...env });
  }

  async stop(): Promise<void> {
    await this.stopNicd().catch(() => null);
    lastLog = this.log().split('\n').slice(-60).join('\n');
    this.pair.teardown();
  }
}

/** Run a command to its end; resolves with its exit code and output, never rejects. */
export function runTool(cmd: string, args: string[], env: NodeJS.ProcessEnv, input?: string): Promise<ToolResult> {
  return new Promise((resolve) => {
    const child = execFile(cmd, args, { env, timeout: 60_000, maxBuffer: 16 << 20 }, (err, stdout, stderr) => {
      const code = err === null ? 0 : typeof err.code === 'number' ? err.code : -1;
      resolve({ code, stdout, stderr });
    });
    child.stdin?.end(input ?? '');
  });
}
