import test from 'ava';
import { clientErrorAnswer, httpsOriginOf, rawErrorResponse, redirectPath } from './client-errors';

test('parser errors: overflow 431, timeout 408, smuggling shapes 400, resets nothing', (t) => {
  t.like(clientErrorAnswer('HPE_HEADER_OVERFLOW', 'Header overflow'), { status: 431, code: 'HEADERS_TOO_LARGE' });
  t.like(clientErrorAnswer('ERR_HTTP_REQUEST_TIMEOUT', undefined), { status: 408, code: 'REQUEST_TIMEOUT' });
  t.deepEqual(clientErrorAnswer('HPE_UNEXPECTED_CONTENT_LENGTH', 'Duplicate Content-Length'), { status: 400, code: 'BAD_REQUEST', message: 'malformed request: Duplicate Content-Length' });
  t.like(clientErrorAnswer('HPE_INVALID_TRANSFER_ENCODING', ''), { status: 400, message: 'malformed request' });
  t.is(clientErrorAnswer('ECONNRESET', undefined), null);
});

test('the raw answer is one complete response with a JSON body that closes', (t) => {
  const r = rawErrorResponse(431, 'HEADERS_TOO_LARGE', 'too large', { 'x-content-type-options': 'nosniff' });
  const [head = '', body = ''] = r.split('\r\n\r\n');
  const lines = head.split('\r\n');
  t.is(lines[0], 'HTTP/1.1 431 Request Header Fields Too Large');
  t.true(lines.includes('connection: close'));
  t.true(lines.includes('x-content-type-options: nosniff'));
  t.true(lines.includes(`content-length: ${Buffer.byteLength(body)}`));
  t.deepEqual(JSON.parse(body), { error: 'HEADERS_TOO_LARGE', message: 'too large' });
});

test('the redirect origin comes from the local address, never from Host', (t) => {
  const table: [string | undefined, string | null][] = [
    ['192.0.2.7', 'https://192.0.2.7:9443'],
    ['::ffff:198.18.0.1', 'https://198.18.0.1:9443'],
    ['fd00::1', 'https://[fd00::1]:9443'],
    ['fe80::1%eth0', 'https://[fe80::1%25eth0]:9443'],
    ['evil.example', null],
    ['', null],
    [undefined, null],
  ];
  for (const [addr, want] of table) t.is(httpsOriginOf(addr, 9443), want, String(addr));
});

test('the redirect keeps an origin-form path only', (t) => {
  t.is(redirectPath('/x?y=1'), '/x?y=1');
  t.is(redirectPath('//evil.example/'), '/');
  t.is(redirectPath('http://evil.example/'), '/');
  t.is(redirectPath(undefined), '/');
});
