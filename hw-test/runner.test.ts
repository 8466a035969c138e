import test from 'ava';
import { runChecks, selectChecks } from './runner';
import { fail, pass, skip, type Check, type CheckResult } from './checks/types';

const check = (id: string, run: Check['run'], timeoutMs = 1000): Check => ({ id, group: id.split('.')[0] ?? '', timeoutMs, run });

test('results in order; a throwing check and a hung check fail with their reason, the rest still run', async (t) => {
  let now = 1_700_000_000_000;
  const clock = { now: () => (now += 5) };
  const seen: string[] = [];
  const results = await runChecks(
    [
      check('a.ok', () => Promise.resolve(pass('fine', { mbps: 940 }))),
      check('b.throws', () => Promise.reject(new Error('device vanished'))),
      check('c.hangs', (signal) => new Promise((_, reject) => signal.addEventListener('abort', () => reject(new Error('aborted')))), 30),
      check('d.skip', () => Promise.resolve(skip('no sensor'))),
      check('e.fail', () => Promise.resolve(fail('loss 3%', { loss_pct: 3 }))),
    ],
    { started: (c, i, n) => seen.push(`start ${i + 1}/${n} ${c.id}`), finished: (r: CheckResult) => seen.push(`${r.status} ${r.id}`) },
    clock,
  );
  t.deepEqual(
    results.map((r) => [r.id, r.status, r.reason]),
    [
      ['a.ok', 'pass', 'fine'],
      ['b.throws', 'fail', 'device vanished'],
      ['c.hangs', 'fail', 'did not finish within 30 ms'],
      ['d.skip', 'skip', 'no sensor'],
      ['e.fail', 'fail', 'loss 3%'],
    ],
  );
  t.deepEqual(results[0]?.measurements, { mbps: 940 });
  t.is(results[0]?.durationMs, 5);
  t.is(seen.length, 10);
  t.is(seen[0], 'start 1/5 a.ok');
});

test('--only selects by id prefix at dot boundaries', (t) => {
  const ids = ['nic.eth0.link', 'nic.eth01.link', 'serial.ttyS0.9600', 'serial.ttyS0.115200'].map((id) => check(id, () => Promise.resolve(pass(''))));
  t.deepEqual(selectChecks(ids, ['nic.eth0']).map((c) => c.id), ['nic.eth0.link']);
  t.deepEqual(selectChecks(ids, ['serial']).map((c) => c.id), ['serial.ttyS0.9600', 'serial.ttyS0.115200']);
  t.deepEqual(selectChecks(ids, ['serial.ttyS0.9600']).map((c) => c.id), ['serial.ttyS0.9600']);
  t.is(selectChecks(ids, []).length, 4);
});
