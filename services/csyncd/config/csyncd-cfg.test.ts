import test from 'ava';
import { ConfigError, formatProblem } from '../../runtime/config/problems';
import { parseCsyncdCfg } from './csyncd-cfg';

const F = '/etc/csyncd/csyncd.cfg';
const ALOHA1 = '# csyncd configuration file\nLOCAL_IP=10.0.32.11\nREMOTE_IP=10.0.32.12\nLOCAL_NODE=1\nREMOTE_NODE=2\n';

function problems(text: string): string[] {
  try {
    parseCsyncdCfg(text, F);
    return [];
  } catch (err) {
    if (!(err instanceof ConfigError)) throw err;
    return err.problems.map(formatProblem);
  }
}

test("ALOHA's file as is, with every default", (t) => {
  const { settings, warnings } = parseCsyncdCfg(ALOHA1, F);
  t.deepEqual(settings, {
    file: F, localIp: '10.0.32.11', remoteIp: '10.0.32.12', localNode: 1, remoteNode: 2, port: 24,
    configDir: '/etc/csyncd', stateDir: '/var/lib/lbos/csyncd', account: 'admin', autoSync: false, debounceMs: 2000, checkIntervalMs: 10_000,
  });
  t.deepEqual(warnings, []);
});

test('service options, quotes, spaces around =, ALOHA-only options warned', (t) => {
  const text = `LOCAL_IP = "fd00::1"\nREMOTE_IP='fd00::2'\nLOCAL_NODE=2\nREMOTE_NODE=1\nport 2424\naccount admin@10.0.32.12\nauto_sync on\ndebounce 500ms\ncheck_interval 30\ntunnel_name csyncd0\nno autostart\nstate_dir /data/csyncd/\n`;
  const { settings, warnings } = parseCsyncdCfg(text, F);
  t.like(settings, { localIp: 'fd00::1', remoteIp: 'fd00::2', port: 2424, account: 'admin', autoSync: true, debounceMs: 500, checkIntervalMs: 30_000, stateDir: '/data/csyncd' });
  t.deepEqual(warnings.map((w) => `${w.line}:${w.key}`), ['10:tunnel_name', '11:no']);
});

test("ALOHA's empty default file: every missing value named with a hint", (t) => {
  const p = problems('LOCAL_IP=\nREMOTE_IP=\nLOCAL_NODE=1\nREMOTE_NODE=2\n');
  t.is(p.length, 2);
  t.regex(p[0] ?? '', /^\/etc\/csyncd\/csyncd\.cfg:1: LOCAL_IP: empty: set this unit's administration address/);
  t.regex(p[1] ?? '', /csyncd\.cfg:2: REMOTE_IP: empty/);
});

test('every problem at once, with file:line', (t) => {
  const p = problems('LOCAL_IP=10.0.32.11\nREMOTE_IP=10.0.32.11\nLOCAL_NODE=3\nREMOTE_NODE=3\nport 0\nLOCAL_NODE=4\nfoo bar\nBAR=1\ndebounce fast\nconfig_dir relative/dir\n');
  t.deepEqual(p.map((x) => x.replace(/^\S+?:(\d+): (\S+): .*$/, '$1 $2')), ['2 REMOTE_IP', '4 REMOTE_NODE', '5 port', '6 LOCAL_NODE', '7 foo', '8 BAR', '9 debounce', '10 config_dir']);
  t.true(p.some((x) => /REMOTE_NODE: must differ from LOCAL_NODE/.test(x)));
});

test('node ids are 1..255 and families must match', (t) => {
  t.regex(problems('LOCAL_IP=10.0.0.1\nREMOTE_IP=10.0.0.2\nLOCAL_NODE=0\nREMOTE_NODE=256\n').join('\n'), /LOCAL_NODE: 0 is out of range \(allowed 1\.\.255\)[\s\S]*REMOTE_NODE: 256 is out of range/);
  t.regex(problems('LOCAL_IP=10.0.0.1\nREMOTE_IP=fd00::2\nLOCAL_NODE=1\nREMOTE_NODE=2\n').join('\n'), /same family/);
  t.regex(problems('REMOTE_IP=10.0.0.2\nLOCAL_NODE=1\nREMOTE_NODE=2\n').join('\n'), /^\/etc\/csyncd\/csyncd\.cfg: LOCAL_IP: missing/);
});
