/**
 * The client side of statusd for tools: log in over HTTPS, open the feed,
 * follow it across reconnects with resume (EPOCH.SEQ) and backoff. The
 * certificate is checked against a pinned file (statusd's own, --ca), the
 * system CAs, or not at all (--insecure).
 */
import { X509Certificate } from 'node:crypto';
import * as https from 'node:https';
import type { PeerCertificate } from 'node:tls';
import WebSocket from 'ws';
import { AppError, errorMessage } from '../../runtime/errors';
import { applyChanges, type JsonObject } from '../core/json';
import { decodeServerMessage, type ServerMessage } from '../core/messages';

export interface Trust {
  insecure: boolean;
  /** PEM of the one certificate to accept (statusd's self-signed one). */
  pinned: Buffer | null;
}

export function tlsOptions(t: Trust): https.RequestOptions {
  if (t.insecure) return { rejectUnauthorized: false };
  if (t.pinned === null) return {};
  const fp = new X509Certificate(t.pinned).fingerprint256;
  // Pinning: the presented certificate must be this one; its names do not matter then.
  return { ca: t.pinned, checkServerIdentity: (_host: string, cert: PeerCertificate) => (cert.fingerprint256 === fp ? undefined : new Error('the server certificate is not the pinned one')) };
}

/** POST /api/login; returns the Cookie header value. */
export async function loginCookie(base: string, user: string, password: string, trust: Trust): Promise<string> {
  const body = Buffer.from(JSON.stringify({ user, password }));
  const res = await new Promise<{ status: number; cookie: string; text: string }>((resolve, reject) => {
    const req = https.request(new URL('/api/login', base), { method: 'POST', headers: { 'content-type': 'application/json', 'content-length': String(body.length) }, timeout: 10_000, ...tlsOptions(trust) }, (r) => {
      let text = '';
      r.on('data', (d: Buffer) => (text += d.toString()));
      r.on('end', () => resolve({ status: r.statusCode ?? 0, cookie: (r.headers['set-cookie']?.[0] ?? '').split(';')[0] ?? '', text }));
    });
    req.on('timeout', () => req.destroy(new Error('no answer in 10 s')));
    req.on('error', reject);
    req.end(body);
  }).catch((err: unknown) => {
    throw new AppError('SERVICE_UNAVAILABLE', `cannot reach statusd at ${base}: ${errorMessage(err)}`);
  });
  if (res.status === 200 && res.cookie !== '') {
    if (/"mustChangePassword":true/.test(res.text)) {
      throw new AppError('PASSWORD_CHANGE_REQUIRED', `${user}'s password is still the unit's initial one, which must be changed before the feed can be watched: log in on the web page (it asks for a new password), or as root run "statusctl passwd"`);
    }
    return res.cookie;
  }
  if (res.status === 401 || res.status === 429 || res.status === 403) throw new AppError('LOGIN_REFUSED', `login refused (${res.status}): ${res.text.slice(0, 200)}`);
  throw new AppError('LOGIN_FAILED', `login failed (${res.status}): ${res.text.slice(0, 200)}`);
}

export interface FollowEvents {
  /** Every decoded message, with the state after it (null before the first snapshot). */
  message(m: ServerMessage, state: JsonObject | null): void;
  /** Connection changes for the human log. */
  status(text: string): void;
}

export interface FollowOptions {
  base: string;
  cookie: string;
  trust: Trust;
  reconnect: boolean;
  events: FollowEvents;
}

/**
 * Follow the feed until stop() (or the first loss without `reconnect`).
 * Resolves when following ends; rejects when the first connection fails.
 */
export function follow(o: FollowOptions): { done: Promise<void>; stop(): void } {
  let state: JsonObject | null = null;
  let epoch: string | null = null;
  let seq = 0;
  let attempt = 0;
  let ws: WebSocket | null = null;
  let stopped = false;
  let timer: NodeJS.Timeout | null = null;
  let finish: () => void = () => undefined;
  let fail: (e: Error) => void = () => undefined;
  const done = new Promise<void>((resolve, reject) => {
    finish = resolve;
    fail = (e) => {
      stopped = true;
      ws?.terminate();
      reject(e);
    };
  });
  const url = new URL('/feed', o.base.replace(/^http/, 'ws'));
  const connect = (): void => {
    const u = new URL(url);
    if (epoch !== null) u.searchParams.set('resume', `${epoch}.${seq}`);
    const sock = new WebSocket(u, { headers: { cookie: o.cookie }, perMessageDeflate: false, maxPayload: 64 * 2 ** 20, ...tlsOptions(o.trust) });
    ws = sock;
    sock.on('open', () => o.events.status(`connected to ${url.host}${epoch === null ? '' : ` (resuming at #${seq})`}`));
    sock.on('message', (data: Buffer) => {
      const d = decodeServerMessage(data.toString());
      if (!d.ok) return o.events.status(`unreadable message (${d.reason})`);
      const m = d.value;
      if (m.t === 'snapshot') ({ state, epoch, seq } = { state: m.state, epoch: m.epoch, seq: m.seq });
      if (m.t === 'delta' && state !== null) {
        state = applyChanges(state, m.changes);
        seq = m.seq;
      }
      if (m.t === 'snapshot' || m.t === 'resumed') attempt = 0;
      o.events.message(m, state);
    });
    sock.on('unexpected-response', (_req, res) => {
      sock.terminate();
      if (state === null) fail(new AppError(res.statusCode === 401 ? 'LOGIN_REFUSED' : 'FEED_REFUSED', `feed refused: HTTP ${res.statusCode}`));
      else end(`feed refused: HTTP ${res.statusCode}`, res.statusCode !== 401);
    });
    sock.on('error', (err) => {
      if (state === null && attempt === 0) fail(new AppError('SERVICE_UNAVAILABLE', `cannot open the feed at ${url.href}: ${errorMessage(err)}`));
    });
    sock.on('close', (code) => end(`feed lost (${code})`, code !== 4001));
  };
  const end = (why: string, retry: boolean): void => {
    if (stopped || ws === null) return;
    ws = null;
    if (!o.reconnect || !retry) {
      o.events.status(why);
      stopped = true;
      finish();
      return;
    }
    const wait = Math.min(10_000, 500 * 2 ** attempt);
    attempt += 1;
    o.events.status(`${why}; reconnecting in ${(wait / 1000).toFixed(1)} s`);
    timer = setTimeout(connect, wait);
  };
  connect();
  return {
    done,
    stop: () => {
      stopped = true;
      if (timer !== null) clearTimeout(timer);
      ws?.close(1000);
      finish();
    },
  };
}
