import test from 'ava';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { ConfigError, formatProblem } from '../../runtime/config/problems';
import { parseHaCf } from './ha-cf';

const FIXTURES = path.resolve(__dirname, '../../../../services/hbd/config/__fixtures__');
const fixture = (name: string): string => readFileSync(path.join(FIXTURES, name), 'utf8');

/** The formatted problems of a parse that must fail. */
function problemsOf(text: string, file: string, thisNode: string): string[] {
  const err = (() => {
    try {
      parseHaCf(text, file, thisNode);
    } catch (e) {
      return e;
    }
    return undefined;
  })();
  if (!(err instanceof ConfigError)) throw new Error('expected a ConfigError');
  return err.problems.map(formatProblem);
}

test('Loadbalancer.org-style ha.cf parses with Heartbeat semantics', (t) => {
  const { config, warnings } = parseHaCf(fixture('ha.cf.lbo'), '/etc/ha.d/ha.cf', 'lbslave');
  t.deepEqual(config, {
    thisNode: 'lbslave',
    peerNode: 'lbmaster',
    nodes: ['lbmaster', 'lbslave'],
    ucast: [{ iface: 'eth0', peerAddress: '192.168.2.22', family: 4 }],
    udpPort: 694,
    serial: ['/dev/ttyS0'],
    baud: 19200,
    keepaliveMs: 1000,
    warntimeMs: 5000,
    deadtimeMs: 10000,
    initdeadMs: 30000,
    deadpingMs: 10000,
    autoFailback: false,
    ping: ['192.168.2.254'],
    priority: 100,
    preemptDelayMs: 0,
    garpRepeat: 3,
    garpDelayMs: 1000,
    trackInterfaces: [],
    trackScripts: [],
  });
  t.deepEqual(
    warnings.map((w) => `${w.line}:${w.key}`),
    ['24:logfacility', '25:debugfile', '26:logfile', '27:respawn', '28:apiauth', '29:crm'],
  );
  t.regex(formatProblem(warnings[0]!), /^\/etc\/ha\.d\/ha\.cf:24: logfacility: ignored: hbd logs to the journal$/);
});

test('extras: ms timers, IPv6 ucast, legacy auto_failback, tracking, case-insensitive node names', (t) => {
  const { config, warnings } = parseHaCf(fixture('ha.cf.extras'), 'ha.cf', 'lb-a');
  t.is(config.thisNode, 'lb-a');
  t.is(config.peerNode, 'lb-b');
  t.deepEqual(config.ucast, [
    { iface: 'eth1', peerAddress: 'fd00:10::2', family: 6 },
    { iface: 'eth2', peerAddress: '10.10.10.2', family: 4 },
  ]);
  t.like(config, {
    keepaliveMs: 200,
    warntimeMs: 600,
    deadtimeMs: 1000,
    initdeadMs: 12000,
    deadpingMs: 2000,
    autoFailback: true,
    priority: 150,
    preemptDelayMs: 5000,
    garpRepeat: 5,
    garpDelayMs: 250,
  });
  t.deepEqual(config.ping, ['192.0.2.1', '2001:db8::1', '198.51.100.1']);
  t.deepEqual(config.trackInterfaces, ['eth0', 'eth1']);
  t.deepEqual(config.trackScripts, [
    { path: '/usr/lib/hbd/check-haproxy', intervalMs: 2000 },
    { path: '/usr/lib/hbd/check-disk', intervalMs: 10000 },
  ]);
  t.deepEqual(warnings.map(formatProblem), [
    'ha.cf:10: auto_failback: legacy is deprecated in Heartbeat and read as on; write `auto_failback on`',
  ]);
});

test('Heartbeat defaults: keepalive 2s, deadtime 30s, warntime deadtime/2, initdead, udpport 694', (t) => {
  const { config, warnings } = parseHaCf('node a b\nucast eth0 10.0.0.2\n', 'ha.cf', 'a');
  t.like(config, { keepaliveMs: 2000, deadtimeMs: 30000, warntimeMs: 15000, initdeadMs: 30000, deadpingMs: 30000 });
  t.like(config, { udpPort: 694, baud: 19200, autoFailback: true, priority: 100 });
  t.deepEqual(warnings.map(formatProblem), [
    'ha.cf:2: ucast: one heartbeat medium (ucast eth0) and no ping node: if it fails, both units become active (split brain); add a second medium (serial, or ucast on another NIC) or a `ping` node',
    'ha.cf: auto_failback: not set; read as on (Heartbeat\'s default "legacy"); write on or off',
  ]);
  const short = parseHaCf('node a b\nucast eth0 10.0.0.2\ndeadtime 5\nauto_failback on\n', 'ha.cf', 'a').config;
  t.is(short.initdeadMs, 12000, 'deadtime < 6s gives initdead 12s');
  const mid = parseHaCf('node a b\nucast eth0 10.0.0.2\ndeadtime 8\nauto_failback on\n', 'ha.cf', 'a').config;
  t.is(mid.initdeadMs, 16000, 'deadtime 6..10s gives initdead 2 x deadtime');
});

test('every directive problem is reported with file:line, in one ConfigError', (t) => {
  t.deepEqual(problemsOf(fixture('ha.cf.bad-directives'), 'ha.cf', 'lbmaster'), [
    'ha.cf:3: bcast: not supported: use `ucast IFACE PEER_IP` (one line per link)',
    'ha.cf:4: mcast: not supported: use `ucast IFACE PEER_IP` (one line per link)',
    'ha.cf:5: crm: CRM not supported; hbd is a v1 two-node resource manager (use haresources)',
    'ha.cf:6: stonith_host: STONITH is not supported: hbd relies on ping nodes and the serial link against split brain',
    'ha.cf:7: keepalvie: unknown directive (did you mean keepalive?)',
    'ha.cf:8: ucast: missing argument (usage: ucast IFACE PEER_IP)',
    'ha.cf:9: udpport: too many arguments: 695 (usage: udpport PORT)',
    'ha.cf:11: deadtime: given twice (lines 10 and 11); keep one',
    'ha.cf:13: auto_failback: "maybe" is not one of on, off, legacy',
    'ha.cf:14: baud: "14400" is not one of 9600, 19200, 38400, 57600, 115200',
    'ha.cf:15: ucast: peer 192.168.2.22 on eth0 listed twice (lines 2 and 15)',
    'ha.cf:12: node: hbd supports exactly two nodes; already have lbmaster and lbslave',
  ]);
});

test('timer contradictions, missing transport and unknown local node', (t) => {
  t.deepEqual(problemsOf(fixture('ha.cf.bad-timing'), 'ha.cf', 'gamma'), [
    'ha.cf:1: node: this node "gamma" is not listed (alpha, beta); node names must match `uname -n`',
    'ha.cf:3: warntime: warntime (2000ms) must be longer than keepalive (2000ms)',
    'ha.cf:4: deadtime: deadtime (2000ms) must be longer than warntime (2000ms)',
    'ha.cf:4: deadtime: deadtime (2000ms) must be more than twice keepalive (2000ms)',
    'ha.cf:5: initdead: initdead (1000ms) must not be shorter than deadtime (2000ms)',
    'ha.cf: no heartbeat link: add `ucast IFACE PEER_IP` and/or `serial DEVICE`',
  ]);
});

test('a defaulted timer is named as such and the problem sits on the written one', (t) => {
  const problems = problemsOf('node a b\nucast eth0 10.0.0.2\nkeepalive 20\nauto_failback off\n', 'ha.cf', 'a');
  t.deepEqual(problems, [
    'ha.cf:3: keepalive: warntime (15000ms, default) must be longer than keepalive (20000ms)',
    'ha.cf:3: keepalive: deadtime (30000ms, default) must be more than twice keepalive (20000ms)',
  ]);
});

test('one node, bad names, bad values, deadping too short', (t) => {
  const text = [
    'node a',
    'node -bad',
    'ucast eth0:1 10.0.0.300',
    'serial ttyS0',
    'ping gateway',
    'priority 255',
    'keepalive 5ms',
    'deadping 1',
    'track_script relative.sh',
    'track_script /x 1 2',
    'auto_failback off',
  ].join('\n');
  t.deepEqual(problemsOf(text, 'f', 'a'), [
    'f:2: node: "-bad" is not a node name (letters, digits, . _ -, at most 63, as `uname -n`)',
    'f:3: ucast: "eth0:1" is not an interface name (letters, digits, _ . - @)',
    'f:3: ucast: "10.0.0.300" is not an IPv4 or IPv6 address',
    'f:4: serial: "ttyS0" is not a device path (e.g. /dev/ttyS0)',
    'f:5: ping: "gateway" is not an IPv4 or IPv6 address; ping nodes are IP addresses (no DNS at failover time)',
    'f:6: priority: 255 is out of range (allowed 1..254)',
    'f:7: keepalive: 5ms is out of range (allowed 10ms..3600000ms)',
    'f:9: track_script: "relative.sh" is not an absolute path',
    'f:10: track_script: too many arguments: 2 (usage: track_script PATH [INTERVAL])',
    'f:1: node: exactly two nodes are needed; found only a',
    'f:8: deadping: deadping (1000ms) must be more than twice keepalive (2000ms, default)',
    'f: no heartbeat link: add `ucast IFACE PEER_IP` and/or `serial DEVICE`',
  ]);
});

test('serial too slow for the keepalive is a warning on the keepalive line', (t) => {
  const { warnings } = parseHaCf(fixture('ha.cf.slow-serial'), 'ha.cf', 'a');
  t.deepEqual(warnings.map(formatProblem), [
    'ha.cf:2: serial: one heartbeat medium (serial /dev/ttyS0) and no ping node: if it fails, both units become active (split brain); add a second medium (serial, or ucast on another NIC) or a `ping` node',
    'ha.cf:4: keepalive: 100ms is too fast for serial at 9600 baud: a ~80-byte frame takes 83.3ms; use keepalive >= 167ms or a higher baud',
  ]);
});

test('same peer on two interfaces is fine; IPv6 spellings of one peer on one interface are duplicates', (t) => {
  const ok = parseHaCf('node a b\nucast eth0 10.0.0.2\nucast eth1 10.0.0.2\nauto_failback on\n', 'f', 'b');
  t.is(ok.config.ucast.length, 2);
  t.deepEqual(problemsOf('node a b\nucast eth0 fd00::2\nucast eth0 FD00:0:0::2\nauto_failback on\n', 'f', 'a'), [
    'f:3: ucast: peer FD00:0:0::2 on eth0 listed twice (lines 2 and 3)',
  ]);
});

test('crm off and short initdead are warnings, not errors', (t) => {
  const text = 'node a b\nucast eth0 10.0.0.2\ncrm off\nkeepalive 100ms\ndeadtime 1\ninitdead 2\nauto_failback on\n';
  const { warnings } = parseHaCf(text, 'f', 'a');
  t.deepEqual(warnings.map(formatProblem), [
    'f:3: crm: ignored: has no meaning for hbd',
    'f:6: initdead: 2000ms may be too short for the network to come up after boot (Heartbeat advises >= 10s)',
    'f:2: ucast: one heartbeat medium (ucast eth0) and no ping node: if it fails, both units become active (split brain); add a second medium (serial, or ucast on another NIC) or a `ping` node',
  ]);
});

test('a single medium without a ping node is warned about (split brain when it fails)', (t) => {
  const one = parseHaCf('node a b\nauto_failback off\nucast eth1 10.0.0.2\nucast eth1 10.0.0.1\n', 'ha.cf', 'a');
  t.deepEqual(one.warnings.map((w) => [w.line, w.key, w.code]), [[3, 'ucast', 'SINGLE_MEDIUM_NO_PING']]);
  t.regex(one.warnings[0]?.message ?? '', /one heartbeat medium \(ucast eth1\) and no ping node: if it fails, both units become active/);
  const serial = parseHaCf('node a b\nauto_failback off\nserial /dev/ttyS0\n', 'ha.cf', 'a');
  t.deepEqual(serial.warnings.map((w) => w.code), ['SINGLE_MEDIUM_NO_PING']);
  t.deepEqual(parseHaCf('node a b\nauto_failback off\nserial /dev/ttyS0\nucast eth1 10.0.0.2\n', 'ha.cf', 'a').warnings, [], 'two media');
  t.deepEqual(parseHaCf('node a b\nauto_failback off\nucast eth1 10.0.0.2\nucast eth2 10.1.0.2\n', 'ha.cf', 'a').warnings, [], 'ucast on two NICs');
  t.deepEqual(parseHaCf('node a b\nauto_failback off\nucast eth1 10.0.0.2\nping 10.0.0.254\n', 'ha.cf', 'a').warnings, [], 'a ping node');
});

test('nonsense is refused: a control character between two directives, a junk line, a padded number', (t) => {
  // Heartbeat would read `ucast eth1 10.0.0.2 ping 10.0.0.254` (extra words ignored): the ping node would be lost unseen.
  t.deepEqual(problemsOf('node a b\nserial /dev/ttyS0\nucast eth1 10.0.0.2\rping 10.0.0.254\nauto_failback off\n', 'ha.cf', 'a').map((p) => p.split(' at ')[0]), [
    'ha.cf:3: a carriage return (U+000D)',
  ]);
  const junk = problemsOf(`node a b\nucast eth1 10.0.0.2\n${'q'.repeat(10 * 1024 * 1024)}\n`, 'ha.cf', 'a');
  t.is(junk.length, 1);
  t.true((junk[0] ?? '').length < 200);
  t.regex(junk[0] ?? '', /^ha\.cf:3: line is 10485760 characters long \(at most 4096\); it starts "q{80}"\.\.\./);
  t.deepEqual(problemsOf('node a b\nucast eth1 10.0.0.2\nudpport 0694\n', 'ha.cf', 'a'), ['ha.cf:3: udpport: "0694": write the number without leading zeros (allowed 1..65535)']);
  // One long word of junk (no line break in it) gets no did-you-mean, and is quoted short.
  const word = problemsOf(`node a b\nucast eth1 10.0.0.2\n${'k'.repeat(4000)}\n`, 'ha.cf', 'a');
  t.true((word[0] ?? '').length < 200, word[0]);
});
