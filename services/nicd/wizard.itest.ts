/**
 * The console setup wizard on a real pty (util-linux script), talking to a
 * real nicd: happy path with the summary and the web UI URLs, bad answers
 * asked again with the reason, Ctrl-D and Ctrl-C abort without applying,
 * over SSH the change is kept only when confirmed.
 */
import test from 'ava';
import { readFileSync } from 'node:fs';
import { NicdUnit, WIZARD_MAIN, lastNicdLog } from './testing/nicd-harness';
import { PtySession } from './testing/pty';

test.afterEach.always((t) => {
  if (!t.passed) t.log(lastNicdLog());
});

const BASE = 'interface eth0\n    address 192.168.2.21/24\ninterface eth2\n    address 10.2.0.1/24\n    address 2001:db8:2::1/64\n';

async function setup(t: import('ava').ExecutionContext, env: NodeJS.ProcessEnv = {}): Promise<{ u: NicdUnit; w: PtySession }> {
  const u = await NicdUnit.start({ config: BASE, nics: ['eth2'] });
  t.teardown(() => u.stop());
  const w = PtySession.start([process.execPath, WIZARD_MAIN()], { ...u.env, ...env, LOG_LEVEL: 'silent' });
  t.teardown(() => w.close());
  await w.expect('LBOS basic network set up\n');
  return { u, w };
}

test('happy path: prompts, summary with the web UI URLs, applied through nicd, other interfaces kept', async (t) => {
  const { u, w } = await setup(t);
  await w.expect('This sets the address of eth0 (the management interface)');
  await w.expect('Static IP address (eg. 192.168.2.21/24) : ');
  w.line('10.9.0.21/24');
  await w.expect('Default gateway (eg. 192.168.2.1) : ');
  w.line('10.9.0.1');
  await w.expect('Primary DNS server : ');
  w.line('10.9.0.53');
  await w.expect('Secondary DNS server (optional) : ');
  w.line('');
  const summary = await w.expect('Apply these settings? (y = apply, n = start again, q = quit) : ');
  t.regex(summary, /Summary of settings\n\n {2}Interface: +eth0\n {2}Static IP address: +10\.9\.0\.21\/24\n {2}Default gateway: +10\.9\.0\.1\n {2}DNS servers: +10\.9\.0\.53\n/);
  t.regex(summary, /The web interface will be at:\n {2}http:\/\/10\.9\.0\.21:9080\/\n {2}https:\/\/10\.9\.0\.21:9443\//);
  t.deepEqual(await u.addrs('eth0'), ['192.168.2.21/24', '198.18.0.1/24', 'fd00:5b::1/64'], 'nothing applied before y');
  w.line('y');
  const done = await w.expect('Press Enter to finish...');
  t.regex(done, /Applying\.\.\.\nDone: the settings are in force and saved \(configuration generation 1\)\.\n\nYou may now connect the eth0 network interface to your switch, and\ncontinue configuration through the web interface on:\n {2}http:\/\/10\.9\.0\.21:9080\/\n {2}https:\/\/10\.9\.0\.21:9443\//);
  w.line('');
  t.is(await w.exited, 0);
  t.log(`--- transcript ---\n${w.text}`);
  t.deepEqual(await u.addrs('eth0'), ['10.9.0.21/24', '198.18.0.1/24', 'fd00:5b::1/64'], 'the factory address (nicd\'s) replaced; the kit\'s own addresses untouched');
  t.deepEqual(await u.routes(), ['-4 default via 10.9.0.1 dev eth0']);
  t.regex(readFileSync(u.resolvConf, 'utf8'), /^nameserver 10\.9\.0\.53$/m);
  t.deepEqual(await u.addrs('eth2'), ['10.2.0.1/24', '2001:db8:2::1/64'], 'other interfaces keep their configuration');
  const saved = readFileSync(u.configFile, 'utf8');
  t.regex(saved, /^generation 1\n# Written by setup-wizard on /);
  t.regex(saved, /interface eth2\n {4}address 10\.2\.0\.1\/24\n {4}address 2001:db8:2::1\/64\n/);
  t.like(await u.props(), { Generation: 1, State: 'idle' });
});

test('bad answers are asked again with a short reason; settings that clash with another interface too; q changes nothing', async (t) => {
  const { u, w } = await setup(t);
  const before = await u.snapshot();
  const ask = async (prompt: string, answer: string, reason?: RegExp): Promise<void> => {
    const screen = await w.expect(prompt);
    if (reason !== undefined) t.regex(screen, reason);
    w.line(answer);
  };
  await ask('Static IP address (eg. 192.168.2.21/24) : ', '10.9.0.21');
  await ask('Static IP address (eg. 192.168.2.21/24) : ', '300.1.1.1/24', /Not accepted: add the prefix length or netmask, e\.g\. 10\.9\.0\.21\/24 or 10\.9\.0\.21\/255\.255\.255\.0\.\n {2}Please try again\.\n/);
  await ask('Static IP address (eg. 192.168.2.21/24) : ', '10.2.0.50/255.255.0.0', /Not accepted: "300\.1\.1\.1" is not an IPv4 address/);
  await ask('Default gateway (eg. 192.168.2.1) : ', '10.3.0.1');
  await ask('Default gateway (eg. 192.168.2.1) : ', '10.2.0.254', /Not accepted: 10\.3\.0\.1 is not in 10\.2\.0\.0\/16, the subnet of 10\.2\.0\.50\/16/);
  await ask('Primary DNS server : ', 'dns.example');
  await ask('Primary DNS server : ', '10.2.0.53', /Not accepted: "dns\.example" is not an IP address/);
  await ask('Secondary DNS server (optional) : ', '10.2.0.53');
  await ask('Secondary DNS server (optional) : ', '', /Not accepted: 10\.2\.0\.53 is already the primary DNS server/);
  const clash = await w.expect('Static IP address (eg. 192.168.2.21/24) : ');
  t.regex(clash, /These settings do not fit the rest of the configuration: subnet 10\.2\.0\.0\/24 of eth2 overlaps 10\.2\.0\.0\/16 of eth0: a subnet belongs to one interface\n {2}Please start again\./);
  w.line('10.9.0.21/24');
  await ask('Default gateway (eg. 192.168.2.1) : ', '10.9.0.1');
  await ask('Primary DNS server : ', '10.9.0.53');
  await ask('Secondary DNS server (optional) : ', '2001:db8::53');
  await ask('Apply these settings? (y = apply, n = start again, q = quit) : ', 'maybe');
  await ask('Apply these settings? (y = apply, n = start again, q = quit) : ', 'q', /Please answer y, n or q\./);
  await w.expect('Nothing was changed.');
  t.is(await w.exited, 0);
  t.is(await u.snapshot(), before);
  t.like(await u.props(), { Generation: 0 });
});

test('Ctrl-D at a prompt aborts without applying', async (t) => {
  const { u, w } = await setup(t);
  const before = await u.snapshot();
  await w.expect('Static IP address (eg. 192.168.2.21/24) : ');
  w.line('10.9.0.21/24');
  await w.expect('Default gateway (eg. 192.168.2.1) : ');
  w.ctrlD();
  await w.expect('Aborted: nothing was changed.');
  t.is(await w.exited, 1);
  t.is(await u.snapshot(), before);
});

test('Ctrl-C aborts without applying', async (t) => {
  const { u, w } = await setup(t);
  const before = await u.snapshot();
  await w.expect('Static IP address (eg. 192.168.2.21/24) : ');
  w.line('10.9.0.21/24');
  await w.expect('Default gateway (eg. 192.168.2.1) : ');
  w.line('10.9.0.1');
  await w.expect('Primary DNS server : ');
  w.ctrlC();
  await w.expect('Interrupted: nothing was changed.');
  t.is(await w.exited, 130);
  t.is(await u.snapshot(), before);
});

test('over SSH: applied with a confirmation window, kept only when the operator confirms', async (t) => {
  const { u, w } = await setup(t, { SSH_CONNECTION: '198.18.0.254 50000 192.168.2.21 22' });
  for (const [prompt, answer] of [['Static IP address', '10.9.0.21/24'], ['Default gateway', '10.9.0.1'], ['Primary DNS server', '10.9.0.53'], ['Secondary DNS server', ''], ['Apply these settings?', 'y']]) {
    await w.expect(prompt ?? '');
    w.line(answer ?? '');
  }
  await w.expect('the change is rolled back in 60 s unless you keep it.\nKeep the new settings? (y/n) : ');
  t.like(await u.props(), { State: 'pending', PendingGeneration: 1, Generation: 0 });
  t.true((await u.addrs('eth0')).includes('10.9.0.21/24'));
  w.line('y');
  await w.expect('Done: the settings are in force and saved (configuration generation 1).');
  await w.expect('Press Enter to finish...');
  w.line('');
  t.is(await w.exited, 0);
  t.like(await u.props(), { State: 'idle', Generation: 1 });
  t.regex(readFileSync(u.configFile, 'utf8'), /^generation 1\n/);
});
