import test from 'ava';
import { ConfigError, formatProblem } from '../../runtime/config/problems';
import { parseBytes, parseSpan, parseStatusdConf } from './statusd-conf';
import { defaultConfig } from './types';

const problems = (text: string): string[] => {
  try {
    parseStatusdConf(text, 'statusd.conf');
    return [];
  } catch (err) {
    if (!(err instanceof ConfigError)) throw err;
    return err.problems.map(formatProblem);
  }
};

test('an empty file is the defaults: 9080/9443 like the reference appliance', (t) => {
  const c = parseStatusdConf('# nothing\n', 'statusd.conf');
  t.deepEqual({ ...c, file: null }, defaultConfig());
  t.is(c.httpPort, 9080);
  t.is(c.httpsPort, 9443);
  t.deepEqual(c.units, ['hbd.service', 'nicd.service', 'csyncd.service', 'statusd.service', 'paneld.service', 'paird.service']);
});

test('every directive', (t) => {
  const c = parseStatusdConf([
    'listen 198.18.0.1 fd00:5b::1', 'http_port 0', 'https_port 8443', 'tls_cert /etc/lbos/web.pem', 'tls_key /etc/lbos/web.key',
    'state_dir /var/lib/x', 'www_dir /opt/www', 'units hbd.service getty@tty1.service', 'sources hbd nicd', 'systemd_bus unix:path=/run/x.sock',
    'sample_interval 10s', 'session_idle 30min', 'session_lifetime 8h', 'max_sessions 10', 'login_burst 3', 'login_refill 20s', 'login_global_burst 40', 'login_global_refill 500ms',
    'max_clients 50', 'max_payload 1K', 'history 64', 'history_bytes 64K', 'slow_client_high 1M', 'slow_client_low 32K',
    'slow_client_timeout 1min', 'heartbeat 500ms', 'allow_origin https://lb.example.com:9443', 'allow_origin https://[fd00::1]:9443',
    'redirect_to https://LB1.example.net:8443',
  ].join('\n'), 'statusd.conf');
  t.like(c, {
    listen: ['198.18.0.1', 'fd00:5b::1'], httpPort: 0, httpsPort: 8443, tlsCert: '/etc/lbos/web.pem', tlsKey: '/etc/lbos/web.key',
    stateDir: '/var/lib/x', wwwDir: '/opt/www', units: ['hbd.service', 'getty@tty1.service'], sources: ['hbd', 'nicd'], systemdBus: 'unix:path=/run/x.sock',
    sampleIntervalMs: 10_000, sessionIdleMs: 1_800_000, sessionLifetimeMs: 28_800_000, maxSessions: 10, loginBurst: 3, loginRefillMs: 20_000, loginGlobalBurst: 40, loginGlobalRefillMs: 500,
    maxClients: 50, maxPayloadBytes: 1024, historyDeltas: 64, historyBytes: 65536, slowHighBytes: 1 << 20, slowLowBytes: 32768,
    slowTimeoutMs: 60_000, heartbeatMs: 500, redirectTo: 'https://lb1.example.net:8443',
  });
  t.deepEqual(c.allowOrigins, ['https://lb.example.com:9443', 'https://[fd00::1]:9443']);
});

test('every problem at once, each with file, line and directive', (t) => {
  t.deepEqual(problems([
    'http_prot 80',
    'https_port 70000',
    'https_port 9443',
    'listen lb.example.com',
    'units sshd',
    'sample_interval 100ms',
    'tls_cert relative.pem',
    'max_payload 1G',
    'allow_origin evil',
    'heartbeat',
    'redirect_to http://lb.example.com',
  ].join('\n')), [
    'statusd.conf:1: http_prot: unknown directive (did you mean "http_port"?)',
    'statusd.conf:2: https_port: 70000 is out of range (allowed 1..65535)',
    'statusd.conf:3: https_port: given twice (first on line 2); it takes one value',
    'statusd.conf:4: listen: addresses must be IPv4 or IPv6 addresses (omit the directive for all)',
    'statusd.conf:5: units: not a unit name: sshd',
    'statusd.conf:6: sample_interval: 100ms is out of range (allowed 1000ms..600000ms)',
    'statusd.conf:7: tls_cert: "relative.pem" must be an absolute path',
    'statusd.conf:8: max_payload: "1G" is not a size (e.g. 4096, 64K, 1M)',
    'statusd.conf:9: allow_origin: "evil" is not an origin like https://lb.example.com:9443',
    'statusd.conf:10: heartbeat: takes 1 value(s), got 0',
    'statusd.conf:11: redirect_to: "http://lb.example.com" is not an https origin like https://lb.example.com:9443',
  ]);
});

test('cross checks', (t) => {
  t.deepEqual(problems('http_port 9443'), ['statusd.conf:1: http_port: same port as https_port (9443)']);
  t.deepEqual(problems('slow_client_low 64K'), ['statusd.conf:1: slow_client_low: must be below slow_client_high (65536)']);
  t.deepEqual(problems('session_idle 24h\nsession_lifetime 1h'), ['statusd.conf:1: session_idle: longer than session_lifetime']);
  t.deepEqual(problems('\ntls_key /etc/k.pem'), ['statusd.conf:2: tls_key: tls_cert and tls_key go together (give both, or neither for a self-signed certificate)']);
});

test('spans and sizes', (t) => {
  t.deepEqual(parseSpan('2h', 0, 86_400_000), { ok: true, value: 7_200_000 });
  t.deepEqual(parseSpan('90', 0, 86_400_000), { ok: true, value: 90_000 });
  t.false(parseSpan('2h', 0, 3_600_000).ok);
  t.false(parseSpan('soon', 0, 10).ok);
  t.deepEqual(parseBytes('64k', 0, 1 << 20), { ok: true, value: 65536 });
  t.false(parseBytes('2M', 0, 1 << 20).ok);
});
