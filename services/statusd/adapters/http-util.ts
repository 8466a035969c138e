/**
 * Small HTTP helpers: bounded body reading, JSON answers with the security
 * headers every response carries, the client's address.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';

/**
 * Scripts, styles and the feed only from here; no frames, no plugins, no
 * inline code. 'self' covers the wss:// feed in current browsers.
 */
export const CSP = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

export const SECURITY_HEADERS: Readonly<Record<string, string>> = {
  'content-security-policy': CSP,
  'x-content-type-options': 'nosniff',
  'x-frame-options': 'DENY',
  'referrer-policy': 'no-referrer',
  'cross-origin-opener-policy': 'same-origin',
  'cross-origin-resource-policy': 'same-origin',
};

export type BodyVerdict = { ok: true; text: string } | { ok: false; status: 413 | 415 | 400; code: string };

/** Read a JSON body of at most `limit` bytes; more is refused and the socket closed. */
export function readBody(req: IncomingMessage, limit: number): Promise<BodyVerdict> {
  return new Promise((resolve) => {
    const type = (req.headers['content-type'] ?? '').split(';')[0]?.trim().toLowerCase();
    if (type !== 'application/json') {
      req.resume();
      resolve({ ok: false, status: 415, code: 'BAD_REQUEST' });
      return;
    }
    const chunks: Buffer[] = [];
    let size = 0;
    let done = false;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size > limit && !done) {
        done = true;
        resolve({ ok: false, status: 413, code: 'TOO_LARGE' });
        req.destroy();
        return;
      }
      if (!done) chunks.push(c);
    });
    req.on('end', () => {
      if (!done) resolve({ ok: true, text: Buffer.concat(chunks).toString('utf8') });
      done = true;
    });
    req.on('error', () => {
      if (!done) resolve({ ok: false, status: 400, code: 'BAD_REQUEST' });
      done = true;
    });
  });
}

export function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string | string[]> = {}): void {
  if (res.headersSent) return;
  const data = Buffer.from(JSON.stringify(body));
  res.writeHead(status, { ...SECURITY_HEADERS, 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store', 'content-length': String(data.length), ...headers });
  res.end(data);
}

export function sendError(res: ServerResponse, status: number, code: string, message: string, headers: Record<string, string> = {}): void {
  sendJson(res, status, { error: code, message }, headers);
}

export function remoteAddress(req: IncomingMessage): string | undefined {
  return req.socket.remoteAddress;
}

/** `host[:port]` from a Host header, or null when it is not a plausible host. */
export function hostName(host: string | undefined): string | null {
  if (host === undefined) return null;
  const m = /^(\[[0-9A-Fa-f:.]+\]|[A-Za-z0-9.-]+)(:\d{1,5})?$/.exec(host);
  return m?.[1] ?? null;
}
