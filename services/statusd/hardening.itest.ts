/**
 * The front door against a hostile client (issue #22 item 5), over real
 * TLS sockets on loopback: malformed and oversize requests get a real
 * status with a JSON error (raw sockets: no client library would send
 * them), TLS 1.2 offers only ECDHE + AEAD (openssl s_client), the HTTP
 * redirect ignores Host, many source addresses meet the global login limit,
 * logout is idempotent and clears the cookie.
 */
import test from 'ava';
import { execFile } from 'node:child_process';
import * as http from 'node:http';
import * as https from 'node:https';
import * as net from 'node:net';
import * as tls from 'node:tls';
import { login, request, startTestStatusd, type HttpAnswer } from './testing/harness';

/** Bound on every raw exchange: a hang fails the test instead of stalling the run. */
const EXCHANGE_LIMIT_MS = 20_000;

interface RawAnswer {
  status: number;
  headers: Map<string, string>;
  json: Record<string, unknown> | null;
  text: string;
}

/** Send bytes as they are; read until the server closes; parse one response. */
function exchange(connect: () => net.Socket): Promise<RawAnswer> {
  return new Promise((resolve, reject) => {
    const sock = connect();
    const chunks: Buffer[] = [];
    const guard = setTimeout(() => {
      sock.destroy();
      reject(new Error(`no close within ${EXCHANGE_LIMIT_MS} ms; got ${Buffer.concat(chunks).toString().slice(0, 200)}`));
    }, EXCHANGE_LIMIT_MS);
    sock.on('data', (c: Buffer) => chunks.push(c));
    // A reset after the answer is not what we test; the answer must be there.
    sock.on('error', () => undefined);
    sock.on('close', () => {
      clearTimeout(guard);
      const text = Buffer.concat(chunks).toString();
      const [head = '', ...rest] = text.split('\r\n\r\n');
      const [statusLine = '', ...lines] = head.split('\r\n');
      const headers = new Map(lines.map((l) => [l.slice(0, l.indexOf(':')).toLowerCase(), l.slice(l.indexOf(':') + 1).trim()]));
      let json: Record<string, unknown> | null = null;
      try {
        json = JSON.parse(rest.join('\r\n\r\n')) as Record<string, unknown>;
      } catch {
        json = null;
      }
      resolve({ status: Number(/^HTTP\/1\.1 (\d{3}) /.exec(statusLine)?.[1] ?? 0), headers, json, text });
    });
  });
}

const overTls = (port: number, bytes: string) => exchange(() => {
  const s = tls.connect({ host: '127.0.0.1', port, rejectUnauthorized: false }, () => s.write(bytes));
  return s;
});
const overTcp = (port: number, bytes: string) => exchange(() => {
  const s = net.connect({ host: '127.0.0.1', port }, () => s.write(bytes));
  return s;
});

const post = (path: string, headers: string[], body = '') => `POST ${path} HTTP/1.1\r\nHost: 127.0.0.1\r\n${headers.map((h) => `${h}\r\n`).join('')}\r\n${body}`;

test('malformed and oversize requests: 400 / 413 / 431 with a JSON error, not a closed socket', async (t) => {
  const s = await startTestStatusd();
  t.teardown(() => s.stop());
  const port = s.app.listening.httpsPort;
  const { cookie, csrf } = await login(s.base, s.password);
  const big = JSON.stringify({ user: 'admin', password: 'x'.repeat(5000) });
  const cases: [string, string, number, string][] = [
    ['JSON body over 4 KiB (Content-Length)', post('/api/login', ['Content-Type: application/json', `Content-Length: ${big.length}`], big), 413, 'TOO_LARGE'],
    ['JSON body over 4 KiB (chunked)', post('/api/login', ['Content-Type: application/json', 'Transfer-Encoding: chunked'], `${big.length.toString(16)}\r\n${big}\r\n0\r\n\r\n`), 413, 'TOO_LARGE'],
    ['action body over 4 KiB', post('/api/units/restart', ['Content-Type: application/json', `Cookie: ${cookie}`, `X-CSRF-Token: ${csrf}`, `Content-Length: ${big.length}`], big), 413, 'TOO_LARGE'],
    ['Content-Length and Transfer-Encoding', post('/api/login', ['Content-Type: application/json', 'Content-Length: 4', 'Transfer-Encoding: chunked'], '0\r\n\r\n'), 400, 'BAD_REQUEST'],
    ['Content-Length twice, same value', post('/api/login', ['Content-Type: application/json', 'Content-Length: 2', 'Content-Length: 2'], '{}'), 400, 'BAD_REQUEST'],
    ['Content-Length twice, different values', post('/api/login', ['Content-Type: application/json', 'Content-Length: 2', 'Content-Length: 3'], '{} '), 400, 'BAD_REQUEST'],
    ['Content-Length as a list', post('/api/login', ['Content-Type: application/json', 'Content-Length: 2, 2'], '{}'), 400, 'BAD_REQUEST'],
    ['Content-Length not a number', post('/api/login', ['Content-Type: application/json', 'Content-Length: abc'], ''), 400, 'BAD_REQUEST'],
    ['Transfer-Encoding not ending in chunked', post('/api/login', ['Content-Type: application/json', 'Transfer-Encoding: chunked, identity'], '0\r\n\r\n'), 400, 'BAD_REQUEST'],
    ['space before the colon', post('/api/login', ['Content-Type: application/json', 'Transfer-Encoding : chunked'], '0\r\n\r\n'), 400, 'BAD_REQUEST'],
    ['20 KB of headers', `GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Pad: ${'a'.repeat(20_000)}\r\n\r\n`, 431, 'HEADERS_TOO_LARGE'],
  ];
  for (const [what, bytes, status, code] of cases) {
    const r = await overTls(port, bytes);
    t.is(r.status, status, `${what}: ${r.text.slice(0, 80)}`);
    t.is(r.json?.error, code, what);
    t.is(typeof r.json?.message, 'string', what);
    t.regex(r.headers.get('content-type') ?? '', /^application\/json/, what);
    t.is(r.headers.get('connection'), 'close', what);
    t.is(r.headers.get('x-content-type-options'), 'nosniff', what);
  }
  // The limit is "at most 4 KiB": a 4096-byte body is read (and the password is just wrong).
  const pad = 4096 - JSON.stringify({ user: 'admin', password: '' }).length;
  const exact = JSON.stringify({ user: 'admin', password: 'y'.repeat(pad) });
  t.is(exact.length, 4096);
  const r = await request(s.base, 'POST', '/api/login', { body: exact });
  t.deepEqual([r.status, r.body.error], [401, 'BAD_CREDENTIALS']);
  t.deepEqual(s.units.restarted, [], 'the oversize action did nothing');
  t.is((await request(s.base, 'GET', '/api/session', { headers: { cookie } })).status, 200, 'statusd still serves');
});

/** openssl s_client's verdict: did the handshake succeed, with which cipher? */
function sClient(port: number, args: string[]): Promise<{ ok: boolean; cipher: string | null; out: string }> {
  return new Promise((resolve) => {
    const p = execFile('openssl', ['s_client', '-connect', `127.0.0.1:${port}`, '-servername', 'localhost', ...args], { timeout: EXCHANGE_LIMIT_MS }, (err, stdout, stderr) => {
      const cipher = /Cipher is (\S+)/.exec(stdout)?.[1] ?? null;
      resolve({ ok: err === null && cipher !== null && cipher !== '(NONE)', cipher, out: `${stdout}\n${stderr}`.slice(-600) });
    });
    p.stdin?.end();
  });
}

test('TLS 1.2 offers only ECDHE with AES-GCM or ChaCha20-Poly1305, also after a certificate reload; TLS 1.3 works', async (t) => {
  const s = await startTestStatusd();
  t.teardown(() => s.stop());
  const port = s.app.listening.httpsPort;
  const check = async (when: string) => {
    for (const cbc of ['AES128-SHA', 'AES256-SHA256', 'ECDHE-ECDSA-AES128-SHA', 'ECDHE-ECDSA-AES256-SHA384', 'ECDHE-RSA-AES128-SHA']) {
      const r = await sClient(port, ['-tls1_2', '-cipher', cbc]);
      t.false(r.ok, `${when}: ${cbc} must be refused; got ${r.cipher ?? '-'}\n${r.out}`);
    }
    for (const aead of ['ECDHE-ECDSA-AES128-GCM-SHA256', 'ECDHE-ECDSA-AES256-GCM-SHA384', 'ECDHE-ECDSA-CHACHA20-POLY1305']) {
      const r = await sClient(port, ['-tls1_2', '-cipher', aead]);
      t.true(r.ok, `${when}: ${aead} must work\n${r.out}`);
      t.is(r.cipher, aead, when);
    }
    const v13 = await sClient(port, ['-tls1_3']);
    t.true(v13.ok, `${when}: TLS 1.3\n${v13.out}`);
    t.regex(v13.cipher ?? '', /^TLS_(AES_\d+_GCM|CHACHA20_POLY1305)_SHA\d+$/, when);
    t.false((await sClient(port, ['-tls1_1'])).ok, `${when}: TLS 1.1`);
  };
  await check('at start');
  await s.app.reloadTls();
  await check('after SIGHUP');
});

/** A GET to plain HTTP with a chosen Host header, from/to chosen addresses. */
function httpGet(host: string, port: number, path: string, headers: Record<string, string>): Promise<http.IncomingMessage> {
  return new Promise((resolve, reject) => {
    http.get({ host, port, path, headers, family: net.isIP(host) }, (res) => {
      res.resume();
      resolve(res);
    }).on('error', reject);
  });
}

test('the HTTP redirect goes to the address the connection came in on, never to Host', async (t) => {
  const httpPort = 39080 + Math.floor(Math.random() * 1000);
  const s = await startTestStatusd({ config: { listen: ['127.0.0.1', '::1'], httpPort } });
  t.teardown(() => s.stop());
  const httpsPort = s.app.listening.httpsPort;
  const cases: [string, Record<string, string>, string][] = [
    ['127.0.0.1', { host: 'evil.example' }, `https://127.0.0.1:${httpsPort}/x?y=1`],
    ['127.0.0.1', { host: 'evil.example:9443' }, `https://127.0.0.1:${httpsPort}/x?y=1`],
    ['127.0.0.1', { host: '[::1]' }, `https://127.0.0.1:${httpsPort}/x?y=1`],
    ['::1', { host: 'evil.example' }, `https://[::1]:${httpsPort}/x?y=1`],
  ];
  for (const [addr, headers, want] of cases) {
    const res = await httpGet(addr, httpPort, '/x?y=1', headers);
    t.is(res.statusCode, 308, `${addr} ${headers.host}`);
    t.is(res.headers.location, want, `${addr} ${headers.host}`);
  }
  // The redirect port refuses bad framing the same way.
  const bad = await overTcp(httpPort, post('/', ['Content-Length: 1', 'Transfer-Encoding: chunked'], '0\r\n\r\n'));
  t.deepEqual([bad.status, bad.json?.error], [400, 'BAD_REQUEST']);
  const huge = await overTcp(httpPort, `GET / HTTP/1.1\r\nHost: x\r\nX-Pad: ${'a'.repeat(20_000)}\r\n\r\n`);
  t.deepEqual([huge.status, huge.json?.error], [431, 'HEADERS_TOO_LARGE']);
});

test('redirect_to (a unit behind NAT or a port forward): plain HTTP goes there, whatever Host says', async (t) => {
  const httpPort = 39080 + Math.floor(Math.random() * 1000);
  const s = await startTestStatusd({ config: { listen: ['127.0.0.1'], httpPort, redirectTo: 'https://lb1.example.net:8443' } });
  t.teardown(() => s.stop());
  const res = await httpGet('127.0.0.1', httpPort, '/x?y=1', { host: 'evil.example' });
  t.is(res.statusCode, 308);
  t.is(res.headers.location, 'https://lb1.example.net:8443/x?y=1');
});

/** A login from a chosen loopback source address. */
function loginFrom(base: string, localAddress: string, password: string): Promise<HttpAnswer> {
  return new Promise((resolve, reject) => {
    const data = JSON.stringify({ user: 'admin', password });
    const req = https.request(`${base}/api/login`, {
      method: 'POST', rejectUnauthorized: false, localAddress, agent: false,
      headers: { 'content-type': 'application/json', 'content-length': String(data.length) },
    }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers as Record<string, string>, body: JSON.parse(Buffer.concat(chunks).toString()) as Record<string, unknown> }));
    });
    req.on('error', reject);
    req.end(data);
  });
}

test('many source addresses meet the global login limit: 429 with Retry-After, no scrypt for refused attempts', async (t) => {
  // Nothing refills during the test: per source 2 attempts, all sources together 6.
  const s = await startTestStatusd({ config: { loginBurst: 2, loginRefillMs: 3_600_000, loginGlobalBurst: 6, loginGlobalRefillMs: 600_000 } });
  t.teardown(() => s.stop());
  const sources = ['127.0.0.10', '127.0.0.11', '127.0.0.12'];
  for (const from of sources) {
    for (let i = 0; i < 2; i++) t.is((await loginFrom(s.base, from, `guess-${from}-${i}`)).status, 401, from);
  }
  const fresh = await loginFrom(s.base, '127.0.0.13', s.password);
  t.deepEqual([fresh.status, fresh.body.error], [429, 'RATE_LIMITED'], 'a new address with the right password: the global bucket is empty');
  const retry = Number(fresh.headers['retry-after']);
  t.true(retry >= 1 && retry <= 600, `Retry-After ${fresh.headers['retry-after']}`);
  t.is((await loginFrom(s.base, '127.0.0.14', 'x')).status, 429);
  t.is((await loginFrom(s.base, '127.0.0.10', 'x')).status, 429, 'a source past its own limit');
  const audit = s.logs.filter((l) => l.audit === 'login');
  t.is(audit.filter((l) => l.result === 'bad-credentials').length, 6, 'exactly the granted attempts were checked');
  t.deepEqual(audit.filter((l) => l.result === 'rate-limited').map((l) => [l.from, l.scope]), [
    ['127.0.0.13', 'global'], ['127.0.0.14', 'global'], ['127.0.0.10', 'source'],
  ]);
  t.deepEqual(s.app.stats().scrypt, { active: 0, pending: 0 });
});

const CLEARED = /^lbos_sid=; Path=\/; Max-Age=0; Secure; HttpOnly; SameSite=Strict$/;
const setCookie = (r: HttpAnswer) => (r.headers['set-cookie'] as unknown as string[] | undefined)?.[0] ?? '';

test('logout: no body needed, 200 with a cleared cookie even without a session, twice; CSRF still guards a live session', async (t) => {
  const s = await startTestStatusd();
  t.teardown(() => s.stop());
  const none = await request(s.base, 'POST', '/api/logout');
  t.is(none.status, 200, 'no session, no body');
  t.regex(setCookie(none), CLEARED);
  t.is((await request(s.base, 'POST', '/api/logout', { headers: { cookie: 'lbos_sid=AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA' } })).status, 200, 'unknown session');
  t.deepEqual((await request(s.base, 'POST', '/api/logout', { headers: { origin: 'https://evil.example' } })).body.error, 'FOREIGN_ORIGIN');

  const { cookie, csrf } = await login(s.base, s.password);
  const noCsrf = await request(s.base, 'POST', '/api/logout', { headers: { cookie } });
  t.deepEqual([noCsrf.status, noCsrf.body.error], [403, 'CSRF_REFUSED']);
  t.is(setCookie(noCsrf), '', 'a refused logout leaves the cookie');
  t.is((await request(s.base, 'GET', '/api/session', { headers: { cookie } })).status, 200, 'and the session');
  const foreign = await request(s.base, 'POST', '/api/logout', { headers: { cookie, 'x-csrf-token': csrf, origin: 'https://evil.example' } });
  t.deepEqual([foreign.status, foreign.body.error], [403, 'FOREIGN_ORIGIN']);

  const first = await request(s.base, 'POST', '/api/logout', { headers: { cookie, 'x-csrf-token': csrf, 'content-type': 'text/plain' } });
  t.is(first.status, 200, 'any Content-Type, no body');
  t.is(first.body.ended, true);
  t.regex(setCookie(first), CLEARED);
  t.is((await request(s.base, 'GET', '/api/session', { headers: { cookie } })).status, 401, 'the session is gone');
  const second = await request(s.base, 'POST', '/api/logout', { headers: { cookie, 'x-csrf-token': csrf } });
  t.is(second.status, 200, 'logout twice');
  t.is(second.body.ended, false);
  t.regex(setCookie(second), CLEARED);
  t.deepEqual(s.logs.filter((l) => l.audit === 'logout').map((l) => l.result), ['no-session', 'no-session', 'refused', 'refused', 'refused', 'ok', 'no-session']);
});
