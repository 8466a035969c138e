/**
 * panelctl: what the front panel shows, through paneld's D-Bus interface.
 *   panelctl show [--json]   LCD rows, LEDs, alerts, banner file
 *   panelctl banner          the console banner text
 *   panelctl key KEY         press Up|Down|Left|Right|Enter|Escape as on the keypad
 */
import { runTool } from '../runtime/tool';
import { callMember, connectSystemBus, getServiceProxy } from '../runtime/dbus';
import { AppError } from '../runtime/errors';
import { EXIT } from '../runtime/exit-codes';
import { PANEL_KEYS } from './adapters/dbus-api';
import { boxed } from './panelctl-format';

const USAGE = `Usage: panelctl show [--json] | banner | key ${PANEL_KEYS.join('|')}
Shows what paneld puts on the front panel (LCD rows, LEDs, alerts) and the console banner.
Exit codes: 0 ok, 64 usage, 69 paneld not on the bus.`;

void runTool({
  name: 'panelctl',
  usage: USAGE,
  options: { json: { type: 'boolean' } },
  run: async (cli, out) => {
    const [cmd, arg, ...extra] = cli.positionals;
    if (cmd === undefined || extra.length > 0 || !['show', 'banner', 'key'].includes(cmd)) throw new AppError('USAGE', 'which command? (show, banner, key)');
    if (cmd === 'key' && (arg === undefined || !(PANEL_KEYS as readonly string[]).includes(arg))) throw new AppError('USAGE', `which key? (${PANEL_KEYS.join(' ')})`);
    const bus = await connectSystemBus();
    try {
      const paneld = await getServiceProxy(bus, 'paneld');
      if (cmd === 'key') {
        await callMember(paneld.iface, 'PressKey', arg);
        return EXIT.OK;
      }
      const p = await paneld.getAll();
      if (cmd === 'banner') {
        out.write(String(p.Banner ?? ''));
        return EXIT.OK;
      }
      if (cli.values.json === true) {
        out.write(`${JSON.stringify(p, (_k, v: unknown) => (typeof v === 'bigint' ? Number(v) : v), 2)}\n`);
        return EXIT.OK;
      }
      const rows = (p.Lcd as string[] | undefined) ?? [];
      const size = String(p.LcdSize ?? '');
      out.write(`LCD ${size === '' ? '(LCDd not connected)' : size} ${String(p.Mode ?? '')}\n${boxed(rows).join('\n')}\n`);
      const leds = (p.Leds as [string, string, string, string][] | undefined) ?? [];
      out.write(leds.length === 0 ? 'LEDs: none configured\n' : `LEDs:\n${leds.map(([r, l, s, d]) => `  ${r.padEnd(7)}${l.padEnd(24)}${s}${d === '' ? '' : ` (${d})`}`).join('\n')}\n`);
      const alerts = (p.Alerts as [string, string, string][] | undefined) ?? [];
      out.write(alerts.length === 0 ? 'Alerts: none\n' : `Alerts:\n${alerts.map(([s, t, d]) => `  ${s.padEnd(6)}${t}: ${d}`).join('\n')}\n`);
      out.write(`Banner: ${String(p.BannerFile ?? '') || 'off'}\n`);
      return EXIT.OK;
    } finally {
      bus.disconnect();
    }
  },
});
