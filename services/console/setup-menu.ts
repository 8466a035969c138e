/**
 * setup-menu: the console setup menu, login shell of the `setup` user
 * (console only: sshd denies it). Network setup (setup-wizard as a child),
 * the web admin password (show, reset), pair status, reboot, shut down,
 * factory reset. The logic is core/menu.ts; this file reads lines, prints
 * replies and runs effects (adapters/system.ts).
 *
 * Writes to the terminal only: no log, so the passwords it prints never
 * reach the journal. Ctrl-C returns to the menu (cancels a question);
 * Ctrl-D or q logs out.
 *
 * Exit codes: 0 logged out (or the unit goes down), 64 usage, 69 no system bus.
 */
import * as os from 'node:os';
import * as path from 'node:path';
import { connectSystemBus, type MessageBus } from '../runtime/dbus';
import { firmwareVersion, repoRoot, versionLine } from '../runtime/cli';
import { errorMessage } from '../runtime/errors';
import { EXIT } from '../runtime/exit-codes';
import { menuStart, menuStep, type MenuEvent, type MenuInfo, type MenuState, type Reply } from './core/menu';
import { LineReader } from '../runtime/line-reader';
import { runEffect } from './adapters/system';

const USAGE = `Usage: setup-menu [--wizard PATH] | --help | --version
The console setup menu, login shell of the "setup" user: network setup, show or
reset the web admin password, pair status, reboot, shut down, factory reset.
  --wizard PATH   the network setup wizard to run (default: setup-wizard beside this program)
`;

const write = (text: string): void => void process.stdout.write(text);

function show(r: Reply): void {
  if (r.print.length > 0) write(`${r.print.join('\n')}\n`);
  if (r.prompt !== null) write(r.prompt);
}

async function run(bus: MessageBus, wizard: string): Promise<void> {
  const info: MenuInfo = { version: firmwareVersion(), hostname: os.hostname() };
  const lines = new LineReader(process.stdin);
  let state: MenuState;
  let childRuns = false;
  // One queue of events: lines and Ctrl-C, whichever comes first.
  let interrupted: (() => void) | null = null;
  process.on('SIGINT', () => {
    if (childRuns) return; // the wizard has it (same process group)
    lines.dropPartial();
    interrupted?.();
  });
  const deps = {
    bus,
    wizard,
    tty: {
      pause: () => {
        childRuns = true;
        lines.pause();
      },
      resume: () => {
        childRuns = false;
        lines.resume();
      },
    },
  };
  let reply = menuStart(info);
  for (;;) {
    show(reply);
    state = reply.state;
    if (state.at === 'ended') return;
    let event: MenuEvent;
    if (reply.effect !== null) {
      event = { type: 'EffectDone', result: await runEffect(deps, reply.effect) };
    } else {
      event = await new Promise<MenuEvent>((resolve) => {
        interrupted = () => resolve({ type: 'Interrupted' });
        void lines.next().then((line) => resolve(line === null ? { type: 'InputEnded' } : { type: 'Line', text: line }));
      });
      interrupted = null;
    }
    reply = menuStep(state, event, info);
  }
}

function main(argv: readonly string[]): void {
  let wizard = path.join(repoRoot(), 'bin', 'setup-wizard');
  for (let k = 0; k < argv.length; k++) {
    const a = argv[k];
    if (a === '--help' || a === '-h') return void write(USAGE);
    if (a === '--version') return void write(`${versionLine('setup-menu')}\n`);
    if (a === '--wizard' && argv[k + 1] !== undefined) {
      wizard = argv[++k] ?? wizard;
      continue;
    }
    process.stderr.write(`setup-menu: unexpected argument '${a ?? ''}'\n${USAGE}`);
    process.exitCode = EXIT.USAGE;
    return;
  }
  void (async () => {
    let code: number = EXIT.OK;
    let bus: MessageBus | null = null;
    try {
      bus = await connectSystemBus();
      await run(bus, wizard);
    } catch (err) {
      write(`The system bus is not available: ${errorMessage(err)}\n`);
      code = EXIT.UNAVAILABLE;
    }
    bus?.disconnect();
    process.exitCode = code;
    setImmediate(() => process.exit(code));
  })();
}

main(process.argv.slice(2));
