/**
 * The simulated test rig (HW=sim), built from a sim profile with the
 * simulation kit's discipline (scripts/sim/registry.ts: everything named
 * lbsim-<id>, recorded before it is made, removed on teardown/exit or by the
 * next run's cleanup):
 *
 *   nic ports     each port in its own namespace lbsim-<id>-<port>; a `cable`
 *                 is a veth pair between two of them; an uncabled port gets
 *                 a peer in its own namespace so it has carrier
 *   serial        DIR/dev/<tty> ==socat pty pair== DIR/dev/.<tty>-far, and an
 *                 echo peer (socat PIPE) on the far end: a loopback plug
 *   disks         DIR/dev/<disk> -> a loop device over a sparse file in DIR
 *   panel         the real LCDd, curses driver in a private tmux (paneld's
 *                 LcddRig): screen via capture-pane, keys via send-keys
 *   leds          DIR/leds shaped like /sys/class/leds (paneld's makeLedTree)
 *
 * Faults (to test the harness itself): a port set down, a port with link
 * that passes no traffic, a mute serial peer, no LCDd, LEDs missing.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, symlinkSync, truncateSync, writeFileSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import * as path from 'node:path';
import { runSync, run, waitFor } from '../../scripts/sim/exec';
import { cleanLeftovers, destroyRecord, processStart, saveRecord, SIM_PREFIX, type SimRecord } from '../../scripts/sim/registry';
import { freePort, LcddRig, type LcdKey } from '../../services/paneld/testing/lcdd-rig';
import { makeLedTree } from '../../services/paneld/testing/led-tree';
import type { PanelObserver } from '../checks/panel';
import type { Profile } from '../profile/types';
import { cleanExtrasLeftovers, destroyExtras, saveExtras, type ExtrasRecord } from './extras';

export interface SimFaults {
  /** Ports set administratively down (a dead port / pulled cable). */
  nicDown: string[];
  /** Ports that keep their link but pass no traffic (ARP off: nothing answers them). */
  nicDeaf: string[];
  /** The serial peer reads but never echoes. */
  serialMute: boolean;
  /** LCDd is not started. */
  noLcdd: boolean;
  /** LEDs left out of the tree. */
  missingLeds: string[];
}

export const NO_FAULTS: SimFaults = { nicDown: [], nicDeaf: [], serialMute: false, noLcdd: false, missingLeds: [] };

const MIN_DISK_BYTES = 32 * 2 ** 20;
const LCD_KEYS: readonly string[] = ['Up', 'Down', 'Left', 'Right', 'Enter', 'Escape'];

export class SimRig {
  readonly devRoot: string;
  readonly ledsRoot: string;
  lcdPort = 0;
  private lcdd: LcddRig | null = null;
  private readonly children: ChildProcess[] = [];
  private torn = false;
  private readonly onExit = (): void => this.teardown();

  private constructor(readonly id: string, readonly dir: string, private readonly rec: SimRecord, private readonly extras: ExtrasRecord) {
    this.devRoot = path.join(dir, 'dev');
    this.ledsRoot = path.join(dir, 'leds');
    process.on('exit', this.onExit);
  }

  /** Builds the rig for `profile`; on any failure everything made so far is removed. */
  static async create(profile: Profile, faults: SimFaults = NO_FAULTS): Promise<SimRig> {
    cleanExtrasLeftovers();
    cleanLeftovers();
    const id = randomBytes(3).toString('hex');
    const dir = `/tmp/${SIM_PREFIX}${id}`;
    const rec: SimRecord = { id, ownerPid: process.pid, dir, namespaces: profile.nics.map((n) => `${SIM_PREFIX}${id}-${n.name}`), pids: [] };
    const extras: ExtrasRecord = { id, ownerPid: process.pid, dir };
    saveRecord(rec);
    saveExtras(extras);
    const rig = new SimRig(id, dir, rec, extras);
    try {
      mkdirSync(rig.devRoot, { recursive: true });
      rig.buildNics(profile, faults);
      for (const s of profile.serials) await rig.buildSerial(s.device, faults.serialMute);
      for (const d of profile.disks) rig.buildDisk(d.device, Math.max(d.minBytes, d.readBytes, MIN_DISK_BYTES));
      if (profile.panel !== undefined) await rig.buildPanel(profile.panel.width, profile.panel.height, faults.noLcdd);
      await makeLedTree(rig.ledsRoot, profile.leds.filter((l) => !faults.missingLeds.includes(l.name)).map((l) => ({ name: l.name })));
    } catch (err) {
      rig.teardown();
      throw err;
    }
    return rig;
  }

  /** The namespace a profile port lives in. */
  portNs(port: string): string {
    return `${SIM_PREFIX}${this.id}-${port}`;
  }

  private buildNics(profile: Profile, faults: SimFaults): void {
    const ip = (...a: string[]): string => runSync('ip', a);
    for (const n of profile.nics) {
      ip('netns', 'add', this.portNs(n.name));
      ip('-n', this.portNs(n.name), 'link', 'set', 'lo', 'up');
    }
    const place = (tmp: string, port: string, name: string): void => {
      ip('link', 'set', tmp, 'netns', this.portNs(port));
      ip('-n', this.portNs(port), 'link', 'set', tmp, 'name', name);
      ip('-n', this.portNs(port), 'link', 'set', name, 'up');
    };
    const cabled = new Set<string>();
    profile.cables.forEach((c, i) => {
      const [ta, tb] = [`lbh${this.id}c${i}a`, `lbh${this.id}c${i}b`];
      ip('link', 'add', ta, 'type', 'veth', 'peer', 'name', tb);
      place(ta, c.a, c.a);
      place(tb, c.b, c.b);
      cabled.add(c.a).add(c.b);
    });
    profile.nics.filter((n) => !cabled.has(n.name)).forEach((n, i) => {
      const [ta, tb] = [`lbh${this.id}u${i}a`, `lbh${this.id}u${i}b`];
      ip('link', 'add', ta, 'type', 'veth', 'peer', 'name', tb);
      place(ta, n.name, n.name);
      place(tb, n.name, 'far');
    });
    for (const port of faults.nicDown) ip('-n', this.portNs(port), 'link', 'set', port, 'down');
    for (const port of faults.nicDeaf) ip('-n', this.portNs(port), 'link', 'set', port, 'arp', 'off');
  }

  private async buildSerial(device: string, mute: boolean): Promise<void> {
    const near = path.join(this.devRoot, device);
    const far = path.join(this.devRoot, `.${device.replace(/\//g, '_')}-far`);
    mkdirSync(path.dirname(near), { recursive: true });
    const cable = this.spawnTracked('socat', [`pty,raw,echo=0,link=${near}`, `pty,raw,echo=0,link=${far}`]);
    await waitFor(`pty pair for ${device}`, () => cable.exitCode === null && existsSync(near) && existsSync(far), 5000);
    // The far end: echo every byte back (loopback plug), or swallow them (mute peer).
    const peer = mute ? ['-u', `OPEN:${far},raw,echo=0`, 'OPEN:/dev/null'] : [`OPEN:${far},raw,echo=0`, 'PIPE'];
    const p = this.spawnTracked('socat', peer);
    await new Promise((r) => setTimeout(r, 100));
    if (p.exitCode !== null) throw new Error(`serial peer for ${device} exited with ${p.exitCode}`);
  }

  private buildDisk(device: string, bytes: number): void {
    const file = path.join(this.dir, `${device.replace(/\//g, '_')}.img`);
    writeFileSync(file, '');
    truncateSync(file, bytes);
    const loop = runSync('losetup', ['-f', '--show', file]).trim();
    const link = path.join(this.devRoot, device);
    mkdirSync(path.dirname(link), { recursive: true });
    symlinkSync(loop, link);
  }

  private async buildPanel(width: number, height: number, absent: boolean): Promise<void> {
    if (absent) {
      // A port nobody listens on: what a unit without a running LCDd looks like.
      this.lcdPort = await freePort();
      return;
    }
    const lcdd = await LcddRig.start({ dir: path.join(this.dir, 'panel'), driver: 'curses', width, height });
    this.lcdd = lcdd;
    this.lcdPort = lcdd.port;
    const server = await run('tmux', ['-S', lcdd.tmuxSock, 'display', '-p', '#{pid}']);
    for (const pid of [lcdd.lcddPid, Number(server.stdout.trim())]) if (pid !== null && pid > 0) this.track(pid);
  }

  /** The simulated panel as the panel checks see it, or undefined without LCDd. */
  observer(): PanelObserver | undefined {
    const lcdd = this.lcdd;
    if (lcdd === null) return undefined;
    return {
      frame: () => lcdd.frame(),
      press: async (key) => {
        if (!LCD_KEYS.includes(key)) throw new Error(`the simulated keypad has no key "${key}" (it has ${LCD_KEYS.join(', ')})`);
        await lcdd.pressKey(key as LcdKey);
      },
    };
  }

  private spawnTracked(cmd: string, args: string[]): ChildProcess {
    const child = spawn(cmd, args, { stdio: 'ignore' });
    this.children.push(child);
    if (child.pid !== undefined) this.track(child.pid);
    return child;
  }

  private track(pid: number): void {
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
    destroyExtras(this.extras);
    destroyRecord(this.rec);
  }
}
