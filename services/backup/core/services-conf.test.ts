import test from 'ava';
import { expandValidate, parseServicesConf, splitWords, syncedFiles } from './services-conf';
import { csyncdConfigDir, networkHostname } from './conf-lines';

test('splitWords follows csyncd: quotes, escapes, comments', (t) => {
  t.deepEqual(splitWords(`apply sh -c 'kill -USR2 "$(cat /run/h.pid)"'  # reload`), ['apply', 'sh', '-c', 'kill -USR2 "$(cat /run/h.pid)"']);
  t.deepEqual(splitWords('file "/etc/a b/c\\"d"'), ['file', '/etc/a b/c"d']);
  t.deepEqual(splitWords('file /etc/a\\ b'), ['file', '/etc/a b']);
  t.deepEqual(splitWords('x#y #z'), ['x#y']);
  t.is(splitWords("file 'open"), null);
});

test('services, their files and validators, with continued lines', (t) => {
  const text = [
    '# registry',
    'service haproxy',
    '    file /etc/haproxy/haproxy.cfg',
    '    file /etc/haproxy/errors/503.http',
    '    validate haproxy -c \\',
    '        -f {file}',
    'service keepalived',
    '    file /etc/keepalived/keepalived.conf',
    '    file /etc/haproxy/haproxy.cfg',
  ].join('\n');
  const s = parseServicesConf(text);
  t.deepEqual(s.map((x) => [x.name, x.files, x.validate]), [
    ['haproxy', ['/etc/haproxy/haproxy.cfg', '/etc/haproxy/errors/503.http'], ['haproxy', '-c', '-f', '{file}']],
    ['keepalived', ['/etc/keepalived/keepalived.conf', '/etc/haproxy/haproxy.cfg'], null],
  ]);
  // A file belongs to the first service naming it (csyncd refuses the second anyway).
  t.deepEqual([...syncedFiles(s)], [['/etc/haproxy/haproxy.cfg', 'haproxy'], ['/etc/haproxy/errors/503.http', 'haproxy'], ['/etc/keepalived/keepalived.conf', 'keepalived']]);
});

test('expandValidate fills file, dir and service only', (t) => {
  t.deepEqual(expandValidate(['v', '-f', '{file}', '{dir}/x', '{service}', '{other}'], { file: '/s/a.cfg', dir: '/s', service: 'h' }), ['v', '-f', '/s/a.cfg', '/s/x', 'h', '{other}']);
});

test('network.conf hostname and csyncd.cfg config_dir', (t) => {
  t.is(networkHostname('# x\nhostname LBMaster.example.com\ninterface eth0\n'), 'lbmaster');
  t.is(networkHostname('interface eth0\n'), null);
  t.is(csyncdConfigDir('LOCAL_IP=1\nconfig_dir /etc/csyncd # here\n'), '/etc/csyncd');
  t.is(csyncdConfigDir('LOCAL_IP=1\n'), null);
});
