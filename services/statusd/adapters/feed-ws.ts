/**
 * The feed endpoint: WebSocket (`ws`, no compression, small maxPayload) at
 * /feed on the HTTPS port. Upgrades are decided by core/request-checks
 * (401 without a valid session, 403 for a foreign Origin); each accepted
 * socket becomes a FeedConnection of the hub. Keep-alive: a ws ping and a
 * {"t":"hb"} message every heartbeat; a client that did not answer the
 * previous ping is dropped, and so are the feeds of an ended session (4001).
 */
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import WebSocket, { WebSocketServer, type RawData } from 'ws';
import type { Logger } from '../../runtime/log';
import type { Auth } from '../auth';
import type { FeedHub, HubClient } from '../feed-hub';
import { decodeClientMessage, encode, parseResume, type ClientDropReason } from '../core/messages';
import { checkOrigin, parseCookies, SESSION_COOKIE, upgradeVerdict } from '../core/request-checks';
import type { FeedConnection } from '../ports/feed-connection';
import { SECURITY_HEADERS } from './http-util';

export interface FeedWsOptions {
  hub: FeedHub;
  auth: Auth;
  allowOrigins: readonly string[];
  maxClients: number;
  maxPayloadBytes: number;
  heartbeatMs: number;
  log: Logger;
}

/** Close codes we use besides the standard ones (1001 going away, 1009 too big). */
export const CLOSE_SESSION_ENDED = 4001;

interface Conn {
  ws: WebSocket;
  client: HubClient;
  token: string;
  alive: boolean;
}

/**
 * The same message goes to every client, so its WebSocket frame is built
 * once (per payload Buffer) and written to each socket as one buffer; ws's
 * send() would frame it again per client and hand TLS two chunks. Measured
 * with 1,000 TLS clients (bench/statusd.ts): the fan-out is bound by one
 * write per socket, and this keeps ws's share of it small.
 */
const framed = new WeakMap<Buffer, Buffer>();
/** ws's frame builder: exported at run time (WebSocket.Sender), not in @types/ws. */
const Sender = (WebSocket as unknown as { Sender: { frame(data: Buffer, o: { fin: boolean; rsv1: boolean; opcode: number; mask: boolean; readOnly: boolean }): Buffer[] } }).Sender;
function textFrame(payload: Buffer): Buffer {
  let f = framed.get(payload);
  if (f === undefined) {
    f = Buffer.concat(Sender.frame(payload, { fin: true, rsv1: false, opcode: 1, mask: false, readOnly: true }));
    framed.set(payload, f);
  }
  return f;
}

/** ws internals used by the fast path (ws 8.18; anything else falls back to send()). */
interface WsInternals {
  _socket?: Duplex;
  _sender?: { _state?: number; _queue?: unknown[] };
}

class WsConnection implements FeedConnection {
  constructor(private readonly ws: WebSocket) {}
  get bufferedAmount(): number {
    return this.ws.bufferedAmount;
  }
  send(payload: Buffer): void {
    const w = this.ws as unknown as WsInternals;
    // Writing the frame straight to the socket is what ws's sender does itself when it is idle
    // (no permessage-deflate, no Blob in flight): check that it is.
    if (this.ws.readyState === WebSocket.OPEN && w._socket !== undefined && w._sender?._state === 0 && w._sender._queue?.length === 0) {
      w._socket.write(textFrame(payload));
    } else {
      this.ws.send(payload, { binary: false });
    }
  }
  terminate(): void {
    this.ws.terminate();
  }
}

export class FeedServer {
  private readonly wss: WebSocketServer;
  private readonly conns = new Set<Conn>();
  private readonly timers: NodeJS.Timeout[] = [];
  readonly drops: Partial<Record<ClientDropReason | 'dead' | 'refused', number>> = {};

  constructor(private readonly o: FeedWsOptions) {
    this.wss = new WebSocketServer({ noServer: true, maxPayload: o.maxPayloadBytes, perMessageDeflate: false, clientTracking: false });
  }

  start(): void {
    this.timers.push(setInterval(() => this.heartbeat(), this.o.heartbeatMs));
    this.timers.push(setInterval(() => this.o.hub.tick(), Math.min(1000, this.o.heartbeatMs)));
  }

  get size(): number {
    return this.conns.size;
  }

  /** The HTTPS server's 'upgrade' event. */
  handleUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void {
    socket.on('error', () => undefined);
    const url = new URL(req.url ?? '/', 'https://statusd.invalid');
    const token = parseCookies(req.headers.cookie).get(SESSION_COOKIE);
    const verdict = upgradeVerdict({
      path: url.pathname,
      origin: checkOrigin(req.headers.origin, req.headers.host, 'https', this.o.allowOrigins),
      session: this.o.auth.check(token),
      clients: this.conns.size,
      maxClients: this.o.maxClients,
    });
    if (!verdict.ok) {
      this.count('refused');
      this.o.log.info({ from: req.socket.remoteAddress, status: verdict.status, reason: verdict.reason }, 'feed upgrade refused');
      return refuse(socket, verdict.status, verdict.code, verdict.reason);
    }
    const resume = parseResume(url.searchParams.get('resume'));
    this.wss.handleUpgrade(req, socket, head, (ws) => this.accept(ws, token ?? '', resume.ok ? resume.value : null));
  }

  private accept(ws: WebSocket, token: string, resume: Parameters<FeedHub['attach']>[1]): void {
    const conn: Conn = { ws, token, alive: true, client: this.o.hub.attach(new WsConnection(ws), resume) };
    this.conns.add(conn);
    ws.on('pong', () => (conn.alive = true));
    ws.on('message', (data: RawData, isBinary: boolean) => this.onMessage(conn, data, isBinary));
    ws.on('error', (err) => this.o.log.debug({ err, client: conn.client.id }, 'feed client error')); // e.g. 1009 too big: ws closes it
    ws.on('close', () => {
      this.conns.delete(conn);
      this.o.hub.detach(conn.client);
    });
  }

  private onMessage(conn: Conn, data: RawData, isBinary: boolean): void {
    const m = isBinary ? ({ ok: false, reason: 'binary' } as const) : decodeClientMessage(rawText(data));
    if (m.ok) {
      this.o.hub.sendDirect(conn.client, Buffer.from(encode({ t: 'pong', id: m.value.id })));
      return;
    }
    this.count(m.reason);
    this.o.hub.sendDirect(conn.client, Buffer.from(encode({ t: 'error', code: 'BAD_MESSAGE', message: m.reason })));
  }

  /** Close the feeds of a session that logged out or expired. */
  endSession(token: string): void {
    for (const c of this.conns) if (c.token === token) c.ws.close(CLOSE_SESSION_ENDED, 'session ended');
  }

  private heartbeat(): void {
    for (const t of this.o.auth.sweep()) this.endSession(t);
    for (const c of this.conns) {
      if (!c.alive) {
        this.count('dead');
        this.o.log.info({ client: c.client.id }, 'feed client did not answer the ping: dropped');
        this.conns.delete(c);
        this.o.hub.detach(c.client);
        c.ws.terminate();
        continue;
      }
      if (!this.o.auth.check(c.token).ok) {
        c.ws.close(CLOSE_SESSION_ENDED, 'session ended');
        continue;
      }
      c.alive = false;
      c.ws.ping();
    }
    this.o.hub.heartbeat();
  }

  private count(k: ClientDropReason | 'dead' | 'refused'): void {
    this.drops[k] = (this.drops[k] ?? 0) + 1;
  }

  /** Stop: every client gets 1001 (going away), then the sockets go. */
  close(): void {
    this.timers.splice(0).forEach((t) => clearInterval(t));
    for (const c of this.conns) {
      c.ws.close(1001, 'statusd stopping');
      setTimeout(() => c.ws.terminate(), 500).unref();
    }
    this.wss.close();
  }
}

function rawText(data: RawData): string {
  if (Buffer.isBuffer(data)) return data.toString('utf8');
  if (Array.isArray(data)) return Buffer.concat(data).toString('utf8');
  return Buffer.from(data).toString('utf8');
}

/** Answer an upgrade we refuse with a plain HTTP error and hang up. */
export function refuse(socket: Duplex, status: number, code: string, message: string): void {
  const text: Record<number, string> = { 401: 'Unauthorized', 403: 'Forbidden', 404: 'Not Found', 503: 'Service Unavailable', 308: 'Permanent Redirect' };
  const body = JSON.stringify({ error: code, message });
  const headers = { ...SECURITY_HEADERS, 'content-type': 'application/json', 'content-length': String(Buffer.byteLength(body)), connection: 'close' };
  socket.end(`HTTP/1.1 ${status} ${text[status] ?? 'Error'}\r\n${Object.entries(headers).map(([k, v]) => `${k}: ${v}\r\n`).join('')}\r\n${body}`);
}
