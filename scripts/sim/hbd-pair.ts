/**
 * Integration-test harness: a simulated pair running hbd, with probes that
 * read what a user would check (VIP on eth0, hbd's D-Bus properties, ARP on
 * the LAN). Used by hbd's *.itest.ts and by statusd's browser test, so it is
 * part of the kit rather than of hbd.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { SimPair, VIP, VIP6, type SimUnit } from './pair';
import { writeHbdConfigs, type HbdPairSettings } from './hbd-config';
import { HbdUnit } from './hbd-unit';
import { run, sleep, waitFor } from './exec';
import { connectSystemBus, getServiceProxy, callMember, type MessageBus } from '../../services/runtime/dbus';

export const FAST: HbdPairSettings = { keepalive: '100ms', warntime: '300ms', deadtime: '500ms', initdead: '1s', autoFailback: false };

export class HbdPair {
  private readonly buses: MessageBus[] = [];
  private constructor(readonly pair: SimPair, readonly hbd: [HbdUnit, HbdUnit], readonly dirs: [string, string]) {}

  static async start(settings: HbdPairSettings, opts: { startU2AfterMs?: number; restartAfterMs?: number } = {}): Promise<HbdPair> {
    const pair = await SimPair.create();
    try {
      const dirs = writeHbdConfigs(pair, settings);
      const hbd = pair.units.map((u, i) => new HbdUnit(pair, u, { configDir: dirs[i] ?? '', restartAfterMs: opts.restartAfterMs ?? null })) as [HbdUnit, HbdUnit];
      const hp = new HbdPair(pair, hbd, dirs);
      hbd[0].start();
      if (opts.startU2AfterMs !== undefined) await sleep(opts.startU2AfterMs);
      hbd[1].start();
      return hp;
    } catch (err) {
      pair.teardown();
      throw err;
    }
  }

  get u1(): SimUnit {
    return this.pair.units[0];
  }

  get u2(): SimUnit {
    return this.pair.units[1];
  }

  /** hbd's D-Bus properties on a unit (throws while hbd is not on the bus). */
  async props(i: 0 | 1): Promise<Record<string, unknown>> {
    const bus = await this.bus(i);
    return (await getServiceProxy(bus, 'hbd')).getAll();
  }

  async call(i: 0 | 1, method: 'Standby' | 'Takeover'): Promise<void> {
    const p = await getServiceProxy(await this.bus(i), 'hbd');
    await callMember(p.iface, method);
  }

  private async bus(i: 0 | 1): Promise<MessageBus> {
    const b = await connectSystemBus(this.pair.units[i].busAddress);
    this.buses.push(b);
    if (this.buses.length > 50) this.buses.shift()?.disconnect();
    return b;
  }

  /** State as published: init | active | passive | stopped, or 'down' when hbd is not reachable. */
  async state(i: 0 | 1): Promise<string> {
    return this.props(i).then((p) => String(p.State), () => 'down');
  }

  async waitStates(s1: string, s2: string, timeoutMs = 10_000): Promise<void> {
    await waitFor(`u1=${s1} u2=${s2}`, async () => (await this.state(0)) === s1 && (await this.state(1)) === s2, timeoutMs, 50);
  }

  /** Which units have the IPv4 VIP on eth0 right now. */
  async vipHolders(): Promise<string[]> {
    const out: string[] = [];
    for (const u of this.pair.units) {
      const r = await run('ip', ['-n', u.ns, '-4', '-o', 'addr', 'show', 'dev', 'eth0']);
      if (r.stdout.includes(` ${VIP}/`)) out.push(u.name);
    }
    return out;
  }

  async waitVip(holders: string[], timeoutMs = 10_000): Promise<void> {
    await waitFor(`VIP held by [${holders.join(',')}]`, async () => JSON.stringify(await this.vipHolders()) === JSON.stringify(holders), timeoutMs, 20);
  }

  /** Sample VIP holders for a while; returns every distinct holder set seen. */
  async watchVip(ms: number, everyMs = 50): Promise<Set<string>> {
    const seen = new Set<string>();
    const end = Date.now() + ms;
    while (Date.now() < end) {
      seen.add((await this.vipHolders()).join(','));
      await sleep(everyMs);
    }
    return seen;
  }

  async stop(): Promise<void> {
    this.buses.forEach((b) => b.disconnect());
    await Promise.all(this.hbd.map((h) => h.stop()));
    lastLogs = this.pair.units.map((u) => {
      const file = path.join(this.pair.dir, `${u.name}-hbd.log`);
      return `--- ${u.name} hbd log (last lines) ---\n${existsSync(file) ? readFileSync(file, 'utf8').split('\n').slice(-40).join('\n') : '(none)'}`;
    });
    this.pair.teardown();
  }
}

let lastLogs: string[] = [];

/** For afterEach.always: the hbd logs of the pair stopped last, to explain a failure. */
export function logsOfLastPair(): string {
  return lastLogs.join('\n');
}

/** tcpdump on the LAN bridge, collecting ARP and ICMPv6 lines with their timestamps. */
export class ArpWatch {
  readonly lines: string[] = [];
  private constructor(private readonly child: ChildProcess) {}

  static async start(pair: SimPair): Promise<ArpWatch> {
    const child = spawn('ip', ['netns', 'exec', pair.lanNs, 'tcpdump', '-l', '-n', '-tt', '-i', 'br0', 'arp or icmp6'], { stdio: ['ignore', 'pipe', 'pipe'] });
    const w = new ArpWatch(child);
    let err = '';
    child.stdout?.on('data', (d: Buffer) => w.lines.push(...d.toString().split('\n').filter(Boolean)));
    child.stderr?.on('data', (d: Buffer) => (err += d.toString()));
    await waitFor(`tcpdump listening (${err})`, () => err.includes('listening on'), 10_000);
    return w;
  }

  /** Gratuitous ARPs for the VIP (sender and target are the VIP). */
  garps(): string[] {
    const vip = VIP.replaceAll('.', '\\.');
    const re = new RegExp(`Request who-has ${vip} (\\([0-9a-f:]+\\) )?tell ${vip},|Reply ${vip} is-at`);
    return this.lines.filter((l) => re.test(l));
  }

  /** Unsolicited neighbour advertisements for the IPv6 VIP (sent to all nodes). */
  unsolicitedNAs(): string[] {
    return this.lines.filter((l) => l.includes(`${VIP6} > ff02::1: ICMP6, neighbor advertisement, tgt is ${VIP6}`));
  }

  stop(): void {
    this.child.kill('SIGKILL');
  }
}
