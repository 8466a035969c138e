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
import { refuse } from './feed-ws';
import { hostName, SECURITY_HEADERS } from './http-util';
import type { TlsPair } from './tls-cert';

export interface ServerOptions {
  listen: readonly string[];
  httpPort: number;
  httpsPort: number;
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

const TIMEOUTS = { headersTimeout: 10_000, requestTimeout: 15_000, keepAliveTimeout: 5_000 };

function redirect(httpsPort: () => number): (req: http.IncomingMessage, res: http.ServerResponse) => void {
  return (req, res) => {
    const host = hostName(req.headers.host);
    if (host === null) {
      res.writeHead(400, { ...SECURITY_HEADERS, 'content-type': 'text/plain' }).end('bad Host header\n');
      return;
    }
    const target = `https://${host}:${httpsPort()}${(req.url ?? '/').startsWith('/') ? req.url ?? '/' : '/'}`;
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
      const s = https.createServer({ cert: o.tls.cert, key: o.tls.key, minVersion: 'TLSv1.2', ...TIMEOUTS }, o.app);
      s.on('upgrade', o.upgrade);
      s.on('clientError', (_e, socket: Duplex) => socket.destroy());
      servers.push(s);
      secure.push(s);
      const a = await bind(s, boundHttps, host);
      boundHttps = a.port;
      addresses.push(`https ${a.address}:${a.port}`);
    }
    if (o.httpPort !== 0) {
      for (const host of hosts) {
        const s = http.createServer({ ...TIMEOUTS }, redirect(() => boundHttps));
        s.on('upgrade', (_req, socket: Duplex) => refuse(socket, 403, 'HTTPS_REQUIRED', `the feed is on https port ${boundHttps}`));
        s.on('clientError', (_e, socket: Duplex) => socket.destroy());
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
    setTls: (tls) => secure.forEach((s) => s.setSecureContext({ cert: tls.cert, key: tls.key })),
    close: async () => {
      await Promise.all(servers.map((s) => new Promise<void>((r) => {
        s.close(() => r());
        s.closeAllConnections();
      })));
    },
  };
}
