/**
 * What to answer when Node's HTTP parser refuses a request before any
 * handler sees it (the server's 'clientError' event), and where plain HTTP
 * redirects to. Pure: the adapter (adapters/servers.ts) writes the bytes.
 *
 * llhttp (Node 20) already refuses the request-smuggling shapes; each comes
 * here with its code (checked in hardening.itest.ts):
 *
 *   Content-Length + Transfer-Encoding      HPE_INVALID_TRANSFER_ENCODING  400
 *   Content-Length twice (same or not)      HPE_UNEXPECTED_CONTENT_LENGTH  400
 *   Content-Length "5, 5", "abc", "-1"      HPE_INVALID_CONTENT_LENGTH     400
 *   Transfer-Encoding not ending in chunked HPE_INVALID_TRANSFER_ENCODING  400
 *   "Transfer-Encoding : chunked"           HPE_INVALID_HEADER_TOKEN       400
 *   headers past maxHeaderSize              HPE_HEADER_OVERFLOW            431
 *   headers not complete in headersTimeout  ERR_HTTP_REQUEST_TIMEOUT       408
 *   chunk extensions past 16 KiB            HPE_CHUNK_EXTENSIONS_OVERFLOW  413
 */
import { isIP } from 'node:net';

/** The answer to a request the parser refused; null: nothing to say (peer gone). */
export interface ClientErrorAnswer {
  status: 400 | 408 | 413 | 431;
  code: 'BAD_REQUEST' | 'REQUEST_TIMEOUT' | 'TOO_LARGE' | 'HEADERS_TOO_LARGE';
  message: string;
}

const REASONS: Record<number, string> = { 400: 'Bad Request', 408: 'Request Timeout', 413: 'Payload Too Large', 431: 'Request Header Fields Too Large' };

/** Map a parser/socket error code to the answer (the peer's own resets get none). */
export function clientErrorAnswer(errCode: string | undefined, reason: string | undefined): ClientErrorAnswer | null {
  switch (errCode) {
    case 'ECONNRESET':
    case 'EPIPE':
      return null;
    case 'HPE_HEADER_OVERFLOW':
      return { status: 431, code: 'HEADERS_TOO_LARGE', message: 'request headers too large' };
    case 'HPE_CHUNK_EXTENSIONS_OVERFLOW':
      return { status: 413, code: 'TOO_LARGE', message: 'chunk extensions too large' };
    case 'ERR_HTTP_REQUEST_TIMEOUT':
    case 'HPE_HEADER_TIMEOUT':
      return { status: 408, code: 'REQUEST_TIMEOUT', message: 'request not received in time' };
    default:
      // The parser's reason is a fixed string of llhttp ("Duplicate Content-Length"), never request bytes.
      return { status: 400, code: 'BAD_REQUEST', message: `malformed request${reason === undefined || reason === '' ? '' : `: ${reason}`}` };
  }
}

/** A complete HTTP/1.1 response with a JSON error body that closes the connection. */
export function rawErrorResponse(status: number, code: string, message: string, headers: Readonly<Record<string, string>>): string {
  const body = JSON.stringify({ error: code, message });
  const lines = [
    `HTTP/1.1 ${status} ${REASONS[status] ?? 'Error'}`,
    ...Object.entries(headers).map(([k, v]) => `${k}: ${v}`),
    'content-type: application/json; charset=utf-8',
    'cache-control: no-store',
    `content-length: ${Buffer.byteLength(body)}`,
    'connection: close',
  ];
  return `${lines.join('\r\n')}\r\n\r\n${body}`;
}

/**
 * The HTTPS origin of the address a connection arrived on: never the Host
 * header, which the client chooses (`Host: evil.example` must not send a
 * browser to evil.example). IPv4-mapped IPv6 as IPv4, IPv6 in brackets (a
 * zone id as %25), null when the socket has no local address (gone).
 */
export function httpsOriginOf(localAddress: string | undefined, httpsPort: number): string | null {
  if (localAddress === undefined || localAddress === '') return null;
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(localAddress);
  const addr = mapped?.[1] ?? localAddress;
  const [bare = '', zone] = addr.split('%');
  const family = isIP(bare);
  if (family === 0) return null;
  const host = family === 6 ? `[${bare}${zone === undefined ? '' : `%25${encodeURIComponent(zone)}`}]` : bare;
  return `https://${host}:${httpsPort}`;
}

/** The path and query to keep in a redirect: an origin-form target, else "/". */
export function redirectPath(url: string | undefined): string {
  return url !== undefined && url.startsWith('/') && !url.startsWith('//') ? url : '/';
}
