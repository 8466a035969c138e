/**
 * Integration-test harness: statusd in-process on 127.0.0.1 (random HTTPS
 * port, HTTP off unless asked) with fake sources and controls, a state
 * directory removed at stop, and its log lines captured as objects; plus
 * the client side (login, feed sockets) the tests and the benchmark use.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { Writable } from 'node:stream';
import * as path from 'node:path';
import pino from 'pino';
import WebSocket from 'ws';
import { repoRoot } from '../../runtime/cli';
import type { MessageBus } from '../../runtime/dbus';
import { startApp, type RunningApp } from '../app';
import { defaultConfig, type StatusdConfig } from '../config/types';
import { FakeFailoverControl, FakePairControl, FakeSyncControl, FakeUnitControl } from '../ports/controls';
import { FakeSource, type StateSource } from '../ports/state-source';
import { INITIAL_USER } from '../adapters/users-file';

export interface TestStatusd {
  app: RunningApp;
  config: StatusdConfig;
  /** https://127.0.0.1:PORT */
  base: string;
  /** wss://127.0.0.1:PORT/feed */
  feedUrl: string;
  /** admin's password: a changed one, unless `keepInitialPassword` (then the initial one). */
  password: string;
  /** The unit's initial password (first start). */
  initialPassword: string;
  source: FakeSource;
  units: FakeUnitControl;
  failover: FakeFailoverControl;
  pair: FakePairControl;
  sync: FakeSyncControl;
  logs: Record<string, unknown>[];
  stop(): Promise<void>;
}

export interface TestStatusdOptions {
  config?: Partial<StatusdConfig>;
  /** Real buses instead of fakes (sources then come from the config). */
  bus?: MessageBus;
  systemdBus?: MessageBus;
  sources?: StateSource[];
  /** Leave admin on the initial password (first-login tests); by default it is changed at once. */
  keepInitialPassword?: boolean;
}

/** What the harness changes the initial password to. */
export const TEST_PASSWORD = 'harness password 1';

export async function startTestStatusd(o: TestStatusdOptions = {}): Promise<TestStatusd> {
  const stateDir = mkdtempSync('/tmp/statusd-test-');
  const config: StatusdConfig = { ...defaultConfig(), listen: ['127.0.0.1'], httpPort: 0, httpsPort: 0, stateDir, wwwDir: path.join(repoRoot(), 'services', 'statusd', 'www'), ...o.config };
  const logs: Record<string, unknown>[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _enc, cb) {
      for (const line of chunk.toString().split('\n')) if (line.trim() !== '') logs.push(JSON.parse(line) as Record<string, unknown>);
      cb();
    },
  });
  const log = pino({ level: 'debug' }, sink);
  const source = new FakeSource('hbd', { running: true, state: 'init' });
  const units = new FakeUnitControl();
  const failover = new FakeFailoverControl();
  const pair = new FakePairControl();
  const sync = new FakeSyncControl();
  const real = o.bus !== undefined;
  try {
    const app = await startApp({
      config, log, bus: o.bus, systemdBus: o.systemdBus,
      ...(real ? {} : { sources: o.sources ?? [source], unitControl: units, failover, pair, sync }),
    });
    if (app.initialPassword === null) throw new Error('expected a first start');
    const initialPassword = app.initialPassword;
    if (o.keepInitialPassword !== true) await app.users.setPassword(INITIAL_USER, TEST_PASSWORD);
    const password = o.keepInitialPassword === true ? initialPassword : TEST_PASSWORD;
    const base = `https://127.0.0.1:${app.listening.httpsPort}`;
    let stopped: Promise<void> | null = null;
    return {
      app, config, base, feedUrl: `${base.replace('https', 'wss')}/feed`, password, initialPassword, source, units, failover, pair, sync, logs,
      stop: () => {
        stopped ??= app.stop().finally(() => rmSync(stateDir, { recursive: true, force: true }));
        return stopped;
      },
    };
  } catch (err) {
    rmSync(stateDir, { recursive: true, force: true });
    throw err;
  }
}

export interface HttpAnswer {
  status: number;
  headers: Record<string, string>;
  body: Record<string, unknown>;
}

/** One HTTPS request to a test statusd (self-signed: not verified, loopback only). */
export async function request(base: string, method: string, p: string, o: { body?: unknown; headers?: Record<string, string> } = {}): Promise<HttpAnswer> {
  const https = await import('node:https');
  return new Promise((resolve, reject) => {
    const data = o.body === undefined ? undefined : Buffer.from(typeof o.body === 'string' ? o.body : JSON.stringify(o.body));
    const req = https.request(`${base}${p}`, {
      method, rejectUnauthorized: false,
      headers: { ...(data === undefined ? {} : { 'content-type': 'application/json', 'content-length': String(data.length) }), ...o.headers },
    }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        const text = Buffer.concat(chunks).toString();
        let body: Record<string, unknown> = {};
        try {
          body = JSON.parse(text) as Record<string, unknown>;
        } catch {
          body = { text };
        }
        resolve({ status: res.statusCode ?? 0, headers: res.headers as Record<string, string>, body });
      });
    });
    req.on('error', reject);
    req.end(data);
  });
}

/** Log in; returns the Cookie header value and the CSRF token. */
export async function login(base: string, password: string, user = INITIAL_USER): Promise<{ cookie: string; csrf: string }> {
  const r = await request(base, 'POST', '/api/login', { body: { user, password } });
  if (r.status !== 200) throw new Error(`login failed: ${r.status} ${JSON.stringify(r.body)}`);
  const setCookie = (r.headers['set-cookie'] as unknown as string[] | undefined)?.[0] ?? '';
  return { cookie: setCookie.split(';')[0] ?? '', csrf: String(r.body.csrf) };
}

/**
 * First login as a person does it: log in with the unit's initial password,
 * then change it (POST /api/password) to `next`. Returns the session.
 */
export async function changeInitialPassword(base: string, initial: string, next: string): Promise<{ cookie: string; csrf: string }> {
  const s = await login(base, initial);
  const r = await request(base, 'POST', '/api/password', { body: { current: initial, password: next }, headers: { cookie: s.cookie, 'x-csrf-token': s.csrf } });
  if (r.status !== 200) throw new Error(`password change failed: ${r.status} ${JSON.stringify(r.body)}`);
  return s;
}

/** A feed client collecting parsed messages. */
export class FeedClient {
  readonly messages: Record<string, unknown>[] = [];
  closeCode: number | null = null;
  private waiters: (() => void)[] = [];
  readonly opened: Promise<void>;
  /** Status of a refused upgrade (401, 403...). */
  refused: number | null = null;

  constructor(readonly ws: WebSocket) {
    ws.on('message', (d: Buffer) => {
      this.messages.push(JSON.parse(d.toString()) as Record<string, unknown>);
      this.wake();
    });
    ws.on('close', (code: number) => {
      this.closeCode = code;
      this.wake();
    });
    ws.on('error', () => this.wake());
    this.opened = new Promise((resolve, reject) => {
      ws.once('open', () => resolve());
      ws.once('unexpected-response', (_req, res) => {
        this.refused = res.statusCode ?? 0;
        reject(new Error(`upgrade refused: ${res.statusCode}`));
      });
      ws.once('error', reject);
    });
    this.opened.catch(() => undefined);
  }

  static open(url: string, o: { cookie?: string; origin?: string; resume?: string; wsOptions?: WebSocket.ClientOptions } = {}): FeedClient {
    const headers: Record<string, string> = {};
    if (o.cookie !== undefined) headers.cookie = o.cookie;
    return new FeedClient(new WebSocket(o.resume === undefined ? url : `${url}?resume=${o.resume}`, { rejectUnauthorized: false, headers, origin: o.origin, perMessageDeflate: false, ...o.wsOptions }));
  }

  private wake(): void {
    this.waiters.splice(0).forEach((w) => w());
  }

  /** Wait until `check` holds (re-checked at each message or close). */
  async until(what: string, check: () => boolean, timeoutMs = 5000): Promise<void> {
    const end = Date.now() + timeoutMs;
    while (!check()) {
      const left = end - Date.now();
      if (left <= 0) throw new Error(`timed out waiting for ${what}; got ${JSON.stringify(this.messages.map((m) => [m.t, m.seq])).slice(0, 400)} close ${this.closeCode}`);
      await new Promise<void>((r) => {
        const t = setTimeout(r, left);
        this.waiters.push(() => {
          clearTimeout(t);
          r();
        });
      });
    }
  }

  /** The last seq this client knows (snapshot, resumed or delta). */
  get seq(): number {
    const m = [...this.messages].reverse().find((x) => x.t === 'snapshot' || x.t === 'delta' || x.t === 'resumed');
    return typeof m?.seq === 'number' ? m.seq : -1;
  }

  close(): void {
    this.ws.terminate();
  }
}

/**
 * A raw TLS client that upgrades to the feed and then stops reading: the
 * kernel buffers fill and statusd must stop queueing for it.
 */
export async function stalledClient(base: string, cookie: string): Promise<import('node:tls').TLSSocket> {
  return (await feedSocket(base, cookie)).socket;
}

/**
 * A feed connection made by hand: TLS, the upgrade request with the session
 * cookie, the 101 answer. Returns the socket and the bytes that came after
 * the answer's header (the start of the first frame, maybe). The socket is
 * paused: resume() it after adding a 'data' listener, or leave it stalled.
 */
export async function feedSocket(base: string, cookie: string): Promise<{ socket: import('node:tls').TLSSocket; rest: Buffer }> {
  const tls = await import('node:tls');
  const { port } = new URL(base);
  const socket = tls.connect({ host: '127.0.0.1', port: Number(port), rejectUnauthorized: false });
  const rest = await new Promise<Buffer>((resolve, reject) => {
    socket.once('error', reject);
    socket.once('secureConnect', () => {
      socket.write(['GET /feed HTTP/1.1', `Host: 127.0.0.1:${port}`, 'Upgrade: websocket', 'Connection: Upgrade',
        'Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==', 'Sec-WebSocket-Version: 13', `Cookie: ${cookie}`, '', ''].join('\r\n'));
    });
    let head = Buffer.alloc(0);
    const onData = (d: Buffer): void => {
      head = Buffer.concat([head, d]);
      const end = head.indexOf('\r\n\r\n');
      if (end === -1) return;
      socket.pause();
      socket.off('data', onData);
      socket.off('error', reject);
      const status = head.subarray(0, head.indexOf('\r\n')).toString('latin1');
      if (status.startsWith('HTTP/1.1 101')) resolve(head.subarray(end + 4));
      else reject(new Error(`upgrade refused: ${status}`));
    };
    socket.on('data', onData);
  });
  socket.on('error', () => undefined);
  return { socket, rest };
}
