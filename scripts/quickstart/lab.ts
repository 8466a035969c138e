/**
 * The customer's lab for the Quick Start test: a network namespace of its
 * own holding the LAN the two appliances are plugged into (a bridge on the
 * factory subnet, 192.168.2.0/24, whose own address .254 is the gateway,
 * ping node and the administrator's PC running Chromium), and the two
 * appliances under QEMU from the shipped qcow2: eth0 a tap on that bridge,
 * eth1 a tap on a second bridge (the heartbeat LAN, unconfigured until
 * someone sets it up), ttyS0 the console on a unix socket, ttyS1 the
 * null-modem cable (a unix chardev socket between the two). No seed disk.
 * Each disk is a qcow2 overlay on the image, so a unit powered off and on
 * again keeps what it was told. Everything is removed by PID and name.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import * as path from 'node:path';

export const LAB_GATEWAY = '192.168.2.254';
export const LAB_PREFIX = 24;

const sh = (cmd: string, args: string[]): string => execFileSync(cmd, args, { stdio: ['ignore', 'pipe', 'pipe'], timeout: 60_000 }).toString();

export interface LabUnit {
  name: string;
  n: 1 | 2;
  dir: string;
  disk: string;
  consoleSock: string;
  consoleLog: string;
  mac: string;
  pid: number;
}

export class Lab {
  readonly units: LabUnit[] = [];
  private constructor(readonly ns: string, readonly dir: string, private readonly image: string, private readonly accel: string) {}

  /** The namespace, its bridge and two taps. */
  static create(dir: string, image: string, accel: string): Lab {
    const ns = `lbqs-${process.pid}`;
    const lab = new Lab(ns, dir, image, accel);
    sh('ip', ['netns', 'add', ns]);
    try {
      sh('ip', ['-n', ns, 'link', 'set', 'lo', 'up']);
      sh('ip', ['-n', ns, 'link', 'add', 'br0', 'type', 'bridge']);
      sh('ip', ['-n', ns, 'addr', 'add', `${LAB_GATEWAY}/${LAB_PREFIX}`, 'dev', 'br0']);
      sh('ip', ['-n', ns, 'link', 'set', 'br0', 'up']);
      // br1: the heartbeat LAN between the units' eth1 (no address of the lab's own).
      sh('ip', ['-n', ns, 'link', 'add', 'br1', 'type', 'bridge']);
      sh('ip', ['-n', ns, 'link', 'set', 'br1', 'up']);
      for (const n of [1, 2]) {
        for (const [tap, br] of [[`tap${n}`, 'br0'], [`hb${n}`, 'br1']] as const) {
          sh('ip', ['-n', ns, 'tuntap', 'add', 'dev', tap, 'mode', 'tap']);
          sh('ip', ['-n', ns, 'link', 'set', tap, 'master', br]);
          sh('ip', ['-n', ns, 'link', 'set', tap, 'up']);
        }
      }
    } catch (err) {
      lab.destroy();
      throw err;
    }
    return lab;
  }

  /** Power on unit n (a new overlay the first time, the same disk after). */
  powerOn(n: 1 | 2): LabUnit {
    const name = `lbos-qs-${n}`;
    const dir = path.join(this.dir, `u${n}`);
    mkdirSync(dir, { recursive: true });
    const disk = path.join(dir, 'disk.qcow2');
    if (!existsSync(disk)) sh('qemu-img', ['create', '-q', '-f', 'qcow2', '-F', 'qcow2', '-b', this.image, disk]);
    const consoleSock = path.join(dir, 'console.sock');
    const consoleLog = path.join(dir, 'console.log');
    const cable = path.join(this.dir, 'cable.sock');
    const mac = `52:54:00:51:00:${n}1`;
    const pidfile = path.join(dir, 'qemu.pid');
    const args = [
      '-name', name, '-accel', this.accel, ...(this.accel === 'tcg' ? ['-accel', 'tcg,thread=multi'] : []),
      '-M', 'q35', '-smp', '2', '-m', '2048', '-nodefaults', '-display', 'none', '-device', 'virtio-rng-pci',
      '-drive', `if=none,id=d0,file=${disk},format=qcow2`, '-device', 'virtio-blk-pci,drive=d0,bootindex=0',
      '-netdev', `tap,id=lan,ifname=tap${n},script=no,downscript=no`, '-device', `virtio-net-pci,netdev=lan,mac=${mac}`,
      '-netdev', `tap,id=hb,ifname=hb${n},script=no,downscript=no`, '-device', `virtio-net-pci,netdev=hb,mac=52:54:00:51:00:${n}2`,
      '-chardev', `socket,id=con,path=${consoleSock},server=on,wait=off,logfile=${path.join(dir, 'console-raw.log')},logappend=on`, '-serial', 'chardev:con',
      // The null-modem cable: unit 1 is the server; unit 2 reconnects when unit 1 comes back.
      '-chardev', n === 1 ? `socket,id=cable,path=${cable},server=on,wait=off` : `socket,id=cable,path=${cable},reconnect=1`, '-serial', 'chardev:cable',
      '-pidfile', pidfile, '-daemonize',
    ];
    const r = spawnSync('ip', ['netns', 'exec', this.ns, 'qemu-system-x86_64', ...args], { stdio: ['ignore', 'pipe', 'pipe'], timeout: 60_000 });
    if (r.status !== 0) throw new Error(`${name}: qemu did not start: ${r.stderr.toString()}`);
    const unit: LabUnit = { name, n, dir, disk, consoleSock, consoleLog, mac, pid: Number(readFileSync(pidfile, 'utf8').trim()) };
    this.units[n - 1] = unit;
    return unit;
  }

  /** Pull the power: QEMU killed. */
  powerOff(n: 1 | 2): void {
    const u = this.units[n - 1];
    if (u === undefined) return;
    try {
      process.kill(u.pid, 'SIGKILL');
    } catch {
      /* already gone */
    }
    for (let i = 0; i < 100 && alive(u.pid); i++) spawnSync('sleep', ['0.05']);
  }

  /** The MAC address the lab's neighbour table has for `ip` after a ping (null: no answer). */
  answeredBy(ip: string): string | null {
    const ping = spawnSync('ip', ['netns', 'exec', this.ns, 'ping', '-c', '1', '-W', '1', ip], { stdio: 'ignore', timeout: 5000 });
    if (ping.status !== 0) return null;
    const neigh = sh('ip', ['-n', this.ns, 'neigh', 'show', ip]);
    return /lladdr ([0-9a-f:]{17})/.exec(neigh)?.[1] ?? null;
  }

  destroy(): void {
    for (const n of [1, 2] as const) this.powerOff(n);
    spawnSync('ip', ['netns', 'del', this.ns], { stdio: 'ignore' });
  }
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}
