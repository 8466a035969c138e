import test from 'ava';
import { ConfigError } from '../runtime/config/problems';
import { defaultConfig, ledMapFile, parseLedMap, parsePaneldConf } from './config';

const problems = (fn: () => unknown): string[] => {
  try {
    fn();
  } catch (err) {
    if (err instanceof ConfigError) return err.message.split('\n');
    throw err;
  }
  return [];
};

test('defaults and every directive', (t) => {
  t.like(parsePaneldConf('', '/x'), { lcd: true, lcdprocPort: 13666, pageIntervalMs: 4000, banner: true, bannerFile: '/etc/issue.d/lbos.issue', webPort: 9443, confirmTimeoutS: 120, ledModel: 'none' });
  const c = parsePaneldConf([
    'lcd no', 'lcdproc_host 127.0.0.2', 'lcdproc_port 13700', 'page_interval 2s', 'led_root /tmp/leds', 'led_dir /opt/leds', 'led_model lb-2000',
    'banner off', 'banner_file /run/issue', 'web_port 8443', 'expect hbd nicd', 'confirm_timeout 0', 'hostname lb1 # comment',
  ].join('\n'), '/x');
  t.like(c, { lcd: false, lcdprocHost: '127.0.0.2', lcdprocPort: 13700, pageIntervalMs: 2000, ledRoot: '/tmp/leds', banner: false, bannerFile: '/run/issue', webPort: 8443, expect: ['hbd', 'nicd'], confirmTimeoutS: 0, hostname: 'lb1' });
  t.is(ledMapFile(c), '/opt/leds/lb-2000.conf');
  t.is(ledMapFile(defaultConfig()), null);
});

test('every problem with file:line: key', (t) => {
  t.deepEqual(problems(() => parsePaneldConf(['lcdproc_port 70000', 'page_intervall 3', 'banner_file issue', 'expect hbd foo', 'confirm_timeout 5s', 'lcd', 'lcd yes', 'lcd no'].join('\n'), '/etc/lbos/paneld.conf')), [
    '/etc/lbos/paneld.conf:1: lcdproc_port: 70000 is out of range (allowed 1..65535)',
    '/etc/lbos/paneld.conf:2: page_intervall: unknown directive (did you mean "page_interval"?)',
    '/etc/lbos/paneld.conf:3: banner_file: "issue" must be an absolute path',
    '/etc/lbos/paneld.conf:4: expect: unknown service foo (known: hbd nicd csyncd)',
    '/etc/lbos/paneld.conf:5: confirm_timeout: 5s is too short to walk to a laptop and check (0, or 30s..3600s)',
    '/etc/lbos/paneld.conf:6: lcd: takes 1 value(s), got 0',
    '/etc/lbos/paneld.conf:7: lcd: given twice (first on line 6)',
    '/etc/lbos/paneld.conf:8: lcd: given twice (first on line 6)',
  ]);
});

test('LED map: roles, brightness, blink; problems located', (t) => {
  const m = parseLedMap('status apu2:green:led1\nha apu2:green:led2 1\nfault apu2:red:led3 max\nblink 250 750\n', '/m.conf');
  t.deepEqual(m, { file: '/m.conf', roles: { status: { led: 'apu2:green:led1', brightness: null }, ha: { led: 'apu2:green:led2', brightness: 1 }, fault: { led: 'apu2:red:led3', brightness: null } }, blinkOnMs: 250, blinkOffMs: 750 });
  t.deepEqual(problems(() => parseLedMap('status a/b\nha x 0\npower y\nblink 10 500\nfault x\n', '/m.conf')), [
    '/m.conf:1: status: "a/b" is not an LED name (a directory under /sys/class/leds)',
    '/m.conf:2: ha: brightness: 0 is out of range (allowed 1..65535) (or "max")',
    '/m.conf:3: power: unknown directive',
    '/m.conf:4: blink: 10 is out of range (allowed 50ms..10000ms)',
  ]);
});

test('LED map: one LED for two roles is refused', (t) => {
  t.deepEqual(problems(() => parseLedMap('status a\nfault a\n', '/m.conf')), ['/m.conf: fault: LED a is also given to status']);
});

test('lcdproc_host is an address or an RFC 1123 host name, parsed strictly', (t) => {
  t.deepEqual(problems(() => parsePaneldConf('lcdproc_host 127.0.-0.1\n', '/p')), ['/p:1: lcdproc_host: "127.0.-0.1" is not a host name (dot-separated labels of 1..63 letters, digits and inner \'-\')']);
  t.deepEqual(problems(() => parsePaneldConf('lcdproc_host 127.0.0.256\n', '/p')), ['/p:1: lcdproc_host: "127.0.0.256" is neither an IP address nor a host name']);
  t.deepEqual(problems(() => parsePaneldConf('lcdproc_port 013666\n', '/p')), ['/p:1: lcdproc_port: "013666": write the number without leading zeros (allowed 1..65535)']);
  t.like(parsePaneldConf('lcdproc_host lcd.local\n', '/p'), { lcdprocHost: 'lcd.local' });
  t.like(parsePaneldConf('lcdproc_host ::1\n', '/p'), { lcdprocHost: '::1' });
});

test('a 10 MB junk line is refused at once, quoted in at most 80 characters', (t) => {
  const lines = problems(() => parsePaneldConf(`lcd yes\n${'p'.repeat(10 * 1024 * 1024)}\n`, '/p'));
  t.is(lines.length, 1);
  t.regex(lines[0] ?? '', /^\/p:2: line is 10485760 characters long \(at most 4096\); it starts "p{80}"\.\.\./);
  // A long word that fits in a line: no did-you-mean over it, and the key is cut in the message.
  const word = problems(() => parsePaneldConf(`${'w'.repeat(4000)} 1\n`, '/p'));
  t.true((word[0] ?? '').length <= 140, word[0]);
});

test('agetty_reload: a path, or none', (t) => {
  t.is(parsePaneldConf('', '/x').agettyReload, '/run/agetty.reload');
  t.is(parsePaneldConf('agetty_reload none', '/x').agettyReload, null);
  t.is(parsePaneldConf('agetty_reload /tmp/r', '/x').agettyReload, '/tmp/r');
  t.throws(() => parsePaneldConf('agetty_reload run/x', '/x'), { message: /must be an absolute path/ });
});
