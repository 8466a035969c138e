/**
 * The peer's web API, as the pairing unit uses it: HTTPS to the peer's
 * statusd with its certificate pinned by SHA-256 fingerprint (as ssh pins a
 * host key: the user confirmed it), then a login with the peer's admin
 * password and the pairing routes. Every request's connection has its
 * certificate compared with the pinned fingerprint before anything is sent
 * on it; every answer is bounded in size and time.
 */
import * as https from 'node:https';
import * as tls from 'node:tls';
import { AppError, errorMessage } from '../../runtime/errors';

const TIMEOUT_MS = 15_000;
const MAX_ANSWER = 256 * 1024;

/** "SHA256:AB:CD:…" as browsers and openssl show it. */
export type Fingerprint = string;

export interface PeerCertificate {
  fingerprint: Fingerprint;
  subject: string;
}

const normal = (f: string): string => f.replace(/^SHA256:/i, '').toUpperCase();

/** Connect, read the peer's certificate, hang up (nothing is sent). */
export function probeCertificate(host: string, port: number): Promise<PeerCertificate> {
  return new Promise((resolve, reject) => {
    const socket = tls.connect({ host, port, rejectUnauthorized: false, servername: undefined, timeout: TIMEOUT_MS });
    const fail = (err: unknown): void => {
      socket.destroy();
      reject(new AppError('PEER_UNREACHABLE', `cannot reach the peer's web UI at ${host}:${port}: ${errorMessage(err)}`));
    };
    socket.once('secureConnect', () => {
      const cert = socket.getPeerCertificate();
      socket.end();
      if (cert.raw === undefined) return fail(new Error('no certificate'));
      resolve({ fingerprint: `SHA256:${cert.fingerprint256}`, subject: Object.entries(cert.subject ?? {}).map(([k, v]) => `${k}=${String(v)}`).join(', ') });
    });
    socket.once('timeout', () => fail(new Error(`no answer in ${TIMEOUT_MS / 1000} s`)));
    socket.once('error', fail);
  });
}

export interface Answer {
  status: number;
  body: Record<string, unknown>;
}

/** A logged-in session on the peer's statusd. */
export class PeerClient {
  private cookie = '';
  private csrf = '';

  private constructor(readonly host: string, readonly port: number, private readonly cert: PeerCertificate) {}

  /** Pins `fingerprint`: refused (FINGERPRINT_MISMATCH) when the peer shows another certificate. */
  static async connect(host: string, port: number, fingerprint: Fingerprint): Promise<PeerClient> {
    const cert = await probeCertificate(host, port);
    if (normal(cert.fingerprint) !== normal(fingerprint)) {
      throw new AppError('FINGERPRINT_MISMATCH', `the peer's certificate is ${cert.fingerprint}, not the ${fingerprint} confirmed: another machine, or a man in the middle; nothing was sent`);
    }
    return new PeerClient(host, port, cert);
  }

  async login(password: string): Promise<{ mustChangePassword: boolean }> {
    const r = await this.request('POST', '/api/login', { user: 'admin', password });
    if (r.status === 401) throw new AppError('PEER_BAD_PASSWORD', `the peer refused the admin password (wrong password)`);
    if (r.status === 429) throw new AppError('PEER_RATE_LIMITED', 'the peer refuses logins for now (too many attempts); try again in a minute');
    if (r.status !== 200) throw new AppError('PEER_LOGIN_FAILED', `login on the peer failed (${r.status}): ${String(r.body.message ?? '')}`);
    this.csrf = String(r.body.csrf ?? '');
    return { mustChangePassword: r.body.mustChangePassword === true };
  }

  /** A pairing route; non-2xx answers become AppErrors with the peer's code and message. */
  async call(method: 'GET' | 'POST', route: string, body?: unknown): Promise<Record<string, unknown>> {
    const r = await this.request(method, route, body);
    if (r.status >= 200 && r.status < 300) return r.body;
    throw new AppError(String(r.body.error ?? 'PEER_REFUSED'), `the peer: ${String(r.body.message ?? `HTTP ${r.status}`)}`);
  }

  /**
   * One request on a connection whose certificate was checked first: TLS is
   * set up by hand, the fingerprint compared, and only then is the
   * connection given to the HTTP request (the peer's self-signed
   * certificate is not a trust anchor OpenSSL accepts for itself under
   * every version: Node 24's refused it as "self-signed certificate").
   */
  private async request(method: string, route: string, body?: unknown): Promise<Answer> {
    const data = body === undefined ? undefined : Buffer.from(JSON.stringify(body));
    const socket = await connectPinned(this.host, this.port, normal(this.cert.fingerprint));
    return new Promise((resolve, reject) => {
      const req = https.request({
        // No agent: with one, its own createConnection (tls.connect, verifying) would be used instead.
        host: this.host, port: this.port, path: route, method, timeout: TIMEOUT_MS,
        createConnection: () => socket,
        headers: {
          accept: 'application/json',
          ...(data === undefined ? {} : { 'content-type': 'application/json', 'content-length': String(data.length) }),
          ...(this.cookie === '' ? {} : { cookie: this.cookie }),
          ...(this.csrf === '' ? {} : { 'x-csrf-token': this.csrf }),
        },
      }, (res) => {
        const chunks: Buffer[] = [];
        let size = 0;
        res.on('data', (c: Buffer) => {
          size += c.length;
          if (size > MAX_ANSWER) return req.destroy(new Error('answer too large'));
          chunks.push(c);
        });
        res.on('end', () => {
          const set = res.headers['set-cookie']?.[0];
          if (set !== undefined) this.cookie = set.split(';')[0] ?? '';
          let parsed: unknown = {};
          try {
            parsed = JSON.parse(Buffer.concat(chunks).toString());
          } catch {
            parsed = {};
          }
          const ok = typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed);
          resolve({ status: res.statusCode ?? 0, body: ok ? (parsed as Record<string, unknown>) : {} });
        });
      });
      req.on('timeout', () => req.destroy(new Error(`no answer in ${TIMEOUT_MS / 1000} s`)));
      req.on('error', (err) => reject(new AppError('PEER_UNREACHABLE', `the peer ${this.host}: ${route}: ${errorMessage(err)}`)));
      req.end(data);
    });
  }
}

/** A TLS connection to the peer whose certificate has fingerprint `pin` (normalised), else an error; nothing sent. */
function connectPinned(host: string, port: number, pin: string): Promise<tls.TLSSocket> {
  return new Promise((resolve, reject) => {
    const socket = tls.connect({ host, port, rejectUnauthorized: false, timeout: TIMEOUT_MS });
    const fail = (err: unknown): void => {
      socket.destroy();
      reject(new AppError('PEER_UNREACHABLE', `the peer ${host}:${port}: ${errorMessage(err)}`));
    };
    socket.once('secureConnect', () => {
      socket.removeListener('error', fail);
      socket.setTimeout(0);
      if (normal(socket.getPeerCertificate().fingerprint256 ?? '') !== pin) {
        socket.destroy();
        return reject(new AppError('FINGERPRINT_MISMATCH', `the peer ${host} now presents another certificate than the one confirmed; nothing was sent`));
      }
      resolve(socket);
    });
    socket.once('timeout', () => fail(new Error(`no answer in ${TIMEOUT_MS / 1000} s`)));
    socket.once('error', fail);
  });
}
