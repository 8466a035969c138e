import test from 'ava';
import { describeExit, isFailure } from './supervisor';
import { parseNotify } from './notify-socket';
import { demoText, printedCommands, type DemoInfo, type DemoUnitInfo } from './demo-text';

test('describeExit words an exit as systemd does (code=killed, status=9/KILL)', (t) => {
  t.is(describeExit({ code: null, signal: 'SIGKILL' }), 'killed by SIGKILL (status=9/KILL)');
  t.is(describeExit({ code: 78, signal: null }), 'exited with code 78 (status=78/CONFIG)');
  t.is(describeExit({ code: 3, signal: null }), 'exited with code 3 (status=3/UNKNOWN)');
  t.is(describeExit({ code: null, signal: 'SIGKILL', timedOut: true }), 'killed by SIGKILL (status=9/KILL, start timed out)');
});

test('isFailure: non-zero codes and unclean signals (Restart=on-failure)', (t) => {
  t.false(isFailure({ code: 0, signal: null }));
  t.true(isFailure({ code: 1, signal: null }));
  t.true(isFailure({ code: null, signal: 'SIGKILL' }));
  t.true(isFailure({ code: null, signal: 'SIGSEGV' }));
  for (const clean of ['SIGTERM', 'SIGINT', 'SIGHUP', 'SIGPIPE'] as const) t.false(isFailure({ code: null, signal: clean }), clean);
  t.true(isFailure({ code: 0, signal: null, timedOut: true }));
});

test('parseNotify: KEY=VALUE lines', (t) => {
  t.deepEqual(parseNotify('READY=1\nSTATUS=running (a=b)'), { READY: '1', STATUS: 'running (a=b)' });
  t.deepEqual(parseNotify('garbage\n=x\n'), {});
});

const unit = (n: number): DemoUnitInfo => ({
  name: `u${n}`, ns: `lbsim-x-u${n}`, lanIp: `198.18.0.${n}`, hbIp: `198.19.0.${n}`, tty: `/tmp/lbsim-x/u${n}-ttyS0`, busAddress: `unix:path=/tmp/lbsim-x/u${n}/bus.sock`,
  dir: `/tmp/lbsim-x/u${n}`, url: `https://127.0.0.${n}:9443`, password: 'pw', statusdState: `/tmp/lbsim-x/u${n}/statusd/state`,
  etcHaproxy: `/tmp/lbsim-x/u${n}/etc-haproxy`, hbdPidFile: `/tmp/lbsim-x/u${n}/hbd.pid`, systemdBus: `unix:path=/tmp/lbsim-x/u${n}/systemd/open-bus.sock`,
});
const info: DemoInfo = {
  repo: '/src/lbos', pairId: 'x', dir: '/tmp/lbsim-x', units: [unit(1), unit(2)], lanNs: 'lbsim-x-lan', vip: '198.18.0.100', vip6: 'fd00:5b::100', pingNode: '198.18.0.254',
  hbdConfigDir: '/tmp/lbsim-x/u1/ha.d', logs: ['/tmp/lbsim-x/u1-{hbd,nicd}.log'], deadtime: '1s', restartSec: 3, services: ['hbd.service'],
  panelHelp: 'Front panel:\n  X=1 bin/panelctl show   # the LCD',
};

test('printedCommands: the Try sections\' commands from the cd line on, comments and comment-only lines dropped', (t) => {
  const cmds = printedCommands(demoText(info));
  t.is(cmds[0], 'cd /src/lbos');
  t.true(cmds.includes('kill -9 $(cat /tmp/lbsim-x/u1/hbd.pid)'));
  t.true(cmds.includes("echo '# my change' >> /tmp/lbsim-x/u1/etc-haproxy/haproxy.cfg"), 'a # inside the command stays');
  t.true(cmds.includes('bin/statusctl watch --url https://127.0.0.2:9443 --state-dir /tmp/lbsim-x/u2/statusd/state'));
  t.true(cmds.includes('X=1 bin/panelctl show'));
  t.false(cmds.some((c) => c.includes('#') && !c.startsWith('echo')), cmds.join('\n'));
});
