/**
 * paneld: front-panel status (LCD through LCDd, LEDs, keypad menu) and the
 * console banner. Wiring only: config -> Panel (panel.ts) -> run.
 *   paneld [-c FILE]                 run in the foreground (Type=notify)
 *   paneld --check-config [-c FILE]  validate paneld.conf and the LED map, exit
 */
import { runService, type RunningService, type ServiceContext } from '../runtime/service';
import { DEFAULT_CONFIG_FILE, loadPaneldConfig, type PaneldConfig } from './config';
import { Panel } from './panel';

async function start(ctx: ServiceContext<PaneldConfig>): Promise<RunningService<PaneldConfig>> {
  const panel = new Panel({ config: ctx.config, log: ctx.log, bus: ctx.bus });
  await panel.start();
  ctx.notify.status('front panel running');
  return {
    reload: (next) => panel.reload(next),
    stop: () => panel.stop(),
    dump: () => panel.dump(),
  };
}

void runService<PaneldConfig>({
  name: 'paneld',
  summary: 'Front panel: status on the LCD (through LCDd), LEDs, keypad menu; the console banner (/etc/issue).\nFollows hbd, nicd, csyncd and statusd on D-Bus and publishes what it shows as com.lbos.Paneld.',
  options: { config: { type: 'string', short: 'c' } },
  optionsHelp: [`  -c, --config FILE   paneld.conf (default ${DEFAULT_CONFIG_FILE}; defaults when it does not exist)`],
  loadConfig: loadPaneldConfig,
  start,
  stopDeadlineMs: 5000,
});
