/**
 * Commit confirmed on real interfaces: a change applied with a 2 s window
 * and not confirmed rolls back; confirmed, it survives and is saved; over SSH
 * nicctl uses the 60 s default; a restart while pending rolls back.
 */
import test from 'ava';
import { readFileSync, writeFileSync } from 'node:fs';
import { NicdUnit, lastNicdLog } from './testing/nicd-harness';
import { sleep, waitFor } from '../../scripts/sim/exec';

test.afterEach.always((t) => {
  if (!t.passed) t.log(lastNicdLog());
});

const OLD = 'interface eth2\n    address 10.2.0.1/24\n    address 2001:db8:2::1/64\n    gateway 10.2.0.254\n';
const NEW = 'interface eth2\n    address 10.2.0.7/24\n    address 2001:db8:2::7/64\n    gateway 10.2.0.253\n';

async function started(t: import('ava').ExecutionContext): Promise<NicdUnit> {
  const u = await NicdUnit.start({ config: OLD, nics: ['eth2'] });
  t.teardown(() => u.stop());
  writeFileSync(`${u.configFile}.new`, NEW);
  return u;
}

test('applied with a 2 s confirm timeout and not confirmed: rolled back, addresses and gateway restored, file untouched', async (t) => {
  const u = await started(t);
  const before = await u.snapshot();
  const saved = readFileSync(u.configFile, 'utf8');
  const r = await u.nicctl(['apply', `${u.configFile}.new`, '--confirm-timeout', '2']);
  t.is(r.code, 0, r.stderr);
  t.regex(r.stdout, /^generation 1 applied: \d+ change\(s\)\n[\s\S]*Not confirmed yet: it rolls back in 2 s, at \d\d:\d\d:\d\d unless you run `nicctl confirm`/);
  t.deepEqual(await u.addrs('eth2'), ['10.2.0.7/24', '2001:db8:2::7/64']);
  const p = await u.props();
  t.like(p, { State: 'pending', PendingGeneration: 1, Generation: 0 });
  const until = Number(p.PendingUntil);
  t.true(Math.abs(until - (Date.now() + 2000)) < 1500, `PendingUntil ${until} is about now + 2 s`);
  t.regex((await u.nicctl(['show'])).stdout, /Pending: {7}generation 1 runs unconfirmed; rolls back in [0-2] s/);
  t.is(readFileSync(u.configFile, 'utf8'), saved, 'not saved while pending');
  await waitFor('rollback', async () => (await u.props()).State === 'idle', 10_000, 50);
  t.deepEqual(await u.addrs('eth2'), ['10.2.0.1/24', '2001:db8:2::1/64']);
  t.is(await u.snapshot(), before, 'everything as before the change');
  t.like(await u.props(), { Generation: 0, PendingGeneration: 0, PendingUntil: 0n });
  t.regex(String((await u.props()).LastResult), /generation 1 rolled back \(not confirmed in time\): generation 0 restored/);
});

test('confirmed in time: it survives the deadline and is saved with its generation', async (t) => {
  const u = await started(t);
  const r = await u.nicctl(['apply', `${u.configFile}.new`, '--confirm-timeout', '2']);
  t.is(r.code, 0, r.stderr);
  const c = await u.nicctl(['confirm']);
  t.is(c.stdout, 'generation 1 confirmed and saved\n');
  await sleep(2500);
  t.deepEqual(await u.addrs('eth2'), ['10.2.0.7/24', '2001:db8:2::7/64']);
  t.deepEqual(await u.routes(), ['-4 default via 10.2.0.253 dev eth2']);
  t.like(await u.props(), { State: 'idle', Generation: 1, PendingGeneration: 0 });
  t.is(readFileSync(u.configFile, 'utf8'), `generation 1\n${NEW}`);
});

test('over SSH nicctl apply waits 60 s for confirmation; another apply is refused meanwhile; rollback undoes it now', async (t) => {
  const u = await started(t);
  const ssh = { SSH_CONNECTION: '198.18.0.254 50000 198.18.0.1 22' };
  const r = await u.nicctl(['apply', `${u.configFile}.new`], ssh);
  t.is(r.code, 0, r.stderr);
  t.regex(r.stdout, /rolls back in (59|60) s/);
  const until = Number((await u.props()).PendingUntil);
  t.true(Math.abs(until - (Date.now() + 60_000)) < 2000);
  const again = await u.nicctl(['apply', `${u.configFile}.new`]);
  t.is(again.code, 2);
  t.regex(again.stderr, /a change is waiting for confirmation: confirm or roll it back first \(PENDING_CONFIRMATION\)/);
  const rb = await u.nicctl(['rollback']);
  t.is(rb.stdout, 'rolled back: generation 0 is in force\n');
  t.deepEqual(await u.addrs('eth2'), ['10.2.0.1/24', '2001:db8:2::1/64']);
  const late = await u.nicctl(['confirm']);
  t.is(late.code, 2);
  t.regex(late.stderr, /no change is waiting for confirmation .*\(NOT_PENDING\)/);
  const apply0 = await u.nicctl(['apply', `${u.configFile}.new`, '--confirm-timeout', '0'], ssh);
  t.is(apply0.code, 0);
  t.like(await u.props(), { State: 'idle', Generation: 2 }, '--confirm-timeout 0 over SSH: applied and saved at once');
});

test('nicd stopped while a change is pending: the next start runs the saved config (a rollback) and says why', async (t) => {
  const u = await started(t);
  await u.call('Apply', NEW, 600);
  t.deepEqual(await u.addrs('eth2'), ['10.2.0.7/24', '2001:db8:2::7/64']);
  await u.proc?.kill9();
  await u.startNicd();
  t.deepEqual(await u.addrs('eth2'), ['10.2.0.1/24', '2001:db8:2::1/64']);
  t.regex(String((await u.props()).LastResult), /generation 1 was not confirmed before nicd stopped: rolled back to generation 0/);
});
