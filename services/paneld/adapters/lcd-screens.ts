/**
 * LcdScreens: keeps a set of text screens on LCDd through an LcdprocClient,
 * sending only what changed (core/screen-diff.ts). Reusable (hw-test).
 *
 * API
 *   const screens = new LcdScreens(client);          // client: an LcdprocClient
 *   // in the client's onConnect: screens.reset(display) (the server lost everything)
 *   screens.show([{ id: 'main', priority: 'foreground', lines: ['LBOS', '10.0.0.1'] }]);
 *   screens.shown            // rows as last sent (fitted to the display), by screen id
 *   await screens.idle()     // resolves when what was asked last is on the server
 *
 * Updates are serialised and coalesced: while one batch is in flight, only
 * the newest desired set is kept. A failed command (huh?, disconnect) stops
 * the batch; what ran before it is recorded, so the next show() retries
 * only the rest, and reset() after a reconnect resends everything.
 */
import type { LcdprocClient, DisplayInfo } from './lcdproc-client';
import { applySteps, planScreens, type ScreenPriority, type ScreenStep, type TextScreen } from '../core/screen-diff';

export type { TextScreen, ScreenPriority } from '../core/screen-diff';

export class LcdScreens {
  private server = new Map<string, { priority: ScreenPriority; lines: string[] }>();
  private desired: readonly TextScreen[] = [];
  private display: DisplayInfo | null = null;
  private busy: Promise<void> | null = null;
  private again = false;

  constructor(private readonly client: LcdprocClient, private readonly onError: (err: unknown) => void = () => undefined) {}

  /** After (re)connecting: the server has none of our screens; send all. */
  reset(display: DisplayInfo): Promise<void> {
    this.display = display;
    this.server = new Map();
    return this.kick();
  }

  /** Forget the connection (the client lost it). */
  disconnected(): void {
    this.display = null;
    this.server = new Map();
  }

  show(screens: readonly TextScreen[]): Promise<void> {
    this.desired = screens;
    return this.kick();
  }

  get shown(): ReadonlyMap<string, readonly string[]> {
    return new Map([...this.server].map(([k, v]) => [k, v.lines]));
  }

  async idle(): Promise<void> {
    while (this.busy !== null) await this.busy;
  }

  private kick(): Promise<void> {
    if (this.busy !== null) {
      this.again = true;
      return this.busy;
    }
    this.busy = this.loop().finally(() => {
      this.busy = null;
      // A wish that came after the loop's last look but before this: one more round.
      if (this.again) void this.kick();
    });
    return this.busy;
  }

  private async loop(): Promise<void> {
    // Bounded: each round sends the newest wish; new wishes during it cause one more.
    for (let round = 0; round < 100; round++) {
      this.again = false;
      const d = this.display;
      if (d === null || !this.client.connected) return;
      const steps = planScreens(this.server, this.desired, d.width, d.height);
      try {
        // Step by step: after a failure the record is still true up to it.
        for (const st of steps) {
          await this.run(st);
          this.server = applySteps(this.server, [st]);
        }
      } catch (err) {
        this.onError(err);
        return;
      }
      if (!this.again) return;
    }
  }

  private async run(st: ScreenStep): Promise<void> {
    const c = this.client;
    switch (st.op) {
      case 'screen_add':
        await c.screenAdd(st.screen);
        return;
      case 'screen_set':
        await c.screenSet(st.screen, { priority: st.priority, heartbeat: 'off' });
        return;
      case 'widget_add':
        await c.widgetAdd(st.screen, st.widget, 'string');
        return;
      case 'widget_set':
        await c.widgetSet(st.screen, st.widget, st.x, st.y, st.text);
        return;
      case 'screen_del':
        await c.screenDel(st.screen);
        return;
    }
  }
}
