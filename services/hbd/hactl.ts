/**
 * hactl: status and manual failover of the local hbd over D-Bus.
 *   hactl status [--json]   Master|Slave Active|Passive Link, peer, links, resources
 *   hactl standby           give the resources to the peer (hb_standby)
 *   hactl takeover          take the resources from the peer (hb_takeover)
 *   hactl pair PEER --vip A  pair this unit with PEER in one step (paird); hactl unpair
 */
import { runTool } from '../runtime/tool';
import { AppError } from '../runtime/errors';
import { EXIT } from '../runtime/exit-codes';
import { callMember, connectSystemBus, getServiceProxy } from '../runtime/dbus';
import { renderStatus, type StatusView } from './status-view';
import { planManual } from './manual-plan';
import { pairCommand, unpairCommand } from './ctl/pair-command';

const USAGE = `Usage: hactl COMMAND [--json]
Commands:
  status      show this unit's HA state: Master|Slave, Active|Passive, Link, peer, links, resources
  standby     hand the floating IPs and resources to the peer (like hb_standby)
  takeover    take the floating IPs and resources from the peer (like hb_takeover)
  restart-pair  restart hbd on both units: the peer first, then this one
                (like the appliance's "Restart Heartbeat"; a short outage)
  pair PEER_ADDRESS --vip ADDRESS [--vip ...]
              pair this unit with another one in one step: shows the peer's
              certificate fingerprint to confirm (as ssh does), asks the peer's
              admin password, writes ha.cf, haresources, authkeys and
              csyncd.cfg on both units, starts hbd and csyncd, and waits until
              each unit hears the other on every medium (paird)
  unpair      undo the pairing on both units (asks the peer's admin password): hbd and
              csyncd stop, the pairing's files are set aside; --local-only: this unit
              only (the peer is gone)
Options:
  --json      machine-readable status
  --vip ADDRESS[/PREFIX]   a floating IP (pair; repeatable)
  --ping-node ADDRESS|none the ping node (pair; default: the gateway both units share)
  --no-serial              no serial link even where both units have the port
  --fingerprint SHA256:..  the peer certificate's fingerprint, confirmed beforehand (no question)
  --password-file FILE     the peer's admin password, first line (else asked with no echo)
  --local-only             unpair this unit only
  -h, --help  this text; --version the version
standby on the passive unit and takeover on the active one change nothing:
they say so and exit 0 without asking hbd (as hb_standby/hb_takeover do).
Exit codes: 0 ok (also "nothing to do"), 2 refused (standby while the peer is
dead, any request while hbd is still in init), 64 usage, 69 hbd not running or
bus unavailable, 1 failure.
The bus comes from DBUS_SYSTEM_BUS_ADDRESS (the system bus when unset).`;

void runTool({
  name: 'hactl',
  usage: USAGE,
  options: {
    json: { type: 'boolean' }, vip: { type: 'string', multiple: true }, 'ping-node': { type: 'string' }, 'no-serial': { type: 'boolean' },
    fingerprint: { type: 'string' }, 'password-file': { type: 'string' }, 'local-only': { type: 'boolean' },
  },
  run: async (cli, out) => {
    const cmd = cli.positionals[0];
    if (cmd === 'pair' || cmd === 'unpair') {
      if (cmd === 'unpair' && cli.positionals.length > 1) throw new AppError('USAGE', `unexpected argument "${cli.positionals[1] ?? ''}"`);
      if (cmd === 'pair' && cli.positionals.length > 2) throw new AppError('USAGE', `unexpected argument "${cli.positionals[2] ?? ''}"`);
      const bus = await connectSystemBus();
      try {
        return cmd === 'pair' ? await pairCommand(cli, out, bus) : await unpairCommand(cli, out, bus);
      } finally {
        bus.disconnect();
      }
    }
    if (cmd === undefined) throw new AppError('USAGE', 'missing command (status, standby, takeover, restart-pair, pair, unpair)');
    const methods: Record<string, string> = { standby: 'Standby', takeover: 'Takeover', 'restart-pair': 'RestartPair' };
    if (cmd !== 'status' && methods[cmd] === undefined) throw new AppError('USAGE', `unknown command "${cmd}"`);
    if (cli.positionals.length > 1) throw new AppError('USAGE', `unexpected argument "${cli.positionals[1] ?? ''}"`);
    const bus = await connectSystemBus();
    try {
      const hbd = await getServiceProxy(bus, 'hbd');
      const status = async (): Promise<StatusView> => JSON.parse((await callMember(hbd.iface, 'Status')) as string) as StatusView;
      if (cmd === 'status') {
        const view = await status();
        out.write(cli.values.json === true ? `${JSON.stringify(view, null, 2)}\n` : renderStatus(view));
        return EXIT.OK;
      }
      if (cmd === 'standby' || cmd === 'takeover') {
        const plan = planManual(cmd, await status());
        if (plan.kind === 'refused') {
          process.stderr.write(`hactl: ${plan.message}\n`);
          return EXIT.REFUSED;
        }
        if (plan.kind === 'send') await callMember(hbd.iface, methods[cmd] ?? '');
        out.write(`${plan.message}\n`);
        return EXIT.OK;
      }
      await callMember(hbd.iface, methods[cmd] ?? '');
      out.write(`${cmd} requested\n`);
      return EXIT.OK;
    } finally {
      bus.disconnect();
    }
  },
});
