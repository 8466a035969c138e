/**
 * Integration-test harness: a simulated pair running csyncd on each unit as
 * systemd would (foreground, its own bus), with the registered files at
 * their real path /etc/haproxy: each csyncd runs in a private mount
 * namespace where UNIT_DIR/etc-haproxy is bind-mounted over /etc/haproxy,
 * so both units sync the same absolute paths, as two appliances do, while
 * the test reads them from outside. Used by *.itest.ts and bench/csync.ts.
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { SimPair, type SimProcess, type SimUnit } from '../../../scripts/sim/pair';
import { runInNamespace as runIn, waitFor } from '../../../scripts/sim/exec';
import { repoRoot } from '../../runtime/cli';
import { callMember, connectSystemBus, getServiceProxy, type MessageBus } from '../../runtime/dbus';
import type { StatusView } from '../status-view';

export const ETC = '/etc/haproxy';
export const PASSWORD = 'pair-secret-1';
export const CSYNCD_MAIN = (): string => path.join(repoRoot(), 'dist', 'services', 'csyncd', 'main.js');
export const CSYNCCTL_MAIN = (): string => path.join(repoRoot(), 'dist', 'services', 'csyncd', 'csyncctl.js');

export const HAPROXY_CFG = (text: string): string =>
  `global\n    maxconn 100\ndefaults\n    mode http\n    timeout connect 1s\n    timeout client 5s\n    timeout server 5s\nfrontend web\n    bind :8080\n    http-request return status 200 content-type text/plain string "${text}"\n`;

export interface UnitPaths {
  cfg: string;
  configDir: string;
  stateDir: string;
  /** Seen as /etc/haproxy by this unit's csyncd. */
  etc: string;
  applyLog: string;
}

export interface CtlResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

export interface PairOptions {
  /** services.conf for a unit (default: defaultRegistry). */
  registry?: (u: SimUnit, p: UnitPaths) => string;
  extraCfg?: string;
  /** check_interval (default 2s: tests want quick status updates). */
  checkInterval?: string;
}

/** haproxy validated with haproxy -c; apply logs that it ran and reloads a running haproxy (master pid file). */
export function defaultRegistry(u: SimUnit, p: UnitPaths): string {
  const apply = path.join(u.dir, 'apply.sh');
  writeFileSync(apply, `#!/bin/sh\necho "$CSYNCD_SERVICE $CSYNCD_PHASE" >> ${p.applyLog}\n[ -f ${u.dir}/haproxy.pid ] && kill -USR2 "$(cat ${u.dir}/haproxy.pid)"\nexit 0\n`, { mode: 0o755 });
  return `service haproxy\n    file ${ETC}/haproxy.cfg\n    validate haproxy -c -f {file}\n    apply ${apply}\n    timeout 20s\n`;
}

export class CsyncPair {
  readonly daemons: [SimProcess | null, SimProcess | null] = [null, null];
  private readonly buses: MessageBus[] = [];
  private constructor(readonly pair: SimPair, readonly paths: [UnitPaths, UnitPaths], private readonly ownsPair: boolean) {}

  static async create(opts: PairOptions = {}): Promise<CsyncPair> {
    const pair = await SimPair.create({ serial: false });
    try {
      return CsyncPair.attach(pair, opts, true);
    } catch (err) {
      pair.teardown();
      throw err;
    }
  }

  /** csyncd on a pair made elsewhere (e.g. the demo's); stop() then leaves the pair up. */
  static attach(pair: SimPair, opts: PairOptions = {}, ownsPair = false): CsyncPair {
    const paths = pair.units.map((u, i) => writeUnit(u, pair.units[1 - i] as SimUnit, i + 1, opts)) as [UnitPaths, UnitPaths];
    return new CsyncPair(pair, paths, ownsPair);
  }

  unit(i: 0 | 1): SimUnit {
    return this.pair.units[i];
  }

  etcFile(i: 0 | 1, name: string): string {
    return path.join(this.paths[i].etc, name);
  }

  /** Start csyncd on a unit (returns at once; see waitReady); `env` adds to its environment. */
  start(i: 0 | 1, cfg = this.paths[i].cfg, logName = `${this.unit(i).name}-csyncd`, extraArgs: string[] = [], env: NodeJS.ProcessEnv = {}): SimProcess {
    const u = this.unit(i);
    // The unit's own /etc/haproxy (and /etc/ha.d when LBOS_SIM_HA_DIR names one: the heartbeat settings
    // service) in a mount namespace of its own: both units' csyncd see the same paths, as on appliances.
    const script = 'mount --bind "$0" /etc/haproxy && { [ -z "$LBOS_SIM_HA_DIR" ] || mount --bind "$LBOS_SIM_HA_DIR" /etc/ha.d; } && node=$1 main=$2 cfg=$3 && shift 3 && exec "$node" "$main" -c "$cfg" "$@"';
    const p = this.pair.spawnIn(u.ns, 'unshare', ['-m', '--propagation', 'private', 'sh', '-c', script, this.paths[i].etc, process.execPath, CSYNCD_MAIN(), cfg, ...extraArgs], {
      env: { ...env, DBUS_SYSTEM_BUS_ADDRESS: u.busAddress, LOG_LEVEL: process.env.CSYNCD_TEST_LOG_LEVEL ?? 'debug' },
      logName,
    });
    this.daemons[i] = p;
    return p;
  }

  async waitReady(i: 0 | 1, timeoutMs = 15_000): Promise<void> {
    const p = this.daemons[i];
    await waitFor(`csyncd on ${this.unit(i).name} on the bus`, async () => {
      if (p !== null && (p.child.exitCode !== null || p.child.signalCode !== null)) throw new Error(`csyncd on ${this.unit(i).name} exited (${p.child.exitCode ?? p.child.signalCode}):\n${this.log(i)}`);
      return this.call(i, 'GetStatus').then(() => true, () => false);
    }, timeoutMs, 100);
  }

  async startAll(): Promise<void> {
    this.start(0);
    this.start(1);
    await this.waitReady(0);
    await this.waitReady(1);
  }

  async stopDaemon(i: 0 | 1): Promise<void> {
    await this.daemons[i]?.stop();
    this.daemons[i] = null;
  }

  async kill9(i: 0 | 1): Promise<void> {
    await this.daemons[i]?.kill9();
    this.daemons[i] = null;
  }

  /** csyncctl inside the unit's namespace; never throws. */
  ctl(i: 0 | 1, args: string[], opts: { input?: string; env?: NodeJS.ProcessEnv } = {}): Promise<CtlResult> {
    const u = this.unit(i);
    const withCfg = ['genkey', 'showkey', 'passwd', 'getkey'].includes(args[0] ?? '') && !args.includes('-c') ? [...args, '-c', this.paths[i].cfg] : args;
    return runIn(u.ns, [process.execPath, CSYNCCTL_MAIN(), ...withCfg], { ...process.env, DBUS_SYSTEM_BUS_ADDRESS: u.busAddress, ...opts.env }, opts.input);
  }

  /** Any command in a unit's namespace (e.g. the stock ssh client); never throws. */
  exec(i: 0 | 1, argv: string[], input?: string | Buffer, env?: NodeJS.ProcessEnv): Promise<CtlResult> {
    return runIn(this.unit(i).ns, argv, { ...process.env, ...env }, input);
  }

  /**
   * The ALOHA procedure: genkey on both, passwords, start both, getkey on both (u1 by password, u2 by fingerprint).
   * `startDaemons` starts both csyncds and resolves when they answer (default startAll; the demo's supervisor).
   */
  async exchangeKeys(startDaemons: () => Promise<void> = () => this.startAll()): Promise<void> {
    for (const i of [0, 1] as const) {
      await must(this.ctl(i, ['genkey']));
      await must(this.ctl(i, ['passwd'], { env: { CSYNCD_PASSWORD: PASSWORD } }));
    }
    await startDaemons();
    await must(this.ctl(0, ['getkey'], { env: { CSYNCD_PASSWORD: PASSWORD } }));
    const fp = /getkey --fingerprint (SHA256:\S+)/.exec((await must(this.ctl(0, ['showkey']))).stdout)?.[1] ?? '';
    await must(this.ctl(1, ['getkey', '--fingerprint', fp]));
  }

  /** D-Bus call on a unit's csyncd. */
  async call(i: 0 | 1, method: string, ...args: unknown[]): Promise<unknown> {
    const bus = await connectSystemBus(this.unit(i).busAddress);
    this.buses.push(bus);
    if (this.buses.length > 20) this.buses.shift()?.disconnect();
    return callMember((await getServiceProxy(bus, 'csyncd')).iface, method, ...args);
  }

  /** A fresh check's view. */
  async status(i: 0 | 1): Promise<StatusView> {
    return JSON.parse((await this.call(i, 'Check')) as string) as StatusView;
  }

  async waitStatus(i: 0 | 1, colour: string, timeoutMs = 10_000): Promise<StatusView> {
    let last: StatusView | null = null;
    try {
      return await waitFor(`${this.unit(i).name} status ${colour}`, async () => {
        last = await this.status(i);
        return last.status === colour ? last : undefined;
      }, timeoutMs, 200);
    } catch (err) {
      throw new Error(`${String(err)}; last: ${JSON.stringify(last)}`);
    }
  }

  /** haproxy in master-worker mode on a unit, on its etc dir's haproxy.cfg; apply.sh reloads it. */
  startHaproxy(i: 0 | 1): SimProcess {
    const u = this.unit(i);
    return this.pair.spawnIn(u.ns, 'haproxy', ['-W', '-db', '-f', this.etcFile(i, 'haproxy.cfg'), '-p', path.join(u.dir, 'haproxy.pid')], { logName: `${u.name}-haproxy` });
  }

  /** What the unit's haproxy answers on :8080, from the LAN. */
  async http(i: 0 | 1): Promise<string> {
    const r = await runIn(this.pair.lanNs, ['curl', '-s', '-m', '2', `http://${this.unit(i).lanIp}:8080/`], process.env);
    return r.code === 0 ? r.stdout : `(curl exit ${r.code})`;
  }

  /** Files a transaction left behind: hidden siblings in the etc dir and staging directories. */
  leftovers(i: 0 | 1): string[] {
    const staging = path.join(this.paths[i].stateDir, 'staging');
    return [
      ...readdirSync(this.paths[i].etc).filter((n) => n.includes('.csyncd-')),
      ...(existsSync(staging) ? readdirSync(staging).map((n) => `staging/${n}`) : []),
    ];
  }

  log(i: 0 | 1, lines = 60): string {
    const f = path.join(this.pair.dir, `${this.unit(i).name}-csyncd.log`);
    return existsSync(f) ? readFileSync(f, 'utf8').split('\n').slice(-lines).join('\n') : '(no log)';
  }

  async stop(): Promise<void> {
    this.buses.forEach((b) => b.disconnect());
    lastLogs = [0, 1].map((i) => `--- ${this.unit(i as 0 | 1).name} csyncd log ---\n${this.log(i as 0 | 1)}`).join('\n');
    await Promise.all([this.stopDaemon(0), this.stopDaemon(1)]);
    if (this.ownsPair) this.pair.teardown();
  }
}

let lastLogs = '';

/** For afterEach.always: the csyncd logs of the pair stopped last. */
export function logsOfLastPair(): string {
  return lastLogs;
}

function writeUnit(u: SimUnit, peer: SimUnit, node: number, opts: PairOptions): UnitPaths {
  const p: UnitPaths = {
    cfg: path.join(u.dir, 'csyncd', 'csyncd.cfg'),
    configDir: path.join(u.dir, 'csyncd'),
    stateDir: path.join(u.dir, 'state'),
    etc: path.join(u.dir, 'etc-haproxy'),
    applyLog: path.join(u.dir, 'apply.log'),
  };
  for (const d of [p.configDir, p.etc]) mkdirSync(d, { recursive: true });
  writeFileSync(p.cfg, `# csyncd configuration file\nLOCAL_IP=${u.lanIp}\nREMOTE_IP=${peer.lanIp}\nLOCAL_NODE=${node}\nREMOTE_NODE=${3 - node}\n\nport 24\nstate_dir ${p.stateDir}\naccount admin\ncheck_interval ${opts.checkInterval ?? '2s'}\ndebounce 300ms\n${opts.extraCfg ?? ''}`);
  writeFileSync(path.join(p.etc, 'haproxy.cfg'), HAPROXY_CFG(`unit${node}`));
  writeFileSync(path.join(p.configDir, 'services.conf'), (opts.registry ?? defaultRegistry)(u, p));
  return p;
}

export function sha256File(p: string): string {
  return existsSync(p) ? createHash('sha256').update(readFileSync(p)).digest('hex') : '(missing)';
}

/** Expect success; throw with the output otherwise. */
export async function must(p: Promise<CtlResult>): Promise<CtlResult> {
  const r = await p;
  if (r.code !== 0) throw new Error(`command failed (exit ${r.code}):\n${r.stdout}${r.stderr}`);
  return r;
}
