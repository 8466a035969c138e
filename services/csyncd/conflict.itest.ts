/**
 * Versions and conflicts: both units edited since the last sync -> a push
 * either way is refused as CONFLICT with a diff, until --force; auto_sync
 * pushes a lone local change after the debounce but only reports
 * simultaneous edits, never choosing a winner.
 */
import test from 'ava';
import { readFileSync, writeFileSync } from 'node:fs';
import { sleep, waitFor } from '../../scripts/sim/exec';
import { CsyncPair, HAPROXY_CFG, logsOfLastPair, must, sha256File } from './testing/csync-pair';

test.afterEach.always((t) => {
  if (!t.passed) t.log(logsOfLastPair());
});

test('conflict both ways, with the diff; --force resolves it', async (t) => {
  const cp = await CsyncPair.create();
  t.teardown(() => cp.stop());
  await cp.exchangeKeys();
  await must(cp.ctl(0, ['push', 'haproxy']));
  const base = readFileSync(cp.etcFile(0, 'haproxy.cfg'), 'utf8');
  writeFileSync(cp.etcFile(0, 'haproxy.cfg'), base.replace('maxconn 100', 'maxconn 200'));
  writeFileSync(cp.etcFile(1, 'haproxy.cfg'), base.replace('timeout client 5s', 'timeout client 9s'));
  const u2Before = sha256File(cp.etcFile(1, 'haproxy.cfg'));
  const a = await cp.ctl(0, ['push', 'haproxy']);
  t.is(a.code, 2);
  t.regex(a.stderr, /CONFLICT: haproxy: CONFLICT: the configuration was changed on this unit since the last sync/);
  t.regex(a.stderr, /--- \/etc\/haproxy\/haproxy\.cfg \(node 2, running\)\n\+\+\+ \/etc\/haproxy\/haproxy\.cfg \(pushed by node 1\)\n@@ /);
  t.regex(a.stderr, /\n- {4}maxconn 100\n\+ {4}maxconn 200\n/);
  t.regex(a.stderr, /\n- {4}timeout client 9s\n\+ {4}timeout client 5s\n/);
  t.is(sha256File(cp.etcFile(1, 'haproxy.cfg')), u2Before, 'the peer kept its edit');
  const b = await cp.ctl(1, ['push', 'haproxy']);
  t.is(b.code, 2);
  t.regex(b.stderr, /CONFLICT/);
  t.regex(b.stderr, /\(pushed by node 2\)/);
  const s = await cp.status(0);
  t.is(s.status, 'orange');
  t.regex(s.services[0]?.detail ?? '', /^conflict: changed on both units since the last sync/);
  const forced = await must(cp.ctl(0, ['push', 'haproxy', '--force']));
  t.regex(forced.stdout, /pushed, validated and applied/);
  t.is(sha256File(cp.etcFile(1, 'haproxy.cfg')), sha256File(cp.etcFile(0, 'haproxy.cfg')));
  await must(cp.ctl(0, ['save']));
  await must(cp.ctl(0, ['save', '--remote']));
  await cp.waitStatus(0, 'green');
  const audit = readFileSync(`${cp.paths[1].stateDir}/audit.log`, 'utf8');
  t.regex(audit, /"op":"push-in".*"result":"refused","code":"CONFLICT"/);
  t.regex(audit, /"op":"push-in".*"result":"ok".*"force":true/);
});

test('auto_sync: a lone local edit reaches the peer after the debounce; simultaneous edits are reported, not resolved', async (t) => {
  const cp = await CsyncPair.create({ extraCfg: 'auto_sync on\n' });
  t.teardown(() => cp.stop());
  await cp.exchangeKeys();
  // Never synced: auto_sync does not pick a side on its own.
  await sleep(2500);
  t.not(sha256File(cp.etcFile(1, 'haproxy.cfg')), sha256File(cp.etcFile(0, 'haproxy.cfg')));
  await must(cp.ctl(0, ['push', 'haproxy']));
  writeFileSync(cp.etcFile(0, 'haproxy.cfg'), HAPROXY_CFG('auto-1'));
  await waitFor('u2 got auto-1', () => readFileSync(cp.etcFile(1, 'haproxy.cfg'), 'utf8').includes('auto-1'), 10_000, 100);
  // And back the other way.
  writeFileSync(cp.etcFile(1, 'haproxy.cfg'), HAPROXY_CFG('auto-2'));
  await waitFor('u1 got auto-2', () => readFileSync(cp.etcFile(0, 'haproxy.cfg'), 'utf8').includes('auto-2'), 10_000, 100);
  // Both edit within the debounce: each keeps its own, both report the conflict.
  writeFileSync(cp.etcFile(0, 'haproxy.cfg'), HAPROXY_CFG('left'));
  writeFileSync(cp.etcFile(1, 'haproxy.cfg'), HAPROXY_CFG('right'));
  const s0 = await waitFor('u1 reports the conflict', async () => {
    const s = await cp.status(0);
    return /auto_sync will not choose|CONFLICT/.test(s.services[0]?.detail ?? '') ? s : undefined;
  }, 10_000, 300);
  t.is(s0.status, 'orange');
  t.true(readFileSync(cp.etcFile(0, 'haproxy.cfg'), 'utf8').includes('left'));
  t.true(readFileSync(cp.etcFile(1, 'haproxy.cfg'), 'utf8').includes('right'));
  const s1 = await cp.status(1);
  t.regex(s1.services[0]?.detail ?? '', /conflict/);
});
