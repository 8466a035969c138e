/**
 * nicctl: the local nicd over D-Bus.
 *   nicctl show [--json]                  interfaces, generation, pending change
 *   nicctl apply FILE [--confirm-timeout SEC] [--dry-run] [--json]
 *   nicctl confirm | rollback             keep / undo the change waiting for confirmation
 *   nicctl config                         print the configuration in force
 */
import { readFile } from 'node:fs/promises';
import { runTool } from '../runtime/tool';
import { AppError, errorMessage, isAppError } from '../runtime/errors';
import { EXIT } from '../runtime/exit-codes';
import { stringOpt, type ParsedCli } from '../runtime/cli';
import { parseIntInRange } from '../runtime/config/values';
import { callMember, connectSystemBus, getServiceProxy, type ServiceProxy } from '../runtime/dbus';
import { parseNetworkConfig } from '../runtime/netconf/parse';
import { DEFAULT_CONFIRM_TIMEOUT_SEC, MAX_CONFIRM_TIMEOUT_SEC } from './adapters/dbus-api';
import { renderApply, renderShow } from './show-view';
import type { NicdStatusView } from './publish';

const USAGE = `Usage: nicctl COMMAND [options]
Commands:
  show                 interfaces (state, carrier, MTU, speed, addresses), config generation, pending change
  apply FILE           validate FILE and apply it through nicd (only what differs is changed)
  confirm              keep the change that is waiting for confirmation (and save it)
  rollback             undo the change that is waiting for confirmation, now
  config               print the configuration in force (with its generation line)
Options:
  --json                   machine-readable output (show, apply)
  --confirm-timeout SEC    apply: roll back unless confirmed within SEC seconds (0 = apply and save now).
                           Default: ${DEFAULT_CONFIRM_TIMEOUT_SEC} when run over SSH ($SSH_CONNECTION set), else 0.
  --dry-run                apply: validate and list the changes, change nothing
  -h, --help  this text; --version the version
Exit codes: 0 ok, 1 failed, 2 refused by nicd (pending change, kernel lacks a feature, missing interface...),
64 usage, 65 FILE unreadable, 69 nicd not running or bus unavailable, 78 invalid configuration.
The bus comes from DBUS_SYSTEM_BUS_ADDRESS (the system bus when unset).`;

/** Codes with which nicd refuses a request without changing anything. */
const REFUSALS = new Set(['PENDING_CONFIRMATION', 'NOT_PENDING', 'BUSY', 'GENERATION_CONFLICT', 'KERNEL_NO_VLAN', 'KERNEL_NO_BOND', 'IFACE_MISSING', 'LINK_CONFLICT', 'MTU_UNSUPPORTED', 'INVALID_ARGUMENT']);

function confirmTimeout(cli: ParsedCli): number {
  const given = stringOpt(cli, 'confirm-timeout');
  if (given === undefined) return process.env.SSH_CONNECTION ? DEFAULT_CONFIRM_TIMEOUT_SEC : 0;
  const v = parseIntInRange(given, 0, MAX_CONFIRM_TIMEOUT_SEC);
  if (!v.ok) throw new AppError('USAGE', `--confirm-timeout: ${v.message}`);
  return v.value;
}

async function readInput(file: string): Promise<string> {
  try {
    return await readFile(file, 'utf8');
  } catch (err) {
    throw new AppError('UNREADABLE', `cannot read ${file}: ${errorMessage(err)}`);
  }
}

async function command(cmd: string, cli: ParsedCli, input: string | null, nicd: ServiceProxy, out: NodeJS.WritableStream): Promise<number> {
  const json = cli.values.json === true;
  switch (cmd) {
    case 'show': {
      const view = JSON.parse((await callMember(nicd.iface, 'Status')) as string) as NicdStatusView;
      out.write(json ? `${JSON.stringify(view, null, 2)}\n` : renderShow(view, Date.now()));
      return EXIT.OK;
    }
    case 'apply': {
      const text = input ?? '';
      if (cli.values['dry-run'] === true) {
        const steps = (await callMember(nicd.iface, 'Plan', text)) as string[];
        out.write(json ? `${JSON.stringify({ steps }, null, 2)}\n` : renderApply({ generation: 0, steps, pending: false, pendingUntilWallMs: 0 }, Date.now(), true));
        return EXIT.OK;
      }
      const [generation, steps, pending, until] = (await callMember(nicd.iface, 'Apply', text, confirmTimeout(cli))) as [number, string[], boolean, bigint];
      const reply = { generation, steps, pending, pendingUntilWallMs: Number(until) };
      out.write(json ? `${JSON.stringify(reply, null, 2)}\n` : renderApply(reply, Date.now()));
      return EXIT.OK;
    }
    case 'confirm':
      out.write(`generation ${String(await callMember(nicd.iface, 'Confirm'))} confirmed and saved\n`);
      return EXIT.OK;
    case 'rollback':
      out.write(`rolled back: generation ${String(await callMember(nicd.iface, 'Rollback'))} is in force\n`);
      return EXIT.OK;
    case 'config': {
      const [, text] = (await callMember(nicd.iface, 'GetConfig')) as [number, string];
      out.write(text);
      return EXIT.OK;
    }
    default:
      throw new AppError('USAGE', `unknown command "${cmd}"`);
  }
}

void runTool({
  name: 'nicctl',
  usage: USAGE,
  options: { json: { type: 'boolean' }, 'confirm-timeout': { type: 'string' }, 'dry-run': { type: 'boolean' } },
  run: async (cli, out) => {
    const cmd = cli.positionals[0];
    if (cmd === undefined) throw new AppError('USAGE', 'missing command (show, apply, confirm, rollback, config)');
    const maxArgs = cmd === 'apply' ? 2 : 1;
    if (cli.positionals.length > maxArgs) throw new AppError('USAGE', `unexpected argument "${cli.positionals[maxArgs] ?? ''}"`);
    try {
      let input: string | null = null;
      if (cmd === 'apply') {
        const file = cli.positionals[1];
        if (file === undefined) throw new AppError('USAGE', 'apply needs a FILE');
        input = await readInput(file);
        parseNetworkConfig(input, file); // every problem with this file's name and lines, before nicd is asked
      }
      const bus = await connectSystemBus();
      try {
        return await command(cmd, cli, input, await getServiceProxy(bus, 'nicd'), out);
      } finally {
        bus.disconnect();
      }
    } catch (err) {
      if (isAppError(err, 'UNREADABLE')) {
        process.stderr.write(`nicctl: ${err.message}\n`);
        return EXIT.DATA;
      }
      if (isAppError(err) && REFUSALS.has(err.code)) {
        process.stderr.write(`nicctl: ${err.message} (${err.code})\n`);
        return EXIT.REFUSED;
      }
      throw err;
    }
  },
});
