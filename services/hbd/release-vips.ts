/**
 * `hbd --release-vips`: remove the floating IPs of haresources from this
 * unit. systemd runs it after hbd stops for any reason (ExecStopPost), so a
 * crashed hbd never leaves a VIP that the peer is about to take.
 */
import { runTool } from '../runtime/tool';
import { EXIT } from '../runtime/exit-codes';
import type { ParsedCli } from '../runtime/cli';
import type { LoadedConfig } from '../runtime/service';
import type { HbdConfig } from './load';
import { presentVips, removeVip, vipLabel, type Vip } from './adapters/vip';
import { resolveVips } from './wiring';

export function runReleaseVips(load: (cli: ParsedCli) => Promise<LoadedConfig<HbdConfig>>): Promise<void> {
  return runTool({
    name: 'hbd',
    usage: 'Usage: hbd --release-vips [-c DIR] [--node NAME]\nRemove this unit\'s floating IPs (from haresources) and exit.',
    options: { config: { type: 'string', short: 'c' }, node: { type: 'string' }, 'release-vips': { type: 'boolean' }, 'state-dir': { type: 'string' } },
    run: async (cli, out) => {
      const { config } = await load(cli);
      const vips: Vip[] = await resolveVips(config);
      for (const v of await presentVips(vips)) {
        await removeVip(v);
        out.write(`removed ${vipLabel(v)}\n`);
      }
      return EXIT.OK;
    },
  });
}
