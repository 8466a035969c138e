/**
 * The listening sockets: HTTPS (page, API, feed) and plain HTTP, which only
 * redirects to HTTPS (session cookies are `Secure`: a password never crosses
 * the network in clear). One server per configured address, or one on every
 * address when none is configured.
 */
import * as http from 'node:http';
import * as https from 'node:https';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import { AppError, errorMessage } from '../../runtime/errors';
import { clientErrorAnswer, httpsOriginOf, rawErrorResponse, redirectPath } from '../core/client-errors';
import { refuse } from './feed-ws';
import { SECURITY_HEADERS } from './http-util';
import type { TlsPair } from './tls-cert';

export interface ServerOptions {
  listen: readonly string[];
  httpPort: number;
  httpsPort: number;
  /** The configured redirect_to origin, or null: the address the connection came in on. */
  redirectTo: string | null;
  tls: TlsPair;
  app: (req: http.IncomingMessage, res: http.ServerResponse) => void;
  upgrade: (req: http.IncomingMessage, socket: Duplex, head: Buffer) => void;
}

export interface Listening {
  /** Where each server listens, e.g. "https 127.0.0.1:9443". */
  readonly addresses: string[];
  /** The HTTPS port actually bound (differs from the config only for port 0 in tests). */
  readonly httpsPort: number;
  setTls(tls: TlsPair): void;
  close(): Promise<void>;
}

/**
 * Request line + headers at most 8 KiB (Node's default is 16 KiB; nginx and
 * Apache refuse a header line past 8 KiB): the page's requests carry one
 * 43-character cookie. More is answered 431.
 */
const MAX_HEADER_BYTES = 8192;
const HTTP_OPTIONS = { headersTimeout: 10_000, requestTimeout: 15_000, keepAliveTimeout: 5_000, maxHeaderSize: MAX_HEADER_BYTES };

/**
 * TLS 1.2 with forward secrecy and AEAD only (RFC 7525 / BSI TR-02102
 * recommendations): ECDHE with AES-GCM or ChaCha20-Poly1305, for the
 * ECDSA key statusd makes and for a configured RSA one. No CBC suites
 * (Lucky13 and padding-oracle families), no static RSA key exchange.
 * TLS 1.3's suites are all AEAD and stay OpenSSL's defaults (a list without
 * TLS_* names leaves them untouched).
 */
export const TLS12_CIPHERS = [
  'ECDHE-ECDSA-AES128-GCM-SHA256', 'ECDHE-RSA-AES128-GCM-SHA256',
  'ECDHE-ECDSA-AES256-GCM-SHA384', 'ECDHE-RSA-AES256-GCM-SHA384',
  'ECDHE-ECDSA-CHACHA20-POLY1305', 'ECDHE-RSA-CHACHA20-POLY1305',
].join(':');

/** Every secure context statusd makes, at start and at SIGHUP (setSecureContext starts from Node's defaults). */
function tlsOptions(tls: TlsPair): { cert: string | Buffer; key: string | Buffer; minVersion: 'TLSv1.2'; ciphers: string; honorCipherOrder: boolean } {
  return { cert: tls.cert, key: tls.key, minVersion: 'TLSv1.2', ciphers: TLS12_CIPHERS, honorCipherOrder: true };
}

/** How long a refused connection may still deliver what it was sending before it is closed. */
const LINGER_MS = 2000;
const answered = new WeakSet<Duplex>();

/**
 * A request Node's parser refused (bad framing, oversize headers, timeout):
 * answer with a real response and a JSON error instead of a silent close,
 * unless a response is already on the wire. The write side is ended and the
 * socket kept reading (and discarding) for LINGER_MS, so a client still
 * sending gets the answer instead of a reset.
 */
function onClientError(err: Error & { code?: string; reason?: string }, socket: Duplex): void {
  const inFlight = (socket as Duplex & { _httpMessage?: { headersSent?: boolean } })._httpMessage;
  const answer = clientErrorAnswer(err.code, err.reason);
  // The parser stays in its error state: what arrives while lingering comes here again.
  if (answered.has(socket)) return;
  if (answer === null || !socket.writable || inFlight?.headersSent === true) {
    socket.destroy();
    return;
  }
  answered.add(socket);
  socket.end(rawErrorResponse(answer.status, answer.code, answer.message, SECURITY_HEADERS));
  socket.resume();
  setTimeout(() => socket.destroy(), LINGER_MS).unref();
}

/**
 * Plain HTTP answers with a redirect to the address the connection came in
 * on: the Host header is the client's to choose and must not pick where a
 * browser is sent next.
 */
function redirect(httpsPort: () => number, redirectTo: string | null): (req: http.IncomingMessage, res: http.ServerResponse) => void {
  return (req, res) => {
    const origin = redirectTo ?? httpsOriginOf(req.socket.localAddress, httpsPort());
    if (origin === null) {
      res.destroy();
      return;
    }
    const target = `${origin}${redirectPath(req.url)}`;
    res.writeHead(308, { ...SECURITY_HEADERS, location: target, 'content-type': 'text/plain' }).end(`see ${target}\n`);
  };
}

async function bind(server: http.Server, port: number, host: string | undefined): Promise<AddressInfo> {
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen({ port, host, ipv6Only: false }, () => {
      server.off('error', reject);
      resolve();
    });
  }).catch((err: unknown) => {
    throw new AppError('LISTEN_FAILED', `cannot listen on ${host ?? '*'}:${port}: ${errorMessage(err)}`);
  });
  return server.address() as AddressInfo;
}

export async function startServers(o: ServerOptions): Promise<Listening> {
  const hosts: (string | undefined)[] = o.listen.length === 0 ? [undefined] : [...o.listen];
  const servers: http.Server[] = [];
  const secure: https.Server[] = [];
  const addresses: string[] = [];
  let boundHttps = o.httpsPort;
  try {
    for (const host of hosts) {
      const s = https.createServer({ ...tlsOptions(o.tls), ...HTTP_OPTIONS }, o.app);
      s.on('upgrade', o.upgrade);
      s.on('clientError', onClientError);
      servers.push(s);
      secure.push(s);
      const a = await bind(s, boundHttps, host);
      boundHttps = a.port;
      addresses.push(`https ${a.address}:${a.port}`);
    }
    if (o.httpPort !== 0) {
      for (const host of hosts) {
        const s = http.createServer({ ...HTTP_OPTIONS }, redirect(() => boundHttps, o.redirectTo));
        s.on('upgrade', (_req, socket: Duplex) => refuse(socket, 403, 'HTTPS_REQUIRED', `the feed is on https port ${boundHttps}`));
        s.on('clientError', onClientError);
        servers.push(s);
        const a = await bind(s, o.httpPort, host);
        addresses.push(`http ${a.address}:${a.port}`);
      }
    }
  } catch (err) {
    servers.forEach((s) => s.close());
    throw err;
  }
  return {
    addresses,
    httpsPort: boundHttps,
    setTls: (tls) => secure.forEach((s) => s.setSecureContext(tlsOptions(tls))),
    close: async () => {
      await Promise.all(servers.map((s) => new Promise<void>((r) => {
        s.close(() => r());
        s.closeAllConnections();
      })));
    },
  };
}
