/**
 * Front panel checks through LCDd: `panel.lcd.connect` (LCDd answers with
 * the profile's display size), `panel.lcd.pattern` (the test pattern is on
 * the glass) and `panel.keys` (every key reaches LCDd). Who looks and who
 * presses: the simulated panel (reads the curses screen, sends keys with
 * tmux), the technician (--interactive), or nobody (skipped, with why).
 */
import type { DisplayInfo } from '../../services/paneld/adapters/lcdproc-client';
import { errorMessage } from '../../services/runtime/errors';
import { PanelSession } from '../adapters/panel-session';
import type { PanelSpec } from '../profile/types';
import { fail, pass, skip, type Check, type Technician } from './types';

/** A panel that a program can read and press: the simulated one. */
export interface PanelObserver {
  frame(): Promise<string[] | null>;
  press(key: string): Promise<void>;
}

const CONNECT_TIMEOUT_MS = 5000;
const SIM_WAIT_MS = 5000;
const KEY_WAIT_SIM_MS = 5000;
const KEY_WAIT_HUMAN_MS = 30_000;

/** Walking letters: every cell differs from its neighbours, so a dead row, column or shifted line shows. */
export function testPattern(width: number, height: number): string[] {
  return Array.from({ length: height }, (_, r) => Array.from({ length: width }, (_, c) => String.fromCharCode(65 + ((r * width + c) % 26))).join(''));
}

/** A connection to the panel's server (adapters/panel-session.ts on LCDd). */
export interface PanelLink {
  readonly display: DisplayInfo;
  readonly keysSeen: readonly string[];
  showPattern(rows: readonly string[]): Promise<void>;
  takeKeys(keys: readonly string[]): Promise<unknown>;
  waitKey(key: string, timeoutMs: number): Promise<boolean>;
  close(): Promise<void>;
}

export interface PanelCheckDeps {
  spec: PanelSpec;
  tech: Technician;
  observer?: PanelObserver;
  /** Default: LCDd at spec.host:spec.port through paneld's LcdprocClient. */
  open?: (spec: PanelSpec, timeoutMs: number) => Promise<PanelLink>;
  /** Pause between reads of the simulated panel, and how long it and a key may take (tests shorten them). */
  pollMs?: number;
  simWaitMs?: number;
  keyWaitMs?: number;
}

/** The three checks share one connection, made by the first and closed by `close`. */
export function panelChecks(d: PanelCheckDeps): { checks: Check[]; close(): Promise<void> } {
  const { spec, tech, observer } = d;
  const open = d.open ?? ((sp: PanelSpec, ms: number): Promise<PanelLink> => PanelSession.open(sp.host, sp.port, ms));
  const pollMs = d.pollMs ?? 100;
  const simWaitMs = d.simWaitMs ?? SIM_WAIT_MS;
  const keyWaitMs = d.keyWaitMs ?? (observer === undefined ? KEY_WAIT_HUMAN_MS : KEY_WAIT_SIM_MS);
  let session: PanelLink | null = null;
  let connectError = '';
  const noPanel = (): string => (connectError === '' ? 'no connection to LCDd: panel.lcd.connect did not run' : 'no connection to LCDd (see panel.lcd.connect)');
  const pattern = testPattern(spec.width, spec.height);

  const connect: Check = {
    id: 'panel.lcd.connect',
    group: 'panel',
    timeoutMs: CONNECT_TIMEOUT_MS + 5000,
    run: async () => {
      try {
        session = await open(spec, CONNECT_TIMEOUT_MS);
      } catch (err) {
        connectError = errorMessage(err);
        return fail(connectError, { server: `${spec.host}:${spec.port}` });
      }
      const dsp = session.display;
      const m = { server: `${spec.host}:${spec.port}`, lcdproc: dsp.serverVersion, width: dsp.width, height: dsp.height, expected: `${spec.width}x${spec.height}` };
      if (dsp.width !== spec.width || dsp.height !== spec.height) {
        connectError = `display is ${dsp.width}x${dsp.height}`;
        return fail(`LCDd drives a ${dsp.width}x${dsp.height} display, this model has ${spec.width}x${spec.height}: wrong LCDd.conf (Size=) or driver`, m);
      }
      return pass(`LCDd ${dsp.serverVersion}, ${dsp.width}x${dsp.height}`, m);
    },
  };

  const showPattern: Check = {
    id: 'panel.lcd.pattern',
    group: 'panel',
    timeoutMs: tech.present ? 600_000 : simWaitMs + 5000,
    run: async () => {
      const s = session;
      if (s === null) return fail(noPanel());
      await s.showPattern(pattern);
      if (observer !== undefined) {
        const end = Date.now() + simWaitMs;
        let rows: string[] | null = null;
        while (Date.now() < end) {
          rows = await observer.frame();
          if (rows !== null && rows.join('\n') === pattern.join('\n')) return pass('test pattern read back from the panel', { rows: pattern.length });
          await new Promise((r) => setTimeout(r, pollMs));
        }
        return fail(`the panel shows ${JSON.stringify(rows)} instead of the test pattern`, { rows_seen: rows === null ? null : rows.join('|') });
      }
      if (!tech.present) return skip('pattern sent; seeing it needs a technician (--interactive)');
      const ok = await tech.confirm(`Does the LCD show ${spec.height} rows of letters starting "${pattern[0]?.slice(0, 8) ?? ''}", every position lit and sharp?`);
      return ok ? pass('technician saw the test pattern', { confirmed: true }) : fail('technician: the test pattern is wrong or missing (LCD, its cable or contrast)', { confirmed: false });
    },
  };

  const keys: Check = {
    id: 'panel.keys',
    group: 'panel',
    timeoutMs: tech.present ? 600_000 : spec.keys.length * (keyWaitMs + 2000) + 5000,
    run: async () => {
      const s = session;
      if (s === null) return fail(noPanel());
      if (spec.keys.length === 0) return skip('the profile lists no keys');
      if (observer === undefined && !tech.present) return skip(`pressing ${spec.keys.join(', ')} needs a technician (--interactive)`);
      await s.takeKeys(spec.keys);
      const missed: string[] = [];
      for (const key of spec.keys) {
        const seen = s.waitKey(key, keyWaitMs);
        if (observer !== undefined) await observer.press(key);
        else tech.say(`Press the ${key} key on the front panel (${Math.round(keyWaitMs / 1000)} s)`);
        if (!(await seen)) missed.push(key);
      }
      const m = { keys: spec.keys.join(','), missed: missed.join(','), reported: s.keysSeen.join(',') };
      if (missed.length > 0) return fail(`key(s) ${missed.join(', ')} pressed but LCDd reported nothing: keypad, its cable or the driver's key map`, m);
      return pass(`${spec.keys.length} keys answered`, m);
    },
  };

  return {
    checks: [connect, showPattern, keys],
    close: async () => {
      const s = session;
      session = null;
      await s?.close();
    },
  };
}
