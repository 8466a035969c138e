import test from 'ava';
import { CHOICE_PROMPT, menuStart, menuStep, menuText, type EffectResult, type MenuEvent, type MenuInfo, type MenuState, type Reply } from './menu';

const INFO: MenuInfo = { version: '0.1.0', hostname: 'lbmaster' };
const MAIN: MenuState = { at: 'main' };
const line = (text: string): MenuEvent => ({ type: 'Line', text });
const done = (result: EffectResult): MenuEvent => ({ type: 'EffectDone', result });

/** Events from a state; the last reply. */
function steps(from: MenuState, events: MenuEvent[]): Reply {
  let r: Reply = { state: from, print: [], prompt: null, effect: null };
  for (const e of events) r = menuStep(r.state, e, INFO);
  return r;
}

test('start: the menu with the version and hostname, then the prompt', (t) => {
  const r = menuStart(INFO);
  t.deepEqual(r.print, menuText(INFO));
  t.is(r.print[1], 'LBOS load balancer 0.1.0 - console setup (lbmaster)');
  t.deepEqual(r.print.slice(2), ['  1) Network setup', '  2) Show the web admin password', '  3) Reset the web admin password', '  4) Pair status', '  5) Reboot', '  6) Shut down', '  7) Factory reset', '  q) Log out']);
  t.is(r.prompt, CHOICE_PROMPT);
  t.is(r.effect, null);
});

test('main: each choice -> its effect or question; nothing that stops or removes runs without one', (t) => {
  const table: [string, MenuState['at'], string | null][] = [
    ['1', 'busy', 'RunNetworkSetup'],
    [' 2 ', 'busy', 'ReadPassword'],
    ['3', 'confirm', null],
    ['4', 'busy', 'ReadPairStatus'],
    ['5', 'confirm', null],
    ['6', 'confirm', null],
    ['7', 'confirm', null],
    ['q', 'ended', null],
    ['Q', 'ended', null],
    ['', 'main', null],
    ['8', 'main', null],
    ['reboot', 'main', null],
  ];
  for (const [text, at, effect] of table) {
    const r = menuStep(MAIN, line(text), INFO);
    t.is(r.state.at, at, text);
    t.is<string | null, string | null>(r.effect?.kind ?? null, effect, text);
  }
  t.deepEqual(menuStep(MAIN, line('8'), INFO).print, ['"8" is not a choice: type 1 to 7, or q to log out.']);
  t.deepEqual(menuStep(MAIN, line('\x1b[A'), INFO).print, ['"?[A" is not a choice: type 1 to 7, or q to log out.']);
});

test('confirm words: yes for reset password, reboot, shut down; "reset" for factory reset; exact, else not done', (t) => {
  const table: [string, string, string | null, string][] = [
    ['3', 'yes', 'ResetPassword', 'busy'],
    ['3', 'y', null, 'main'],
    ['3', 'YES', null, 'main'],
    ['5', 'yes', 'Reboot', 'busy'],
    ['5', 'no', null, 'main'],
    ['6', ' yes ', 'PowerOff', 'busy'],
    ['6', '', null, 'main'],
    ['7', 'reset', 'StartFactoryReset', 'busy'],
    ['7', 'yes', null, 'main'],
    ['7', 'Reset', null, 'main'],
  ];
  for (const [choice, word, effect, at] of table) {
    const r = steps(MAIN, [line(choice), line(word)]);
    t.is<string | null, string | null>(r.effect?.kind ?? null, effect, `${choice} ${word}`);
    t.is<string, string>(r.state.at, at, `${choice} ${word}`);
  }
  t.deepEqual(steps(MAIN, [line('7'), line('yes')]).print.slice(0, 1), ['No factory reset: nothing was removed.']);
  t.is(menuStep(MAIN, line('7'), INFO).prompt, 'Type reset to confirm (anything else cancels): ');
  t.regex(menuStep(MAIN, line('7'), INFO).print.join('\n'), /network\.conf.*ha\.cf, haresources, authkeys.*\n.*csyncd\.cfg.*\n.*SSH/);
  t.is(menuStep(MAIN, line('5'), INFO).prompt, 'Type yes to confirm (anything else cancels): ');
});

test('Ctrl-C: at the main prompt the prompt again; at a question cancels it; Ctrl-D logs out, also at a question', (t) => {
  t.deepEqual(menuStep(MAIN, { type: 'Interrupted' }, INFO), { state: MAIN, print: [''], prompt: CHOICE_PROMPT, effect: null });
  const cancelled = steps(MAIN, [line('7'), { type: 'Interrupted' }]);
  t.deepEqual(cancelled.state, MAIN);
  t.deepEqual(cancelled.print.slice(0, 2), ['', 'No factory reset: nothing was removed.']);
  t.is(cancelled.effect, null);
  t.deepEqual(menuStep(MAIN, { type: 'InputEnded' }, INFO).state, { at: 'ended' });
  const ended = steps(MAIN, [line('5'), { type: 'InputEnded' }]);
  t.deepEqual(ended.state, { at: 'ended' });
  t.deepEqual(ended.print, ['Not rebooted.', 'Logged out.']);
  t.is(ended.effect, null);
});

test('results: passwords printed (to the tty), changed, pair status, failures back to the menu; reboot/off/reset end the menu', (t) => {
  const table: [string[], EffectResult, MenuState['at'], string[]][] = [
    [['2'], { kind: 'Password', password: 'abcd-efgh-jkmn-pqrs' }, 'main', ['Web UI login: admin / abcd-efgh-jkmn-pqrs', '(the initial password: the first login asks for a new one)']],
    [['2'], { kind: 'PasswordChanged' }, 'main', ['The web admin password was changed by the administrator; choose 3 to reset it.']],
    [['2'], { kind: 'Failed', message: 'the web UI service (statusd) is not running' }, 'main', ['Cannot read the web admin password: the web UI service (statusd) is not running']],
    [['3', 'yes'], { kind: 'Password', password: 'new2-new3-new4-new5' }, 'main', ['New web admin password: admin / new2-new3-new4-new5', 'Every admin session has ended; the first login asks for a new password. The console banner shows this one until then.']],
    [['4'], { kind: 'PairStatus', props: null }, 'main', ['Pair status: not paired (the HA service hbd is not running; pairing is done in the web UI)']],
    [['1'], { kind: 'NetworkSetupEnded', code: 0, signal: null }, 'main', ['Network setup done.']],
    [['1'], { kind: 'NetworkSetupEnded', code: 69, signal: null }, 'main', ['Network setup: the network service (nicd) is not available.']],
    [['1'], { kind: 'NetworkSetupEnded', code: 130, signal: null }, 'main', ['Network setup interrupted.']],
    [['1'], { kind: 'NetworkSetupEnded', code: null, signal: 'SIGKILL' }, 'main', ['Network setup ended by SIGKILL.']],
    [['1'], { kind: 'Failed', message: 'spawn /x ENOENT' }, 'main', ['Cannot start the network setup: spawn /x ENOENT']],
    [['5', 'yes'], { kind: 'Started' }, 'ended', ['Rebooting lbmaster.']],
    [['5', 'yes'], { kind: 'Failed', message: 'not allowed by polkit (x)' }, 'main', ['Cannot reboot: not allowed by polkit (x)']],
    [['6', 'yes'], { kind: 'Started' }, 'ended', ['Shutting down lbmaster.']],
    [['7', 'reset'], { kind: 'Started' }, 'ended', ['Factory reset started: lbmaster removes its configuration and reboots (its journal says what was removed).']],
    [['7', 'reset'], { kind: 'Failed', message: 'org.freedesktop.systemd1 is not on the bus' }, 'main', ['Cannot start the factory reset: org.freedesktop.systemd1 is not on the bus']],
  ];
  for (const [typed, result, at, printed] of table) {
    const r = steps(MAIN, [...typed.map(line), done(result)]);
    t.is(r.state.at, at, `${typed.join(' ')} ${result.kind}`);
    t.deepEqual(r.print.slice(0, printed.length), printed, `${typed.join(' ')} ${result.kind}`);
    if (at === 'main') t.deepEqual(r.print.slice(printed.length), menuText(INFO), 'the menu again');
    t.is(r.prompt, at === 'main' ? CHOICE_PROMPT : null);
    t.is(r.effect, null);
  }
});

test('busy: typed lines and Ctrl-C do nothing until the effect is done', (t) => {
  const busy = menuStep(MAIN, line('4'), INFO).state;
  for (const e of [line('5'), { type: 'Interrupted' } as const, { type: 'InputEnded' } as const]) {
    t.deepEqual(menuStep(busy, e, INFO), { state: busy, print: [], prompt: null, effect: null });
  }
});
