/**
 * bin/setup-menu as the `setup` login runs it, driven through pipes line by
 * line, on a private dbus-daemon with the shipped bus policy (plus root
 * owning logind's and systemd's names), against stand-ins: statusd's
 * password members, hbd (scripts/sim/stand-ins.ts, hbd's own D-Bus code),
 * logind and systemd recording Reboot/PowerOff/StartUnit. Network setup
 * runs a child on the same stdin/stdout: a stand-in wizard, then the real
 * setup-wizard (no nicd on this bus: it says so and the menu comes back).
 */
import test, { type ExecutionContext } from 'ava';
import { spawn, type ChildProcess } from 'node:child_process';
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { startPrivateBus } from '../../scripts/sim/bus';
import { POLICY_FILE } from '../../scripts/sim/pair';
import { waitFor } from '../../scripts/sim/exec';
import { StandIns } from '../../scripts/sim/stand-ins';
import { repoRoot } from '../runtime/cli';
import { ConsoleStandIns } from './testing/stand-ins';

const MENU = (): string => path.join(repoRoot(), 'bin', 'setup-menu');
const FIRST = 'abcd-efgh-jkmn-pqrs';

/** One run of the menu: what it printed so far, and lines to type. */
class Session {
  out = '';
  private seen = 0;
  readonly exited: Promise<number | null>;

  constructor(readonly child: ChildProcess) {
    child.stdout?.on('data', (d: Buffer) => (this.out += d.toString()));
    child.stderr?.on('data', (d: Buffer) => (this.out += d.toString()));
    this.exited = new Promise((r) => child.once('exit', (code) => r(code)));
  }

  /** Wait for `text` after what was already waited for; returns what came up to and including it. */
  async expect(text: string): Promise<string> {
    const at = await waitFor(`"${text}" from setup-menu (so far: ${JSON.stringify(this.out.slice(this.seen))})`, () => {
      const k = this.out.indexOf(text, this.seen);
      return k === -1 ? undefined : k;
    }, 10_000, 20);
    const got = this.out.slice(this.seen, at + text.length);
    this.seen = at + text.length;
    return got;
  }

  type(line: string): void {
    this.child.stdin?.write(`${line}\n`);
  }
}

interface Rig {
  stand: ConsoleStandIns;
  hbd: StandIns;
  dir: string;
  menu(args?: string[]): Session;
}

async function rig(t: ExecutionContext): Promise<Rig> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'setup-menu-it-'));
  chmodSync(dir, 0o755);
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  const policy = path.join(dir, 'policy.conf');
  writeFileSync(policy, ConsoleStandIns.policy(POLICY_FILE()));
  const bus = await startPrivateBus(dir, policy);
  t.teardown(() => bus.stop());
  const stand = new ConsoleStandIns(bus.address, FIRST);
  t.teardown(() => stand.stop());
  await stand.startStatusd();
  await stand.startSystem();
  const hbd = new StandIns(bus.address);
  t.teardown(() => hbd.stop());
  const sessions: Session[] = [];
  t.teardown(() => sessions.forEach((s) => s.child.kill('SIGKILL')));
  return {
    stand, hbd, dir,
    menu: (args = []) => {
      const child = spawn(process.execPath, [MENU(), ...args], { stdio: ['pipe', 'pipe', 'pipe'], env: { ...process.env, DBUS_SYSTEM_BUS_ADDRESS: bus.address } });
      const s = new Session(child);
      sessions.push(s);
      return s;
    },
  };
}

test('show and reset the web password, pair status, network setup as a child on the same tty, factory reset only after "reset"', async (t) => {
  const { stand, hbd, dir, menu } = await rig(t);
  await hbd.startHbd();
  // A stand-in wizard: reads one line from the menu's stdin, which the menu must leave to it.
  const wizard = path.join(dir, 'wizard');
  writeFileSync(wizard, '#!/bin/bash\nprintf "wizard> "\nread -r a\necho "wizard read: $a"\nexit 0\n', { mode: 0o755 });
  const s = menu(['--wizard', wizard]);

  const head = await s.expect('Choice: ');
  t.regex(head, new RegExp(`LBOS load balancer \\S+ - console setup \\(${os.hostname().replace(/[.]/g, '\\.')}\\)\\n  1\\) Network setup\\n`));
  t.true(head.includes('  7) Factory reset\n  q) Log out\n'));

  s.type('2');
  t.true((await s.expect('Choice: ')).includes(`Web UI login: admin / ${FIRST}\n`));

  s.type('3');
  await s.expect('Type yes to confirm');
  s.type('no');
  t.true((await s.expect('Choice: ')).includes('The web admin password was not reset.'));
  t.false(stand.calls.includes('ResetAdminPassword()'));
  s.type('3');
  await s.expect('Type yes to confirm');
  s.type('yes');
  t.true((await s.expect('Choice: ')).includes('New web admin password: admin / new1-hjkm-npqr-stuv\n'));
  t.deepEqual(stand.calls.filter((c) => c === 'ResetAdminPassword()'), ['ResetAdminPassword()']);

  s.type('4');
  const pair = await s.expect('Choice: ');
  t.true(pair.includes('  This unit:    lb1, master, active\n  Peer:         lb2, up (standby)\n'));
  t.regex(pair, /  Links:        ucast eth1 up, serial ttyS0 up\n/);

  s.type('1');
  await s.expect('wizard> ');
  s.type('typed for the wizard');
  t.true((await s.expect('Choice: ')).includes('wizard read: typed for the wizard\nNetwork setup done.\n'));

  s.type('7');
  await s.expect('Type reset to confirm');
  s.type('yes');
  t.true((await s.expect('Choice: ')).includes('No factory reset: nothing was removed.'));
  s.type('7');
  await s.expect('Type reset to confirm');
  s.type('reset');
  await s.expect('Factory reset started:');
  t.is(await s.exited, 0);
  t.deepEqual(stand.calls.filter((c) => !c.endsWith('Password()')), ['StartUnit(lbos-factory-reset.service, replace)']);
});

test('reboot and shut down only after "yes", through logind, not interactive; the real setup-wizard without nicd; changed password; not paired; q logs out', async (t) => {
  const { stand, menu } = await rig(t);
  const a = menu();
  await a.expect('Choice: ');
  a.type('5');
  await a.expect('Type yes to confirm');
  a.type('');
  t.true((await a.expect('Choice: ')).includes('Not rebooted.'));
  a.type('5');
  await a.expect('Type yes to confirm');
  a.type('yes');
  await a.expect('Rebooting');
  t.is(await a.exited, 0);

  const b = menu();
  await b.expect('Choice: ');
  b.type('6');
  await b.expect('Type yes to confirm');
  b.type('yes');
  await b.expect('Shutting down');
  t.is(await b.exited, 0);
  t.deepEqual(stand.calls, ['Reboot(false)', 'PowerOff(false)']);

  stand.passwordChanged();
  const c = menu();
  await c.expect('Choice: ');
  c.type('2');
  t.true((await c.expect('Choice: ')).includes('The web admin password was changed by the administrator; choose 3 to reset it.'));
  c.type('4');
  t.true((await c.expect('Choice: ')).includes('Pair status: not paired (the HA service hbd is not running'));
  c.type('1');
  t.true((await c.expect('Choice: ')).includes('Network setup: the network service (nicd) is not available.'));
  c.type('9');
  t.true((await c.expect('Choice: ')).includes('"9" is not a choice'));
  c.type('q');
  await c.expect('Logged out.');
  t.is(await c.exited, 0);
  t.false(c.out.includes(FIRST));
});

test('Ctrl-C cancels a question and comes back to the menu; end of input (Ctrl-D) logs out, also at a question: nothing is done', async (t) => {
  const { stand, menu } = await rig(t);
  const s = menu();
  await s.expect('Choice: ');
  s.type('7');
  await s.expect('Type reset to confirm');
  s.child.kill('SIGINT');
  t.true((await s.expect('Choice: ')).includes('No factory reset: nothing was removed.\n'));
  s.child.kill('SIGINT');
  await s.expect('Choice: ');
  t.is(s.child.exitCode, null, 'Ctrl-C does not log out');
  s.type('7');
  await s.expect('Type reset to confirm');
  s.child.stdin?.end();
  await s.expect('No factory reset: nothing was removed.\nLogged out.');
  t.is(await s.exited, 0);
  t.deepEqual(stand.calls, []);
});
