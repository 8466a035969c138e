/**
 * simkit: the simulation kit by hand.
 *   simkit up      build a pair, print its description as JSON, keep it until Ctrl-C
 *   simkit clean   remove leftovers of crashed runs
 *   simkit list    list namespaces that look like ours
 */
import { SimPair } from './sim/pair';
import { cleanLeftovers, simNamespaces } from './sim/registry';
import { runTool } from '../services/runtime/tool';
import { AppError } from '../services/runtime/errors';
import { EXIT } from '../services/runtime/exit-codes';

const USAGE = `Usage: simkit up|clean|list
  up      create two units (network namespaces, veth, socat serial cable, private D-Bus) and wait
  clean   remove namespaces/processes left by simulations whose owner died
  list    show simulation namespaces`;

void runTool({
  name: 'simkit',
  usage: USAGE,
  options: {},
  run: async (cli, out) => {
    const cmd = cli.positionals[0];
    if (cmd === 'clean') {
      out.write(`removed ${cleanLeftovers()} leftover set(s)\n`);
      return EXIT.OK;
    }
    if (cmd === 'list') {
      out.write(simNamespaces().join('\n') + '\n');
      return EXIT.OK;
    }
    if (cmd !== 'up') throw new AppError('USAGE', `unknown command "${cmd ?? ''}"`);
    const pair = await SimPair.create();
    out.write(JSON.stringify({ id: pair.id, dir: pair.dir, lanNs: pair.lanNs, units: pair.units }) + '\n');
    await new Promise<void>((resolve) => {
      process.once('SIGINT', resolve);
      process.once('SIGTERM', resolve);
    });
    pair.teardown();
    return EXIT.OK;
  },
});
