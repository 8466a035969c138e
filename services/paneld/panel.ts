/**
 * paneld's running state: the input read from the bus, the menu, and the
 * outputs (LCD through LCDd, LEDs, banner file, D-Bus object). Every change
 * goes through render(), which computes the view (core/panel-view.ts) and
 * hands it to each output; the outputs send only what changed.
 *
 * The web UI's initial password (statusd's InitialPassword()) goes to the
 * LCD and the banner file (0600) only: the D-Bus properties, Status(), the
 * dump and the log get the view of hidePassword(input) (core/web-password.ts).
 */
import * as os from 'node:os';
import type { MessageBus, ExportedObject } from '../runtime/dbus';
import type { Logger } from '../runtime/log';
import { firmwareVersion } from '../runtime/cli';
import { errorMessage, isAppError } from '../runtime/errors';
import { callService } from '../runtime/dbus';
import type { PaneldConfig } from './config';
import { CLOSED, menuStep, type Menu, type MenuAction, type MenuEvent } from './core/menu';
import { HA_NOT_RUNNING, NET_NOT_RUNNING, SYNC_NOT_RUNNING, haFromProps, netFromProps, syncFromProps, type PanelInput } from './core/panel-input';
import { panelView, type PanelView } from './core/panel-view';
import { fitScreen } from './core/screen-diff';
import { hidePassword, redactPassword, shownPassword, webPasswordOf, WEB_PASSWORD_UNKNOWN } from './core/web-password';
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
/**
 * While admin has the initial password, InitialPassword() is asked again this
 * often: a reset from the console while it is still initial changes the
 * password but not AdminPassword (no PropertiesChanged), and a failed read
 * is retried.
 */
const PASSWORD_REREAD_MS = 10_000;

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
  /** statusd's AdminPassword (undefined: statusd not on the bus). */
  private adminPassword: unknown = undefined;
  /** What InitialPassword() last returned; null when not read or refused. */
  private initialPassword: string | null = null;
  private passwordReadAt = 0;
  private passwordReads = 0;
  private passwordReadFailed = false;

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
      new ServiceFollower(this.bus, 'statusd', this.log, (p) => this.onStatusd(p)),
      new ServiceFollower(this.bus, 'paird', this.log, (p) => {
        const paired = p === null ? null : p.Paired === true;
        if (paired !== this.input.paired) this.setInput({ paired });
      }),
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
    this.input = { ...this.baseInput(), ha: this.input.ha, net: this.input.net, sync: this.input.sync, web: this.input.web, paired: this.input.paired };
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
    return { input: hidePassword(this.input), menu: this.menu, size: this.size, view: this.view, lcdConnected: this.lcd?.connected ?? false };
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
      web: this.input?.web ?? WEB_PASSWORD_UNKNOWN,
    };
  }

  private makeBanner(): BannerFile | null {
    if (!this.config.banner) return null;
    return new BannerFile(this.config.bannerFile, (err) => this.log.warn({ err, file: this.config.bannerFile }, 'cannot write the console banner'), this.config.agettyReload);
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
    // LCDd's refusal quotes the command, which may be the password's row.
    this.screens = new LcdScreens(lcd, (err) => log.warn({ err: redactPassword(errorMessage(err), this.input.web) }, 'LCD update failed'));
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

  private onStatusd(p: Record<string, unknown> | null): void {
    const admin = p === null ? undefined : p.AdminPassword;
    if (admin === this.adminPassword) return; // statusd publishes Seq every second: nothing for the panel
    this.adminPassword = admin;
    this.initialPassword = null;
    this.passwordReadFailed = false;
    this.setWeb();
    if (admin === 'initial') this.readPassword();
  }

  /** InitialPassword(): the text never goes to the log, only whether it came. */
  private readPassword(): void {
    const read = ++this.passwordReads;
    this.passwordReadAt = this.now();
    callService(this.bus, 'statusd', 'InitialPassword').then(([p]) => {
      if (read !== this.passwordReads || this.adminPassword !== 'initial') return;
      if (this.initialPassword === null || this.passwordReadFailed) this.log.info('showing the web UI\'s initial password on the console and the LCD');
      this.passwordReadFailed = false;
      this.initialPassword = typeof p === 'string' ? p : null;
      this.setWeb();
    }, (err: unknown) => {
      if (read !== this.passwordReads) return;
      // PASSWORD_CHANGED: AdminPassword follows within a second.
      if (!this.passwordReadFailed && !isAppError(err, 'PASSWORD_CHANGED')) this.log.warn({ err: errorMessage(err) }, 'cannot read the web UI\'s initial password from statusd; retrying');
      this.passwordReadFailed = true;
      this.initialPassword = null;
      this.setWeb();
    });
  }

  private setWeb(): void {
    const web = webPasswordOf(this.adminPassword, this.initialPassword);
    if (JSON.stringify(web) !== JSON.stringify(this.input.web)) this.setInput({ web });
  }

  private setInput(part: Partial<PanelInput>): void {
    this.input = { ...this.input, ...part };
    // The HA node name is the unit's name on the panel unless the config says otherwise.
    if (this.config.hostname === null) this.input.hostname = this.input.ha.node !== '' ? this.input.ha.node : os.hostname();
    this.event({ type: 'Tick', now: this.now() });
  }

  private tick(): void {
    this.input.uptimeS = os.uptime();
    if (this.adminPassword === 'initial' && this.now() - this.passwordReadAt >= PASSWORD_REREAD_MS) this.readPassword();
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
    const now = this.now();
    // `view` (with the password) for the LCD and the console; `this.view` (without) for everything else.
    const view = panelView(this.input, this.menu, size, now, this.config.pageIntervalMs);
    this.view = shownPassword(this.input.web) === null ? view : panelView(hidePassword(this.input), this.menu, size, now, this.config.pageIntervalMs);
    void this.screens?.show([{ id: SCREEN_ID, priority: view.priority, lines: view.rows }]);
    void this.leds.show(view.leds).then(() => this.publish());
    void this.banner?.show(view.banner, { secret: shownPassword(this.input.web) !== null });
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
