/**
 * One connection to LCDd for the panel checks, through paneld's
 * LcdprocClient: the test pattern screen at alert priority (on top of
 * paneld's own screens on a unit) and the keys taken exclusively so paneld
 * does not act on them while the technician presses them.
 */
import { LcdprocClient, type DisplayInfo } from '../../services/paneld/adapters/lcdproc-client';
import { AppError, errorMessage } from '../../services/runtime/errors';

const SCREEN = 'hwtest';

export class PanelSession {
  private readonly keyWaiters = new Set<(key: string) => void>();
  /** Keys LCDd reported, in order. */
  readonly keysSeen: string[] = [];

  private constructor(private readonly client: LcdprocClient, readonly display: DisplayInfo) {}

  /** Connects (one attempt, bounded); rejects with why LCDd did not answer. */
  static open(host: string, port: number, timeoutMs: number): Promise<PanelSession> {
    return new Promise((resolve, reject) => {
      let session: PanelSession | null = null;
      const client = new LcdprocClient(
        { host, port, clientName: 'hw-test', backoffMs: [60_000], connectTimeoutMs: timeoutMs, commandTimeoutMs: timeoutMs },
        {
          onConnect: (display) => {
            session = new PanelSession(client, display);
            resolve(session);
          },
          onConnectFailed: (err) => {
            void client.stop();
            reject(new AppError('PANEL_UNAVAILABLE', `no answer from LCDd at ${host}:${port}: ${errorMessage(err)} (is LCDd running? systemctl status LCDd)`));
          },
          onKey: (key) => session?.key(key),
          onError: (err) => {
            void client.stop();
            reject(err instanceof Error ? err : new Error(String(err)));
          },
        },
      );
      client.start();
    });
  }

  private key(key: string): void {
    this.keysSeen.push(key);
    for (const w of [...this.keyWaiters]) w(key);
  }

  async showPattern(rows: readonly string[]): Promise<void> {
    await this.client.screenAdd(SCREEN);
    await this.client.screenSet(SCREEN, { name: 'hw-test', priority: 'alert', heartbeat: 'off', backlight: 'on' });
    for (const [i, row] of rows.entries()) {
      await this.client.widgetAdd(SCREEN, `r${i + 1}`, 'string');
      await this.client.widgetSet(SCREEN, `r${i + 1}`, 1, i + 1, row);
    }
  }

  takeKeys(keys: readonly string[]): Promise<unknown> {
    return this.client.clientAddKey(keys, 'exclusive');
  }

  /** Resolves true when LCDd reports `key`, false after timeoutMs. */
  waitKey(key: string, timeoutMs: number): Promise<boolean> {
    return new Promise((resolve) => {
      const done = (v: boolean): void => {
        clearTimeout(t);
        this.keyWaiters.delete(w);
        resolve(v);
      };
      const w = (k: string): void => {
        if (k === key) done(true);
      };
      const t = setTimeout(() => done(false), timeoutMs);
      this.keyWaiters.add(w);
    });
  }

  async close(): Promise<void> {
    await this.client.screenDel(SCREEN).catch(() => undefined);
    await this.client.stop();
  }
}
