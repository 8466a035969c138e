/**
 * An existing Heartbeat pair's files work unchanged: the same ha.cf,
 * haresources and authkeys run a pair under Debian's heartbeat package and
 * then under hbd, with the same outcome (the haresources owner holds the VIP).
 */
import test from 'ava';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { spawnSync } from 'node:child_process';
import { SimPair, VIP } from '../../scripts/sim/pair';
import { writeHbdConfigs } from '../../scripts/sim/hbd-config';
import { HbdUnit, HBD_MAIN } from '../../scripts/sim/hbd-unit';
import { prepareHeartbeat, startHeartbeat, HEARTBEAT_JOINED } from '../../scripts/sim/heartbeat';
import { run, waitFor } from '../../scripts/sim/exec';
import { killAllIn } from '../../scripts/sim/netns-procs';

const holders = async (pair: SimPair): Promise<string[]> => {
  const out: string[] = [];
  for (const u of pair.units) {
    if ((await run('ip', ['-n', u.ns, '-4', '-o', 'addr', 'show', 'dev', 'eth0'])).stdout.includes(` ${VIP}/`)) out.push(u.name);
  }
  return out;
};

test('the same ha.cf, haresources and authkeys run under Heartbeat 3 and under hbd', async (t) => {
  const pair = await SimPair.create();
  t.teardown(() => pair.teardown());
  // A Heartbeat v1 pair as deployed: seconds, sha1 keys, crm off, logging directives, ucast and serial.
  const dirs = writeHbdConfigs(pair, {
    keepalive: '500ms', warntime: '1', deadtime: '2', initdead: '4', autoFailback: true, authMethod: 'sha1', extra: ['crm off', 'logfile /dev/stderr'],
  });
  const haCf = readFileSync(path.join(dirs[0], 'ha.cf'), 'utf8');
  t.regex(haCf, /^ucast eth1 /m);
  t.regex(haCf, /^serial /m);

  // 1. Heartbeat.
  const hb = pair.units.map((u, i) => {
    prepareHeartbeat(u, dirs[i] ?? '');
    return startHeartbeat(pair, u);
  });
  await waitFor('Heartbeat: both nodes joined', () => hb.every((p) => readFileSync(p.logFile, 'utf8').includes(HEARTBEAT_JOINED)), 60_000, 200);
  await waitFor('Heartbeat: the VIP on u1 only', async () => JSON.stringify(await holders(pair)) === '["u1"]', 30_000, 200);
  for (const p of hb) await p.kill9();
  // The master's children (FIFO reader, ucast and serial readers/writers) outlive it for a
  // while, still bound to udp/694 and reading the serial cable: hbd must not start beside them.
  for (const u of pair.units) await killAllIn(u.ns);
  for (const u of pair.units) await run('ip', ['-n', u.ns, 'addr', 'flush', 'dev', 'eth0', 'to', `${VIP}/32`]);
  t.deepEqual(await holders(pair), []);

  // 2. hbd with the very same files.
  for (const [i, u] of pair.units.entries()) {
    const check = spawnSync(process.execPath, [HBD_MAIN(), '--check-config', '-c', dirs[i] ?? '', '--node', u.name], { encoding: 'utf8' });
    t.is(check.status, 0, check.stderr);
    t.regex(check.stdout, /sha1.*warn|warning: .*authkeys/i, 'sha1 accepted with a warning');
  }
  const hbd = pair.units.map((u, i) => new HbdUnit(pair, u, { configDir: dirs[i] ?? '' }));
  t.teardown(() => Promise.all(hbd.map((h) => h.stop())));
  hbd.forEach((h) => h.start());
  await waitFor('hbd: the VIP on u1 only', async () => JSON.stringify(await holders(pair)) === '["u1"]', 30_000, 200);
  const status = JSON.parse(await (hbd[1] as HbdUnit).hactl('status', '--json')) as { state: string; peerState: string; links: { id: string; status: string }[] };
  t.is(status.state, 'passive');
  t.is(status.peerState, 'active');
  t.deepEqual(status.links.map((l) => l.status), ['up', 'up'], 'ucast and serial both carry the heartbeat');
});
