/**
 * The console setup menu (login shell of the `setup` user), a pure state
 * machine: a line typed, the end of input, Ctrl-C or an effect's result in;
 * the text to print, the prompt and at most one effect out, as data. The
 * adapter (setup-menu.ts) runs the effect — a D-Bus call or a child program
 * on the tty — and feeds its result back.
 *
 *   main --1--------------------------------> busy(network-setup)  --result--> main
 *        --2--------------------------------> busy(read-password)  --result--> main
 *        --4--------------------------------> busy(pair-status)    --result--> main
 *        --3 | 5 | 6--> confirm --"yes"-----> busy(reset-password | reboot | power-off)
 *        --7----------> confirm --"reset"---> busy(factory-reset)
 *                       confirm --other / Ctrl-C--> main ("not done")
 *   busy(reboot | power-off | factory-reset) --started--> ended (the unit goes down)
 *                                            --failed---> main
 *   main --q / end of input--> ended;  Ctrl-C at main: the prompt again
 *
 * Nothing that stops the unit or removes anything runs without its confirm
 * word. The passwords are printed to the tty only (the adapter writes to
 * the terminal, never to a log).
 */
import { pairStatusLines } from './pair-status';

/** What the menu needs to know of the unit for its header. */
export interface MenuInfo {
  version: string;
  hostname: string;
}

export type ConfirmedAction = 'reset-password' | 'reboot' | 'power-off' | 'factory-reset';

export type Effect =
  /** setup-wizard as a child on the tty. */
  | { kind: 'RunNetworkSetup' }
  /** statusd InitialPassword(). */
  | { kind: 'ReadPassword' }
  /** statusd ResetAdminPassword(). */
  | { kind: 'ResetPassword' }
  /** hbd's properties (GetAll), or null when hbd is not on the bus. */
  | { kind: 'ReadPairStatus' }
  /** login1 Manager.Reboot(false). */
  | { kind: 'Reboot' }
  /** login1 Manager.PowerOff(false). */
  | { kind: 'PowerOff' }
  /** systemd StartUnit("lbos-factory-reset.service", "replace"). */
  | { kind: 'StartFactoryReset' };

export type EffectResult =
  | { kind: 'NetworkSetupEnded'; code: number | null; signal: string | null }
  /** The initial password (ReadPassword), or the new one (ResetPassword). */
  | { kind: 'Password'; password: string }
  /** ReadPassword: statusd says it was changed (PASSWORD_CHANGED). */
  | { kind: 'PasswordChanged' }
  | { kind: 'PairStatus'; props: Readonly<Record<string, unknown>> | null }
  /** Reboot, PowerOff or StartFactoryReset accepted. */
  | { kind: 'Started' }
  | { kind: 'Failed'; message: string };

export type MenuState =
  | { at: 'main' }
  | { at: 'confirm'; action: ConfirmedAction }
  | { at: 'busy'; effect: Effect['kind'] }
  | { at: 'ended' };

export type MenuEvent =
  | { type: 'Line'; text: string }
  /** Ctrl-D (or the tty went away). */
  | { type: 'InputEnded' }
  /** Ctrl-C. */
  | { type: 'Interrupted' }
  | { type: 'EffectDone'; result: EffectResult };

export interface Reply {
  state: MenuState;
  /** Lines to print, in order. */
  print: string[];
  /** The prompt to show after them (no newline), or null (an effect runs, or the menu ended). */
  prompt: string | null;
  effect: Effect | null;
}

export const CHOICE_PROMPT = 'Choice: ';

/** The word that confirms each action, and what is asked. */
const CONFIRM: Record<ConfirmedAction, { word: string; ask: (i: MenuInfo) => string[]; effect: Effect; notDone: string }> = {
  'reset-password': {
    word: 'yes',
    ask: () => [
      'Reset the web admin password: admin gets a new initial password, every admin session of the web UI ends,',
      'and the next login must choose a new password.',
    ],
    effect: { kind: 'ResetPassword' },
    notDone: 'The web admin password was not reset.',
  },
  reboot: { word: 'yes', ask: (i) => [`Reboot ${i.hostname} now? Its services stop; the peer takes over what this unit held.`], effect: { kind: 'Reboot' }, notDone: 'Not rebooted.' },
  'power-off': {
    word: 'yes',
    ask: (i) => [`Shut down ${i.hostname} now? It stays off until it is powered on again; the peer takes over what this unit held.`],
    effect: { kind: 'PowerOff' },
    notDone: 'Not shut down.',
  },
  'factory-reset': {
    word: 'reset',
    ask: (i) => [
      `Factory reset of ${i.hostname} removes this unit's configuration:`,
      '  network settings (/etc/lbos/network.conf), HA pairing (ha.cf, haresources, authkeys),',
      '  configuration sync (csyncd.cfg, its keys, the pinned peer keys, accounts),',
      '  the web UI users, password and certificate, and root\'s SSH authorized keys.',
      'Then it reboots as shipped, with a new initial web password on this console.',
    ],
    effect: { kind: 'StartFactoryReset' },
    notDone: 'No factory reset: nothing was removed.',
  },
};

export function menuText(i: MenuInfo): string[] {
  return [
    '',
    `LBOS load balancer ${i.version} - console setup (${i.hostname})`,
    '  1) Network setup',
    '  2) Show the web admin password',
    '  3) Reset the web admin password',
    '  4) Pair status',
    '  5) Reboot',
    '  6) Shut down',
    '  7) Factory reset',
    '  q) Log out',
  ];
}

const toMain = (i: MenuInfo, print: string[]): Reply => ({ state: { at: 'main' }, print: [...print, ...menuText(i)], prompt: CHOICE_PROMPT, effect: null });
const run = (effect: Effect, print: string[] = []): Reply => ({ state: { at: 'busy', effect: effect.kind }, print, prompt: null, effect });
const ended = (print: string[]): Reply => ({ state: { at: 'ended' }, print, prompt: null, effect: null });

export function menuStart(i: MenuInfo): Reply {
  return toMain(i, []);
}

export function menuStep(s: MenuState, e: MenuEvent, i: MenuInfo): Reply {
  switch (s.at) {
    case 'main':
      return onMain(e, i);
    case 'confirm':
      return onConfirm(s.action, e, i);
    case 'busy':
      // Lines typed while an effect runs are not choices (the adapter does not read then).
      return e.type === 'EffectDone' ? onDone(s.effect, e.result, i) : { state: s, print: [], prompt: null, effect: null };
    case 'ended':
      return ended([]);
  }
}

function onMain(e: MenuEvent, i: MenuInfo): Reply {
  switch (e.type) {
    case 'InputEnded':
      return ended(['Logged out.']);
    case 'Interrupted':
      return { state: { at: 'main' }, print: [''], prompt: CHOICE_PROMPT, effect: null };
    case 'EffectDone':
      return { state: { at: 'main' }, print: [], prompt: CHOICE_PROMPT, effect: null };
    case 'Line':
      break;
  }
  const choice = e.text.trim().toLowerCase();
  switch (choice) {
    case '':
      return toMain(i, []);
    case '1':
      return run({ kind: 'RunNetworkSetup' });
    case '2':
      return run({ kind: 'ReadPassword' });
    case '3':
      return confirm('reset-password', i);
    case '4':
      return run({ kind: 'ReadPairStatus' });
    case '5':
      return confirm('reboot', i);
    case '6':
      return confirm('power-off', i);
    case '7':
      return confirm('factory-reset', i);
    case 'q':
    case 'quit':
    case 'exit':
      return ended(['Logged out.']);
    default:
      return { state: { at: 'main' }, print: [`"${printable(e.text)}" is not a choice: type 1 to 7, or q to log out.`], prompt: CHOICE_PROMPT, effect: null };
  }
}

function confirm(action: ConfirmedAction, i: MenuInfo): Reply {
  const c = CONFIRM[action];
  return { state: { at: 'confirm', action }, print: c.ask(i), prompt: `Type ${c.word} to confirm (anything else cancels): `, effect: null };
}

function onConfirm(action: ConfirmedAction, e: MenuEvent, i: MenuInfo): Reply {
  const c = CONFIRM[action];
  switch (e.type) {
    case 'InputEnded':
      return ended([c.notDone, 'Logged out.']);
    case 'Interrupted':
    case 'EffectDone':
      return toMain(i, ['', c.notDone]);
    case 'Line':
      // The exact word, as typed (no case folding): a stray "Yes" from another prompt must not reset a unit.
      return e.text.trim() === c.word ? run(c.effect) : toMain(i, [c.notDone]);
  }
}

function onDone(effect: Effect['kind'], r: EffectResult, i: MenuInfo): Reply {
  if (r.kind === 'Failed') return toMain(i, [`${FAILED[effect]}: ${r.message}`]);
  switch (effect) {
    case 'RunNetworkSetup':
      return toMain(i, r.kind === 'NetworkSetupEnded' ? [networkSetupEnded(r.code, r.signal)] : []);
    case 'ReadPassword':
      if (r.kind === 'PasswordChanged') return toMain(i, ['The web admin password was changed by the administrator; choose 3 to reset it.']);
      return toMain(i, r.kind === 'Password' ? [`Web UI login: admin / ${r.password}`, '(the initial password: the first login asks for a new one)'] : []);
    case 'ResetPassword':
      return toMain(i, r.kind === 'Password'
        ? [`New web admin password: admin / ${r.password}`, 'Every admin session has ended; the first login asks for a new password. The console banner shows this one until then.']
        : []);
    case 'ReadPairStatus':
      return toMain(i, r.kind === 'PairStatus' ? pairStatusLines(r.props) : []);
    case 'Reboot':
      return ended([`Rebooting ${i.hostname}.`]);
    case 'PowerOff':
      return ended([`Shutting down ${i.hostname}.`]);
    case 'StartFactoryReset':
      return ended([`Factory reset started: ${i.hostname} removes its configuration and reboots (its journal says what was removed).`]);
  }
}

const FAILED: Record<Effect['kind'], string> = {
  RunNetworkSetup: 'Cannot start the network setup',
  ReadPassword: 'Cannot read the web admin password',
  ResetPassword: 'Cannot reset the web admin password',
  ReadPairStatus: 'Cannot read the pair status',
  Reboot: 'Cannot reboot',
  PowerOff: 'Cannot shut down',
  StartFactoryReset: 'Cannot start the factory reset',
};

/** setup-wizard's exit (services/nicd/README.md): 0 applied or declined, 1 input ended, 69 nicd unavailable, 130 Ctrl-C. */
function networkSetupEnded(code: number | null, signal: string | null): string {
  if (signal !== null) return `Network setup ended by ${signal}.`;
  switch (code) {
    case 0:
      return 'Network setup done.';
    case 1:
      return 'Network setup ended (input ended).';
    case 69:
      return 'Network setup: the network service (nicd) is not available.';
    case 130:
      return 'Network setup interrupted.';
    default:
      return `Network setup ended with exit code ${String(code)}.`;
  }
}

/** A typed line echoed back: control characters shown as "?", at most 40 characters. */
function printable(text: string): string {
  const t = text.replace(/[\x00-\x1f\x7f]/g, '?');
  return t.length > 40 ? `${t.slice(0, 40)}...` : t;
}
