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

export type BodyVerdict = { ok: true; text: string } | { ok: false; status: 413 | 415 | 400; code: 'TOO_LARGE' | 'BAD_REQUEST'; message: string };

/**
 * Read a JSON body of at most `limit` bytes. A larger one (declared by
 * Content-Length, or found while reading a chunked one) is refused with 413
 * without reading it: sendBodyError answers with `Connection: close`, and
 * Node discards what still arrives until the answer is out. Framing errors
 * (both Content-Length and Transfer-Encoding, a bad length) never get here:
 * the parser refuses them (adapters/servers.ts onClientError).
 */
export function readBody(req: IncomingMessage, limit: number): Promise<BodyVerdict> {
  return new Promise((resolve) => {
    const type = (req.headers['content-type'] ?? '').split(';')[0]?.trim().toLowerCase();
    if (type !== 'application/json') {
      resolve({ ok: false, status: 415, code: 'BAD_REQUEST', message: 'expected Content-Type: application/json' });
      return;
    }
    const tooLarge: BodyVerdict = { ok: false, status: 413, code: 'TOO_LARGE', message: `request body larger than ${limit} bytes` };
    // The parser has checked it is a plain decimal number.
    if (Number(req.headers['content-length'] ?? '0') > limit) {
      resolve(tooLarge);
      return;
    }
    const chunks: Buffer[] = [];
    let size = 0;
    let done = false;
    const finish = (v: BodyVerdict): void => {
      if (!done) resolve(v);
      done = true;
    };
    req.on('data', (c: Buffer) => {
      if (done) return;
      size += c.length;
      if (size > limit) {
        chunks.length = 0;
        finish(tooLarge);
      } else chunks.push(c);
    });
    req.on('end', () => finish({ ok: true, text: Buffer.concat(chunks).toString('utf8') }));
    req.on('error', () => finish({ ok: false, status: 400, code: 'BAD_REQUEST', message: 'request body not received' }));
  });
}

/** Answer a refused body; after a 413 the rest of the body is not wanted, nor the connection. */
export function sendBodyError(res: ServerResponse, v: Extract<BodyVerdict, { ok: false }>): void {
  sendError(res, v.status, v.code, v.message, v.status === 413 ? { connection: 'close' } : {});
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
