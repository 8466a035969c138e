/**
 * paneld's running state: the input read from the bus, the menu, and the
 * outputs (LCD through LCDd, LEDs, banner file, D-Bus object). Every change
 * goes through render(), which computes the view (core/panel-view.ts) and
 * hands it to each output; the outputs send only what changed.
 */
import * as os from 'node:os';
import type { MessageBus, ExportedObject } from '../runtime/dbus';
import type { Logger } from '../runtime/log';
import { firmwareVersion } from '../runtime/cli';
import { errorMessage } from '../runtime/errors';
import type { PaneldConfig } from './config';
import { CLOSED, menuStep, type Menu, type MenuAction, type MenuEvent } from './core/menu';
import { HA_NOT_RUNNING, NET_NOT_RUNNING, SYNC_NOT_RUNNING, haFromProps, netFromProps, syncFromProps, type PanelInput } from './core/panel-input';
import { panelView, type PanelView } from './core/panel-view';
import { fitScreen } from './core/screen-diff';
import type { Size } from './core/screens';
import { LcdprocClient, type DisplayInfo } from './adapters/lcdproc-client';
import { LcdScreens } from './adapters/lcd-screens';
import { LedDriver } from './adapters/led-driver';
import { BannerFile } from './adapters/banner-file';
import { ServiceFollower } from './adapters/follow-service';
import { exportPaneld, PANEL_KEYS, type PaneldProperties } from './adapters/dbus-api';
import { readGateway, runAction } from './adapters/actions';

/** Re-render this often: page turns, menu idle timeout, keep countdown, uptime. */
const TICK_MS = 500;
/** Size assumed (for the D-Bus view) until LCDd says what it has. */
const DEFAULT_SIZE: Size = { width: 20, height: 4 };
const SCREEN_ID = 'lbos';

export interface PanelDeps {
  config: PaneldConfig;
  log: Logger;
  bus: MessageBus;
  now?: () => number;
}

export class Panel {
  private config: PaneldConfig;
  private readonly log: Logger;
  private readonly bus: MessageBus;
  private readonly now: () => number;
  private input: PanelInput;
  private menu: Menu = CLOSED;
  private size: Size | null = null;
  private view: PanelView | null = null;
  private lcd: LcdprocClient | null = null;
  private screens: LcdScreens | null = null;
  private leds: LedDriver;
  private banner: BannerFile | null;
  private exported: ExportedObject | null = null;
  private followers: ServiceFollower[] = [];
  private timer: NodeJS.Timeout | null = null;
  private nicdGeneration = -1;
  private gateway: string | null = null;
  private lastNicd: Record<string, unknown> | null = null;

  constructor(deps: PanelDeps) {
    this.config = deps.config;
    this.log = deps.log;
    this.bus = deps.bus;
    this.now = deps.now ?? Date.now;
    this.input = this.baseInput();
    this.leds = new LedDriver(this.config.ledRoot, this.config.ledMap, this.log.child({ part: 'leds' }));
    this.banner = this.makeBanner();
  }

  async start(): Promise<void> {
    this.exported = exportPaneld(this.bus, this.properties(), {
      pressKey: (key) => this.event({ type: 'Key', key, now: this.now() }),
      statusJson: () => JSON.stringify(this.dump()),
    });
    this.followers = [
      new ServiceFollower(this.bus, 'hbd', this.log, (p) => this.setInput({ ha: p === null ? HA_NOT_RUNNING : haFromProps(p) })),
      new ServiceFollower(this.bus, 'nicd', this.log, (p) => this.onNicd(p)),
      new ServiceFollower(this.bus, 'csyncd', this.log, (p) => this.setInput({ sync: p === null ? SYNC_NOT_RUNNING : syncFromProps(p) })),
    ];
    for (const f of this.followers) await f.start();
    this.startLcd();
    this.timer = setInterval(() => this.tick(), TICK_MS);
    this.render();
  }

  async stop(): Promise<void> {
    if (this.timer !== null) clearInterval(this.timer);
    for (const f of this.followers) f.stop();
    await this.lcd?.stop();
    this.exported?.unexport();
  }

  async reload(next: PaneldConfig): Promise<void> {
    const lcdChanged = next.lcd !== this.config.lcd || next.lcdprocHost !== this.config.lcdprocHost || next.lcdprocPort !== this.config.lcdprocPort;
    this.config = next;
    this.leds = new LedDriver(next.ledRoot, next.ledMap, this.log.child({ part: 'leds' }));
    this.banner = this.makeBanner();
    this.input = { ...this.baseInput(), ha: this.input.ha, net: this.input.net, sync: this.input.sync };
    if (lcdChanged) {
      await this.lcd?.stop();
      this.lcd = null;
      this.screens = null;
      this.size = null;
      this.startLcd();
    }
    this.render();
  }

  dump(): unknown {
    return { input: this.input, menu: this.menu, size: this.size, view: this.view, lcdConnected: this.lcd?.connected ?? false };
  }

  private baseInput(): PanelInput {
    return {
      product: 'LBOS',
      version: firmwareVersion(),
      hostname: this.config.hostname ?? os.hostname(),
      uptimeS: os.uptime(),
      webPort: this.config.webPort,
      expected: this.config.expect,
      ha: this.input?.ha ?? HA_NOT_RUNNING,
      net: this.input?.net ?? NET_NOT_RUNNING,
      sync: this.input?.sync ?? SYNC_NOT_RUNNING,
    };
  }

  private makeBanner(): BannerFile | null {
    if (!this.config.banner) return null;
    return new BannerFile(this.config.bannerFile, (err) => this.log.warn({ err, file: this.config.bannerFile }, 'cannot write the console banner'));
  }

  private startLcd(): void {
    if (!this.config.lcd) return;
    const log = this.log.child({ part: 'lcd' });
    const lcd = new LcdprocClient({ host: this.config.lcdprocHost, port: this.config.lcdprocPort, clientName: 'paneld' }, {
      onConnect: async (d) => this.onLcdConnect(d),
      onDisconnect: (err) => {
        log.warn({ err }, 'lost LCDd; reconnecting');
        this.screens?.disconnected();
        this.publish();
      },
      onConnectFailed: (err, attempt, retryMs) => {
        if (attempt === 1) log.warn({ err: errorMessage(err), retryMs }, 'LCDd not reachable; retrying with backoff');
        else log.debug({ attempt, retryMs }, 'LCDd still not reachable');
      },
      onKey: (key) => this.event({ type: 'Key', key, now: this.now() }),
      onBadLine: (v) => log.warn({ reason: v.reason, line: v.line }, 'ignored a line from LCDd'),
      onError: (err) => log.warn({ err }, 'LCDd setup failed; reconnecting'),
    });
    this.lcd = lcd;
    this.screens = new LcdScreens(lcd, (err) => log.warn({ err }, 'LCD update failed'));
    lcd.start();
  }

  private async onLcdConnect(d: DisplayInfo): Promise<void> {
    this.log.info({ width: d.width, height: d.height, server: d.serverVersion }, 'connected to LCDd');
    this.size = { width: d.width, height: d.height };
    // Keys another client holds exclusively leave the menu without keys, not the panel without a screen.
    await this.lcd?.clientAddKey(PANEL_KEYS).catch((err: unknown) => this.log.warn({ err }, 'LCDd refused the keypad keys; the menu is reachable through panelctl key only'));
    this.render();
    await this.screens?.reset(d);
  }

  private onNicd(p: Record<string, unknown> | null): void {
    this.lastNicd = p;
    if (p === null) {
      this.nicdGeneration = -1;
      this.setInput({ net: NET_NOT_RUNNING });
      return;
    }
    this.setInput({ net: netFromProps(p, this.gateway) });
    const gen = typeof p.Generation === 'number' ? p.Generation : 0;
    if (gen !== this.nicdGeneration) {
      this.nicdGeneration = gen;
      readGateway(this.bus).then((gw) => {
        this.gateway = gw;
        if (this.lastNicd !== null) this.setInput({ net: netFromProps(this.lastNicd, gw) });
      }, (err: unknown) => this.log.debug({ err }, 'cannot read the gateway from nicd'));
    }
  }

  private setInput(part: Partial<PanelInput>): void {
    this.input = { ...this.input, ...part };
    // The HA node name is the unit's name on the panel unless the config says otherwise.
    if (this.config.hostname === null) this.input.hostname = this.input.ha.node !== '' ? this.input.ha.node : os.hostname();
    this.event({ type: 'Tick', now: this.now() });
  }

  private tick(): void {
    this.input.uptimeS = os.uptime();
    this.event({ type: 'Tick', now: this.now() });
  }

  private event(e: MenuEvent): void {
    if (e.type === 'Key') this.log.debug({ key: e.key }, 'key');
    const [menu, actions] = menuStep(this.menu, e, this.input);
    this.menu = menu;
    for (const a of actions) this.run(a);
    this.render();
  }

  private run(a: MenuAction): void {
    this.log.info({ action: a }, 'panel action confirmed');
    void runAction(this.bus, a, this.config.confirmTimeoutS).then((r) => {
      this.log.info({ action: a.kind, ok: r.ok, text: r.text }, 'panel action done');
      this.event({ type: 'ActionDone', ok: r.ok, text: r.text, pendingUntil: r.pendingUntil, now: this.now() });
    });
  }

  private render(): void {
    const size = this.size ?? DEFAULT_SIZE;
    const view = panelView(this.input, this.menu, size, this.now(), this.config.pageIntervalMs);
    this.view = view;
    void this.screens?.show([{ id: SCREEN_ID, priority: view.priority, lines: view.rows }]);
    void this.leds.show(view.leds).then(() => this.publish());
    void this.banner?.show(view.banner);
    this.publish();
  }

  private properties(): PaneldProperties {
    const v = this.view;
    const size = this.size ?? DEFAULT_SIZE;
    return {
      Lcd: v === null ? [] : fitScreen(v.rows, size.width, size.height),
      LcdSize: this.size === null ? '' : `${this.size.width}x${this.size.height}`,
      LcdConnected: this.lcd?.connected ?? false,
      Mode: v?.mode ?? 'normal',
      Leds: this.leds.tuples(),
      Alerts: (v?.alerts ?? []).map((a) => [a.severity, a.title, a.detail]),
      Banner: v?.banner ?? '',
      BannerFile: this.config.banner ? this.config.bannerFile : '',
    };
  }

  private publish(): void {
    this.exported?.update({ ...this.properties() });
  }
}
