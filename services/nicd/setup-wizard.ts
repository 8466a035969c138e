/**
 * setup-wizard: the console network set up (login program of the `setup`
 * user). Asks the management interface's IPv4 address, the default gateway
 * and DNS servers, shows a summary with the web UI URLs, and applies through
 * nicd. Reads plain lines from a cooked terminal: the tty echoes and edits,
 * Ctrl-D ends input, Ctrl-C interrupts; nothing is applied unless confirmed.
 * Over SSH the change is applied with a confirmation window like nicctl's.
 *
 * Exit codes: 0 applied (or declined with q), 1 input ended (Ctrl-D),
 * 69 nicd unavailable, 130 interrupted (Ctrl-C). When nicd refuses the
 * change the wizard says why and starts again.
 */
import { callMember, connectSystemBus, getServiceProxy, type MessageBus, type ServiceProxy } from '../runtime/dbus';
import { ConfigError } from '../runtime/config/problems';
import { errorMessage } from '../runtime/errors';
import { EXIT } from '../runtime/exit-codes';
import { versionLine } from '../runtime/cli';
import { LineReader } from '../runtime/line-reader';
import { parseNetworkConfig } from '../runtime/netconf/parse';
import { renderConfig } from '../runtime/netconf/render';
import type { NetConfig } from '../runtime/netconf/types';
import { applyWizardSettings } from './config/wizard-edit';
import { wizardApplied, wizardApplyFailed, wizardInput, wizardStart, type WizardReply, type WizardSettings, type WizardState } from './core/wizard';
import { DEFAULT_CONFIRM_TIMEOUT_SEC } from './adapters/dbus-api';

const write = (text: string): void => void process.stdout.write(text);

function show(r: WizardReply): void {
  if (r.print.length > 0) write(`${r.print.join('\n')}\n`);
  if (r.prompt !== null) write(r.prompt);
}

function newConfigText(base: NetConfig, w: WizardSettings): { text: string; dropped: string[] } {
  const edit = applyWizardSettings(base, w);
  const text = renderConfig(edit.config, [`Written by setup-wizard on ${new Date().toISOString()}.`]);
  return { text, dropped: edit.droppedRoutes };
}

function checkSettings(base: NetConfig, w: WizardSettings): string | null {
  try {
    parseNetworkConfig(newConfigText(base, w).text, 'new configuration');
    return null;
  } catch (err) {
    // Line numbers of a file the operator never saw would only confuse.
    return err instanceof ConfigError ? err.problems.map((p) => p.message.replace(/ \(line \d+\)| on line \d+/g, '')).join('; ') : errorMessage(err);
  }
}

/** Apply through nicd; over SSH, keep only on confirmation. Returns the generation. */
async function applySettings(nicd: ServiceProxy, text: string, input: LineReader): Promise<number> {
  const overSsh = process.env.SSH_CONNECTION !== undefined && process.env.SSH_CONNECTION !== '';
  const [generation, , pending] = (await callMember(nicd.iface, 'Apply', text, overSsh ? DEFAULT_CONFIRM_TIMEOUT_SEC : 0)) as [number, string[], boolean, bigint];
  if (!pending) return generation;
  write(`\nYou are connected over the network: the change is rolled back in ${DEFAULT_CONFIRM_TIMEOUT_SEC} s unless you keep it.\nKeep the new settings? (y/n) : `);
  const answer = (await input.next())?.trim().toLowerCase();
  if (answer === 'y' || answer === 'yes') return (await callMember(nicd.iface, 'Confirm')) as number;
  await callMember(nicd.iface, 'Rollback');
  throw new Error('rolled back at your request');
}

async function run(bus: MessageBus): Promise<number> {
  let nicd: ServiceProxy;
  let iface: string;
  let base: NetConfig;
  try {
    nicd = await getServiceProxy(bus, 'nicd');
    iface = String((await nicd.getAll()).ManagementInterface ?? '');
    const [, text] = (await callMember(nicd.iface, 'GetConfig')) as [number, string];
    base = parseNetworkConfig(text, 'configuration in force').config;
  } catch (err) {
    write(`The network service (nicd) is not available: ${errorMessage(err)}\nNothing was changed.\n`);
    return EXIT.UNAVAILABLE;
  }
  if (iface === '') {
    write('No network interface was found on this appliance. Nothing was changed.\n');
    return EXIT.FAILURE;
  }
  const input = new LineReader(process.stdin);
  const ctx = {
    check: (w: WizardSettings) => checkSettings(base, w),
    notes: (w: WizardSettings) => newConfigText(base, w).dropped.map((r) => `Static route ${r} is dropped: its next hop is off the new subnet.`),
  };
  let [state, reply]: [WizardState, WizardReply] = wizardStart(iface);
  for (;;) {
    show(reply);
    if (reply.exit !== undefined) return reply.exit === 'eof' ? EXIT.FAILURE : EXIT.OK;
    if (reply.apply !== undefined) {
      applying = true;
      try {
        const generation = await applySettings(nicd, newConfigText(base, reply.apply).text, input);
        [state, reply] = wizardApplied(state, generation);
      } catch (err) {
        [state, reply] = wizardApplyFailed(state, errorMessage(err));
      } finally {
        applying = false;
      }
      continue;
    }
    [state, reply] = wizardInput(state, await input.next(), ctx);
  }
}

let applying = false;

process.on('SIGINT', () => {
  if (applying) {
    write('\n(applying; please wait)\n');
    return;
  }
  write('\nInterrupted: nothing was changed.\n');
  process.exit(130);
});

const USAGE = `Usage: setup-wizard [--help | --version]
The console network setup wizard: management interface, address, gateway, DNS,
hostname; applied by nicd with a confirmation (the old settings come back if the
new ones are not confirmed). The login shell of the "setup" user.
`;

/** --help / --version, or null to run the wizard; anything else is a usage error. */
function commandLine(args: readonly string[]): { out: string; code: number } | null {
  if (args.length === 0) return null;
  if (args.length === 1 && (args[0] === '--help' || args[0] === '-h')) return { out: USAGE, code: EXIT.OK };
  if (args.length === 1 && args[0] === '--version') return { out: `${versionLine('setup-wizard')}\n`, code: EXIT.OK };
  return { out: `setup-wizard: unexpected argument '${args[0] ?? ''}'\n${USAGE}`, code: EXIT.USAGE };
}

const cli = commandLine(process.argv.slice(2));
if (cli !== null) {
  (cli.code === EXIT.OK ? process.stdout : process.stderr).write(cli.out);
  process.exitCode = cli.code;
} else void (async () => {
  let bus: MessageBus | null = null;
  let code: number = EXIT.FAILURE;
  try {
    bus = await connectSystemBus();
    code = await run(bus);
  } catch (err) {
    write(`The network service (nicd) is not available: ${errorMessage(err)}\nNothing was changed.\n`);
    code = EXIT.UNAVAILABLE;
  }
  bus?.disconnect();
  process.exitCode = code;
  setImmediate(() => process.exit(code));
})();
