/**
 * LcdprocClient: a client of LCDd (the LCDproc server) over TCP, with
 * reconnection. Nothing in here knows about paneld; hw-test uses it too.
 *
 * API
 *   const lcd = new LcdprocClient({ host: '127.0.0.1', port: 13666, clientName: 'paneld' }, {
 *     onConnect: async (display) => {          // after hello + client_set, again after every reconnect
 *       await lcd.screenAdd('main');            // everything on the server was lost with the old connection
 *       await lcd.screenSet('main', { priority: 'foreground', heartbeat: 'off' });
 *       await lcd.widgetAdd('main', 'l1', 'string');
 *       await lcd.widgetSet('main', 'l1', 1, 1, 'hello');   // strings are quoted and escaped
 *       await lcd.clientAddKey(['Up', 'Down', 'Enter', 'Escape']);
 *     },
 *     onKey: (key) => ..., onListen: (screen) => ..., onIgnore: (screen) => ...,
 *     onMenuEvent: (ev) => ..., onDisconnect: (err) => ..., onBadLine: (verdict) => ...,
 *     onConnectFailed: (err, attempt, retryMs) => ...,   // log the first one, not every retry
 *     onError: (err) => ...,                      // onConnect threw (the connection is dropped and retried)
 *   });
 *   lcd.start();                                  // connect now, retry with backoff while LCDd is absent
 *   lcd.connected / lcd.display                   // DisplayInfo of the live connection, or null
 *   await lcd.request('noop')                     // any command; resolves with the reply line
 *   await lcd.stop();                             // close, stop retrying
 *
 * Errors (AppError codes): LCDPROC_REFUSED (the server answered huh?),
 * LCDPROC_DISCONNECTED (no connection, or it closed before the reply),
 * LCDPROC_TIMEOUT (no reply in time: the connection is dropped and redone,
 * as the command stream is out of step), LCDPROC_BAD_ID (a screen/widget id
 * LCDd cannot parse). Server lines that make no sense go to onBadLine and
 * are otherwise ignored.
 */
import * as net from 'node:net';
import { AppError, errorMessage } from '../../runtime/errors';
import { command, isAsync, isValidId, LineSplitter, type DisplayInfo, type ServerLine } from '../core/lcdproc-protocol';

export type { DisplayInfo, ServerLine } from '../core/lcdproc-protocol';

export interface LcdprocClientOptions {
  host?: string;
  port?: number;
  /** client_set -name; shown by LCDd's server screen. */
  clientName?: string;
  /** Waits before reconnect attempts; the last one repeats. */
  backoffMs?: readonly number[];
  commandTimeoutMs?: number;
  connectTimeoutMs?: number;
}

export interface MenuEvent {
  event: string;
  id: string;
  value: string | null;
}

export interface LcdprocHandlers {
  onConnect?: (display: DisplayInfo) => void | Promise<void>;
  /** A live connection was lost (err null: the server closed it). */
  onDisconnect?: (err: Error | null) => void;
  /** An attempt failed (LCDd absent, no hello); the next one follows in `retryMs`. */
  onConnectFailed?: (err: Error, attempt: number, retryMs: number) => void;
  onKey?: (key: string) => void;
  onListen?: (screen: string) => void;
  onIgnore?: (screen: string) => void;
  onMenuEvent?: (ev: MenuEvent) => void;
  onBadLine?: (verdict: Extract<ServerLine, { kind: 'bad' }>) => void;
  onError?: (err: unknown) => void;
}

export type Priority = 'hidden' | 'background' | 'info' | 'foreground' | 'alert' | 'input';

export interface ScreenOptions {
  name?: string;
  priority?: Priority | number;
  heartbeat?: 'on' | 'off' | 'open';
  backlight?: 'on' | 'off' | 'toggle' | 'open' | 'blink' | 'flash';
  /** Eighths of a second. */
  duration?: number;
  timeout?: number;
  cursor?: 'off' | 'on' | 'under' | 'block';
  cursorX?: number;
  cursorY?: number;
}

export const DEFAULT_PORT = 13666;
export const DEFAULT_BACKOFF_MS: readonly number[] = [250, 500, 1000, 2000, 5000];

interface Pending {
  resolve: (l: ServerLine) => void;
  reject: (e: Error) => void;
  text: string;
}

export class LcdprocClient {
  private socket: net.Socket | null = null;
  private pending: Pending[] = [];
  private live: DisplayInfo | null = null;
  private attempt = 0;
  private retry: NodeJS.Timeout | null = null;
  private timer: NodeJS.Timeout | null = null;
  private running = false;
  private readonly opts: Required<LcdprocClientOptions>;

  constructor(opts: LcdprocClientOptions, private readonly on: LcdprocHandlers = {}) {
    this.opts = {
      host: opts.host ?? '127.0.0.1',
      port: opts.port ?? DEFAULT_PORT,
      clientName: opts.clientName ?? 'lbos',
      backoffMs: opts.backoffMs ?? DEFAULT_BACKOFF_MS,
      commandTimeoutMs: opts.commandTimeoutMs ?? 5000,
      connectTimeoutMs: opts.connectTimeoutMs ?? 3000,
    };
  }

  get connected(): boolean {
    return this.live !== null;
  }

  get display(): DisplayInfo | null {
    return this.live;
  }

  start(): void {
    if (this.running) return;
    this.running = true;
    this.connect();
  }

  async stop(): Promise<void> {
    this.running = false;
    if (this.retry !== null) clearTimeout(this.retry);
    this.retry = null;
    const s = this.socket;
    if (s === null) return;
    const closed = new Promise<void>((resolve) => s.once('close', () => resolve()));
    s.end();
    const t = setTimeout(() => s.destroy(), 500);
    await closed;
    clearTimeout(t);
  }

  /** Send one command line; resolves with its reply (success or the command's answer). */
  request(text: string): Promise<ServerLine> {
    const s = this.socket;
    if (s === null || s.destroyed) return Promise.reject(new AppError('LCDPROC_DISCONNECTED', `not connected to LCDd at ${this.where()}`));
    return new Promise<ServerLine>((resolve, reject) => {
      this.pending.push({ resolve, reject, text });
      this.armTimer();
      s.write(`${text}\n`);
    });
  }

  screenAdd(id: string): Promise<ServerLine> {
    return this.request(command('screen_add', this.id(id)));
  }

  screenDel(id: string): Promise<ServerLine> {
    return this.request(command('screen_del', this.id(id)));
  }

  screenSet(id: string, o: ScreenOptions): Promise<ServerLine> {
    const args: (string | number | { raw: string })[] = [this.id(id)];
    const flag = (name: string, v: string | number | undefined): void => {
      if (v === undefined) return;
      args.push({ raw: `-${name}` }, typeof v === 'number' ? v : name === 'name' ? v : { raw: v });
    };
    flag('name', o.name);
    flag('priority', o.priority);
    flag('heartbeat', o.heartbeat);
    flag('backlight', o.backlight);
    flag('duration', o.duration);
    flag('timeout', o.timeout);
    flag('cursor', o.cursor);
    flag('cursor_x', o.cursorX);
    flag('cursor_y', o.cursorY);
    return this.request(command('screen_set', ...args));
  }

  widgetAdd(screen: string, id: string, type: 'string' | 'title' | 'hbar' | 'vbar' | 'icon' | 'scroller' | 'frame' | 'num'): Promise<ServerLine> {
    return this.request(command('widget_add', this.id(screen), this.id(id), { raw: type }));
  }

  /** widget_set: numbers go as they are, strings quoted (a string widget: x, y, text). */
  widgetSet(screen: string, id: string, ...args: (string | number)[]): Promise<ServerLine> {
    return this.request(command('widget_set', this.id(screen), this.id(id), ...args));
  }

  widgetDel(screen: string, id: string): Promise<ServerLine> {
    return this.request(command('widget_del', this.id(screen), this.id(id)));
  }

  /** Exclusive (-exclusively) keys go only to this client; shared ones (default) too. */
  clientAddKey(keys: readonly string[], mode: 'shared' | 'exclusive' = 'shared'): Promise<ServerLine> {
    return this.request(command('client_add_key', { raw: mode === 'exclusive' ? '-exclusively' : '-shared' }, ...keys.map((k) => this.id(k))));
  }

  clientDelKey(keys: readonly string[]): Promise<ServerLine> {
    return this.request(command('client_del_key', ...keys.map((k) => this.id(k))));
  }

  private id(id: string): { raw: string } {
    if (!isValidId(id)) throw new AppError('LCDPROC_BAD_ID', `"${id}" is not a usable LCDproc id (letters, digits, _ . -)`);
    return { raw: id };
  }

  private where(): string {
    return `${this.opts.host}:${this.opts.port}`;
  }

  private connect(): void {
    if (!this.running) return;
    const s = net.connect({ host: this.opts.host, port: this.opts.port });
    this.socket = s;
    const splitter = new LineSplitter();
    s.setEncoding('latin1');
    s.setNoDelay(true);
    s.setTimeout(this.opts.connectTimeoutMs, () => s.destroy(new AppError('LCDPROC_TIMEOUT', `no connection to LCDd at ${this.where()} within ${this.opts.connectTimeoutMs} ms`)));
    let failure: Error | null = null;
    s.on('error', (err) => {
      failure = err;
    });
    s.on('close', () => this.closed(s, failure));
    s.on('data', (chunk: string) => {
      for (const line of splitter.push(chunk)) this.handle(line);
    });
    s.on('connect', () => {
      s.setTimeout(0);
      void this.handshake(s);
    });
  }

  private async handshake(s: net.Socket): Promise<void> {
    try {
      const hello = await this.request('hello');
      if (hello.kind !== 'connect') throw new AppError('LCDPROC_BAD_SERVER', `LCDd at ${this.where()} answered hello with ${JSON.stringify(hello)}`);
      await this.request(command('client_set', { raw: '-name' }, this.opts.clientName));
      if (this.socket !== s) return;
      this.live = hello.display;
      this.attempt = 0;
      await this.on.onConnect?.(hello.display);
    } catch (err) {
      if (this.socket === s) {
        this.on.onError?.(err);
        s.destroy();
      }
    }
  }

  private handle(line: ServerLine): void {
    if (line.kind === 'bad') return this.on.onBadLine?.(line);
    if (isAsync(line)) return this.async(line);
    const p = this.pending.shift();
    this.armTimer();
    if (p === undefined) {
      if (line.kind !== 'bye') this.on.onBadLine?.({ kind: 'bad', reason: 'reply without a command', line: JSON.stringify(line) });
      return;
    }
    if (line.kind === 'huh') p.reject(new AppError('LCDPROC_REFUSED', `LCDd refused "${p.text.slice(0, 80)}": ${line.message}`));
    else p.resolve(line);
  }

  private async(line: ServerLine): void {
    try {
      if (line.kind === 'key') this.on.onKey?.(line.key);
      else if (line.kind === 'listen') this.on.onListen?.(line.screen);
      else if (line.kind === 'ignore') this.on.onIgnore?.(line.screen);
      else if (line.kind === 'menuevent') this.on.onMenuEvent?.({ event: line.event, id: line.id, value: line.value });
    } catch (err) {
      this.on.onError?.(err);
    }
  }

  /** One timer for the oldest outstanding command. */
  private armTimer(): void {
    if (this.timer !== null) clearTimeout(this.timer);
    this.timer = null;
    if (this.pending.length === 0) return;
    const s = this.socket;
    this.timer = setTimeout(() => s?.destroy(new AppError('LCDPROC_TIMEOUT', `LCDd at ${this.where()} did not answer within ${this.opts.commandTimeoutMs} ms`)), this.opts.commandTimeoutMs);
  }

  private closed(s: net.Socket, err: Error | null): void {
    if (this.socket !== s) return;
    this.socket = null;
    const wasLive = this.live !== null;
    this.live = null;
    if (this.timer !== null) clearTimeout(this.timer);
    this.timer = null;
    const gone = new AppError('LCDPROC_DISCONNECTED', `connection to LCDd at ${this.where()} closed${err === null ? '' : `: ${errorMessage(err)}`}`);
    for (const p of this.pending.splice(0)) p.reject(gone);
    if (!this.running) return;
    const list = this.opts.backoffMs;
    const wait = list[Math.min(this.attempt, list.length - 1)] ?? 1000;
    this.attempt += 1;
    if (wasLive) this.on.onDisconnect?.(err);
    else this.on.onConnectFailed?.(err ?? gone, this.attempt, wait);
    this.retry = setTimeout(() => {
      this.retry = null;
      this.connect();
    }, wait);
  }
}
