/**
 * The real LCDd (Debian's lcdproc) for tests, the demo and hw-test, with a
 * driver whose output a program can read:
 *   text    every frame on stdout ("+----+" / "|row|" / "+----+"); read the latest
 *   curses  drawn in a private tmux server: read with capture-pane, keys with send-keys
 * Each rig writes its own LCDd.conf into `dir`, listens on a free loopback
 * port (or `port`), runs LCDd in the foreground and is stopped by its PID.
 *
 *   const lcd = await LcddRig.start({ dir, driver: 'curses', width: 20, height: 4 });
 *   lcd.port; lcd.frame(); await lcd.waitForFrame((rows) => rows[0]?.startsWith('LBOS'));
 *   await lcd.pressKey('Down'); await lcd.kill(); await lcd.restart(); await lcd.stop();
 */
import { spawn } from 'node:child_process';
import * as fs from 'node:fs/promises';
import * as net from 'node:net';
import * as path from 'node:path';
import { AppError } from '../../runtime/errors';
import { run, waitFor, isAlive, sleep } from '../../../scripts/sim/exec';

export const LCDD = '/usr/sbin/LCDd';
export const LCDPROC_DRIVERS = '/usr/lib/x86_64-linux-gnu/lcdproc/';

export interface LcddRigOptions {
  dir: string;
  driver: 'text' | 'curses';
  width: number;
  height: number;
  port?: number;
  /** Extra lines for the [server] section. */
  serverExtra?: string[];
  /** Run LCDd inside this network namespace (ip netns exec); its 127.0.0.1 is the namespace's. */
  netns?: string;
}

export type LcdKey = 'Up' | 'Down' | 'Left' | 'Right' | 'Enter' | 'Escape';

/** Free TCP port on 127.0.0.1 (the kernel picks; closed again before LCDd binds it). */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const a = srv.address();
      const port = typeof a === 'object' && a !== null ? a.port : 0;
      srv.close(() => resolve(port));
    });
  });
}

/** The LCDd.conf of a rig. */
export function lcddConf(o: { driver: 'text' | 'curses'; width: number; height: number; port: number; serverExtra?: string[] }): string {
  const size = `Size=${o.width}x${o.height}`;
  return [
    '[server]',
    `DriverPath=${LCDPROC_DRIVERS}`,
    `Driver=${o.driver}`,
    'Bind=127.0.0.1',
    `Port=${o.port}`,
    'ReportLevel=2',
    'ReportToSyslog=no',
    'User=nobody',
    'Foreground=yes',
    'ServerScreen=no',
    'WaitTime=5',
    // The server's own screen keys would act on our keypad too.
    'ToggleRotateKey=F10',
    'PrevScreenKey=F11',
    'NextScreenKey=F12',
    ...(o.serverExtra ?? []),
    '[menu]',
    'MenuKey=F9',
    '[text]',
    size,
    '[curses]',
    size,
    'TopLeftX=0',
    'TopLeftY=0',
    'DrawBorder=no',
    'UseACS=no',
    '',
  ].join('\n');
}

/** Rows of the last complete frame in the text driver's output. */
export function lastTextFrame(out: string, width: number, height: number): string[] | null {
  const border = `+${'-'.repeat(width)}+`;
  const lines = out.split('\n');
  for (let end = lines.length - 1; end >= height + 1; end--) {
    if (lines[end] !== border || lines[end - height - 1] !== border) continue;
    const rows = lines.slice(end - height, end);
    if (rows.every((r) => r.length === width + 2 && r.startsWith('|') && r.endsWith('|'))) return rows.map((r) => r.slice(1, -1));
  }
  return null;
}

export class LcddRig {
  private pid: number | null = null;
  private out = '';
  readonly conf: string;
  readonly tmuxSock: string;

  private constructor(readonly o: LcddRigOptions, readonly port: number) {
    this.conf = path.join(o.dir, `LCDd-${port}.conf`);
    this.tmuxSock = path.join(o.dir, `tmux-${port}.sock`);
  }

  static async start(o: LcddRigOptions): Promise<LcddRig> {
    try {
      await fs.access(LCDD);
    } catch {
      throw new AppError('MISSING_TOOL', `${LCDD} is missing: install Debian's lcdproc (scripts/deps/paneld.apt)`);
    }
    const rig = new LcddRig(o, o.port ?? (await freePort()));
    await fs.mkdir(o.dir, { recursive: true });
    await fs.writeFile(rig.conf, lcddConf({ ...o, port: rig.port }));
    await rig.launch();
    return rig;
  }

  get running(): boolean {
    return this.pid !== null && isAlive(this.pid);
  }

  get lcddPid(): number | null {
    return this.pid;
  }

  async launch(): Promise<void> {
    if (this.o.driver === 'text') {
      // LCDd's stdout is a pipe here: without stdbuf, frames would wait in a 4 KiB stdio buffer.
      const argv = [...this.nsPrefix(), 'stdbuf', '-o0', LCDD, '-c', this.conf, '-f'];
      const c = spawn(argv[0] ?? 'stdbuf', argv.slice(1), { stdio: ['ignore', 'pipe', 'pipe'] });
      this.pid = c.pid ?? null;
      this.out = '';
      c.stdout.setEncoding('latin1');
      c.stdout.on('data', (d: string) => {
        this.out = (this.out + d).slice(-64 * 1024);
      });
      c.stderr.resume();
    } else {
      const cols = String(Math.max(this.o.width + 4, 80));
      await run('tmux', ['-S', this.tmuxSock, 'new-session', '-d', '-s', 'lcd', '-x', cols, '-y', String(this.o.height + 4), `exec ${[...this.nsPrefix(), LCDD, '-c', this.conf, '-f'].join(' ')} 2>/dev/null`]);
      const pane = await run('tmux', ['-S', this.tmuxSock, 'display', '-p', '-t', 'lcd', '#{pane_pid}']);
      this.pid = Number(pane.stdout.trim());
    }
    await waitFor(`LCDd listening on 127.0.0.1:${this.port}`, () => this.listening(), 10_000, 50);
  }

  private nsPrefix(): string[] {
    return this.o.netns === undefined ? [] : ['ip', 'netns', 'exec', this.o.netns];
  }

  private async listening(): Promise<boolean> {
    if (this.o.netns === undefined) return canConnect(this.port);
    return run('ip', ['netns', 'exec', this.o.netns, 'bash', '-c', `exec 3<>/dev/tcp/127.0.0.1/${this.port}`]).then(() => true, () => false);
  }

  /** The rows on the display now (null before the first frame). */
  async frame(): Promise<string[] | null> {
    if (this.o.driver === 'text') return lastTextFrame(this.out, this.o.width, this.o.height);
    if (!this.running) return null;
    const r = await run('tmux', ['-S', this.tmuxSock, 'capture-pane', '-p', '-t', 'lcd']);
    const rows = r.stdout.split('\n').slice(0, this.o.height);
    return rows.map((row) => row.slice(0, this.o.width).padEnd(this.o.width, ' '));
  }

  /** Wait until the display satisfies `ok`; the error names the last frame seen. */
  async waitForFrame(ok: (rows: string[]) => boolean, timeoutMs = 15_000): Promise<string[]> {
    let last: string[] | null = null;
    try {
      return await waitFor('frame', async () => {
        last = await this.frame();
        return last !== null && ok(last) ? last : undefined;
      }, timeoutMs, 50);
    } catch {
      throw new AppError('TIMEOUT', `the display never showed what was expected; last frame:\n${(last ?? ['(none)']).join('\n')}`);
    }
  }

  /** A key on the curses driver's keyboard (tmux send-keys). */
  async pressKey(key: LcdKey): Promise<void> {
    if (this.o.driver !== 'curses') throw new AppError('NOT_SUPPORTED', 'keys need the curses driver');
    await run('tmux', ['-S', this.tmuxSock, 'send-keys', '-t', 'lcd', key]);
    // curses reads Escape only after its ESCDELAY; let each key land on its own.
    await sleep(key === 'Escape' ? 1200 : 150);
  }

  /** kill -9 LCDd (by PID), as a crash. */
  async kill(): Promise<void> {
    await this.signal('SIGKILL');
  }

  async restart(): Promise<void> {
    await this.stop();
    await this.launch();
  }

  async stop(): Promise<void> {
    await this.signal('SIGTERM');
    if (this.o.driver === 'curses') await run('tmux', ['-S', this.tmuxSock, 'kill-server']).catch(() => undefined);
  }

  private async signal(sig: NodeJS.Signals): Promise<void> {
    const pid = this.pid;
    if (pid === null) return;
    try {
      process.kill(pid, sig);
    } catch {
      // already gone
    }
    await waitFor(`LCDd ${pid} gone`, () => !isAlive(pid), 5000, 20).catch(() => {
      try {
        process.kill(pid, 'SIGKILL');
      } catch {
        // gone meanwhile
      }
    });
    this.pid = null;
  }
}

function canConnect(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = net.connect({ host: '127.0.0.1', port });
    s.once('connect', () => {
      s.destroy();
      resolve(true);
    });
    s.once('error', () => resolve(false));
  });
}
